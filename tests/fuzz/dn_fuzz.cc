// DN text from a directory (entry DNs, configured base DNs): parse, format, normalize, and the
// round trip format(parse(x)) is a fixed point; an escaped value parses back to itself.
#include <cstddef>
#include <cstdint>

#include "core/dn.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz_text(data, size);
  (void)ps::normalize_dn(text);
  (void)ps::parent_dn(text);
  (void)ps::first_rdn(text);

  auto dn = ps::parse_dn(text);
  if (dn) {
    auto formatted = ps::format_dn(dn.value());
    auto again = ps::parse_dn(formatted);
    PS_FUZZ_CHECK(again, "a formatted DN parses");
    PS_FUZZ_CHECK(ps::format_dn(again.value()) == formatted,
                  "format(parse(format(dn))) == format(dn)");
    PS_FUZZ_CHECK(ps::normalize_dn(formatted) == ps::normalize_dn(ps::normalize_dn(formatted)),
                  "normalize_dn is idempotent");
  }

  // The whole input as one attribute value: make_rdn's escaping must survive parsing.
  auto rdn = ps::make_rdn("cn", text);
  auto parsed = ps::parse_dn(ps::join_dn(rdn, "ou=x,dc=example"));
  PS_FUZZ_CHECK(parsed, "an escaped value parses");
  PS_FUZZ_CHECK(parsed->rdns.size() == 3, "an escaped value stays in its RDN");
  PS_FUZZ_CHECK(parsed->rdns[0].avas.size() == 1, "an escaped value is one AVA");
  PS_FUZZ_CHECK(parsed->rdns[0].avas[0].value == text, "an escaped value parses back to itself");
  return 0;
}
