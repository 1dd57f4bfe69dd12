#include "tests/support/sso_person_key.h"

#include <stdexcept>

#include "tests/support/process.h"

namespace ps::testing {

std::string sso_person_key(const std::string& key_file, const std::string& national_id) {
  auto r = run({"python3", "-c",
                "import hashlib, hmac, sys\n"
                "key = open(sys.argv[1], 'rb').read().rstrip(b'\\r\\n')\n"
                "ident = sys.argv[2].strip().upper().encode()\n"
                "print(hmac.new(key, ident, hashlib.sha256).hexdigest())",
                key_file, national_id});
  if (r.exit_code != 0 || r.out.size() < 64)
    throw std::runtime_error("python3 hmac failed: " + r.err);
  return r.out.substr(0, 64);
}

}  // namespace ps::testing
