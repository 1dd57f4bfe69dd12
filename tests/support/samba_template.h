// The provisioned domain every test DC starts from. `samba-tool domain provision` takes ~5 s, so
// it runs once per build tree: the result is kept in <build>/samba/template ($PS_SAMBA_TEMPLATE
// overrides) and reused until the installed Samba or the recipe changes. The database holds no
// absolute paths; a copy works anywhere once it has its own smb.conf (samba_config).
//
// The template also holds the one large fixture the AD tests need, a group bigger than AD's
// MaxValRange (kSambaBigGroup*). It is added offline in one transaction (samba_seed.py, a few
// seconds) because Samba takes each LDAP add as a transaction of its own (~30-200 a second).
// Tests only read it.
#pragma once

#include <string>

namespace ps::testing {

inline constexpr const char* kSambaRealm = "PORTAL.TEST";
inline constexpr const char* kSambaDomain = "PORTAL";  // NetBIOS domain name
inline constexpr const char* kSambaHostName = "PSDC";  // the DC's name, whatever the machine's is
inline constexpr const char* kSambaBaseDn = "DC=portal,DC=test";
inline constexpr const char* kSambaAdminDn = "CN=Administrator,CN=Users,DC=portal,DC=test";

inline constexpr const char* kSambaBigGroupOu = "OU=big-group,DC=portal,DC=test";
inline constexpr const char* kSambaBigGroupCn = "全體同仁";  // members: CN=聯絡人<i>,<the OU>
inline constexpr int kSambaBigGroupMembers = 1600;           // contacts, i = 0..1599

struct SambaTemplate {
  std::string dir;             // copy it (cp -a) to get a DC's files
  std::string admin_password;  // also in <dir>/admin.password
};

// The cached template, made first if missing or stale (provisioning and the seed). Password
// policy as Samba provisions it (complexity on, history 24), except that passwords never expire
// and may be changed at once (min/max age 0). Throws with samba-tool's output on failure.
SambaTemplate samba_template();

// smb.conf for a DC whose files are in dir: the LDAP service only, on `address` only (ports
// 389/636/3268/3269), TLS with dir/tls/server.{crt,key} and dir/tls/ca.crt, every state and
// socket path inside dir, no fsync (test data need not survive a power cut).
std::string samba_config(const std::string& dir, const std::string& address);

}  // namespace ps::testing
