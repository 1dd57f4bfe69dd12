#include "daemon/admin/handler.h"

#include "core/json.h"

namespace ps::admin {

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
