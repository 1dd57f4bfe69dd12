#include "daemon/admin/handler.h"

#include "core/json.h"
#include "core/text.h"

namespace ps::admin {

namespace {

// JSON is UTF-8 (RFC 8259), but a message may quote what a client sent ("no endpoint at /\xff"):
// each byte that does not start a valid sequence becomes U+FFFD. Such bytes occur only inside
// strings (the structure is ASCII), so the JSON stays well-formed. Found by fuzzing.
void replace_invalid_utf8(std::string& body) {
  if (!is_valid_utf8(body)) body = with_invalid_utf8_replaced(body, "\xEF\xBF\xBD");
}

}  // namespace

std::string AdminRequest::query_or(const std::string& name, std::string fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

AdminResponse AdminResponse::json(int status, const JsonWriter& body) {
  return json(status, body.str());
}

AdminResponse AdminResponse::json(int status, std::string body) {
  // A final newline keeps a shell prompt off the end of curl's output.
  if (body.empty() || body.back() != '\n') body += '\n';
  replace_invalid_utf8(body);
  return AdminResponse{status, std::move(body), "application/json", {}};
}

AdminResponse AdminResponse::text(int status, std::string body, std::string content_type) {
  return AdminResponse{status, std::move(body), std::move(content_type), {}};
}

AdminResponse AdminResponse::error(int status, std::string_view code, std::string_view message) {
  JsonWriter w;
  w.begin_object().key("error").value(code).key("message").value(message).end_object();
  return json(status, w);
}

}  // namespace ps::admin
