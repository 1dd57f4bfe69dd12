// The API-host wire codec, both directions: the host decodes batches and read requests from the
// client, the client decodes results and read pages from the host. The first byte picks the
// decoder, the rest is the body. Whatever decodes (and passes check_encodable) encodes to a body
// that decodes again, and that second encoding is the same text (a fixed point).
#include <cstddef>
#include <cstdint>
#include <string>

#include "connectors/apihost/apihost_wire.h"
#include "tests/fuzz/fuzz_check.h"

namespace wire = ps::apihost;

namespace {

template <typename Decode, typename Encode>
void round_trip(std::string_view body, Decode decode, Encode encode) {
  auto first = decode(body);
  if (!first) return;
  auto encoded = encode(first.value());
  auto second = decode(encoded);
  PS_FUZZ_CHECK(second, "an encoded body decodes");
  PS_FUZZ_CHECK(encode(second.value()) == encoded, "encode(decode(encode(x))) == encode(x)");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto body = fuzz_text(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto ops = wire::decode_batch(body);
      if (!ops) return 0;
      for (const auto& op : ops.value()) {
        (void)wire::summarize(op);
        (void)wire::to_string(op.action);
        if (!wire::check_encodable(op)) return 0;
      }
      round_trip(body, wire::decode_batch, wire::encode_batch);
      break;
    }
    case 1:
      round_trip(body, wire::decode_results, wire::encode_results);
      break;
    case 2:
      round_trip(body, wire::decode_read_request, wire::encode_read_request);
      break;
    default:
      round_trip(body, wire::decode_read_page, wire::encode_read_page);
      break;
  }
  return 0;
}
