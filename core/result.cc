#include "core/result.h"

namespace ps {

std::string_view to_string(StatusCode code) {
  switch (code) {
    case StatusCode::ok:
      return "ok";
    case StatusCode::error:
      return "error";
    case StatusCode::invalid:
      return "invalid";
    case StatusCode::not_found:
      return "not_found";
    case StatusCode::refused:
      return "refused";
    case StatusCode::unavailable:
      return "unavailable";
    case StatusCode::outcome_unknown:
      return "outcome_unknown";
    case StatusCode::conflict:
      return "conflict";
    case StatusCode::internal:
      return "internal";
  }
  return "error";
}

}  // namespace ps
