// Which kind of directory server portalsync writes to: the mapping, the connector's password and
// lockout handling, and the identity anchor all follow it.
#pragma once

namespace ps {

enum class Flavor { openldap, ad };

}  // namespace ps
