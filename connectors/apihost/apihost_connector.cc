#include "connectors/apihost/apihost_connector.h"

#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace ps {

namespace {

std::string random_id() {
  unsigned char bytes[12];
  RAND_bytes(bytes, sizeof bytes);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

// A password set or unlock as the host answered it.
Status call_status(const apihost::OpResult& result) {
  switch (result.status) {
    case apihost::OpStatus::applied:
    case apihost::OpStatus::already_applied:
      return Status::ok();
    case apihost::OpStatus::outcome_unknown:
      return Status::error(StatusCode::outcome_unknown, result.message);
    case apihost::OpStatus::refused:
      break;
  }
  return Status::error(StatusCode::refused, result.message);
}

}  // namespace

std::string describe_reply(int status, const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  std::string message = body;
  if (json.is_object() && json.contains("message") && json["message"].is_string())
    message = json["message"].get<std::string>();
  return "HTTP " + std::to_string(status) + ": " + message;
}

Result<std::unique_ptr<ApihostConnector>> ApihostConnector::connect(
    const ApihostSettings& settings) {
  auto client = apihost::HttpsClient::create(settings);
  if (!client) return Error{client.error()};
  // /v1/health needs no token; /v1/read with an empty attribute list on a probe would. Check the
  // token too, so a wrong one fails here: an empty batch is a no-op that still needs it.
  auto probe = client.value()->post("/v1/batch", apihost::encode_batch({}));
  if (!probe) return Error{probe.error()};
  if (probe->status != 200)
    return Error{"the API host " + settings.url +
                 " refused us: " + describe_reply(probe->status, probe->body)};
  return std::unique_ptr<ApihostConnector>(new ApihostConnector(std::move(client.value())));
}

ApihostConnector::ApihostConnector(std::unique_ptr<apihost::HttpsClient> client)
    : client_(std::move(client)), connector_id_(random_id()) {}

std::string ApihostConnector::key_for(std::uint64_t ticket) const {
  return connector_id_ + "-" + std::to_string(ticket);
}

Result<DirectoryReadResult> ApihostConnector::read_subtree(const ReadSpec& spec) {
  apihost::ReadRequest request{spec.base_dn, spec.attributes, "", 1000};
  DirectoryReadResult result;
  do {
    auto reply = client_->post("/v1/read", apihost::encode_read_request(request));
    if (!reply) return Error{"read " + spec.base_dn + ": " + reply.error()};
    if (reply->status != 200)
      return Error{"read " + spec.base_dn +
                   ": the API host refused it: " + describe_reply(reply->status, reply->body)};
    auto page = apihost::decode_read_page(reply->body);
    if (!page)
      return Error{"read " + spec.base_dn + ": bad answer from the API host: " + page.error()};
    result.base_exists = page->base_exists;
    for (auto& e : page->entries) result.entries.push_back(std::move(e));
    request.cookie = page->cookie;
  } while (!request.cookie.empty());
  return result;
}

Status ApihostConnector::submit(std::uint64_t ticket, const Operation& op) {
  apihost::WireOp wire;
  wire.key = key_for(ticket);
  wire.action = apihost::wire_action(op.type);
  wire.op = op;
  // Refused here, like a refusal from the directory: the rest of the window still goes out.
  if (auto encodable = check_encodable(wire); !encodable) {
    completed_.push_back(Completion{ticket, {false, encodable.message(), ""}});
    return Status::ok();
  }
  buffered_.emplace_back(ticket, std::move(wire));
  return Status::ok();
}

Status ApihostConnector::send_batch() {
  std::vector<apihost::WireOp> ops;
  for (const auto& [ticket, op] : buffered_) ops.push_back(op);
  auto reply = client_->post("/v1/batch", apihost::encode_batch(ops));
  if (!reply) return Status::error(reply.error());
  if (reply->status != 200)
    return Status::error("the API host refused the batch: " +
                         describe_reply(reply->status, reply->body));
  auto results = apihost::decode_results(reply->body);
  if (!results) return Status::error("bad answer from the API host: " + results.error());
  if (results->size() != buffered_.size())
    return Status::error("the API host answered " + std::to_string(results->size()) +
                         " results for " + std::to_string(buffered_.size()) + " operations");
  for (std::size_t i = 0; i < results->size(); ++i) {
    const auto& r = results.value()[i];
    Completion c;
    c.ticket = buffered_[i].first;
    c.outcome.ok = apihost::is_done(r.status);
    c.outcome.message = r.message;
    c.outcome.anchor = r.anchor;
    completed_.push_back(std::move(c));
  }
  buffered_.clear();
  return Status::ok();
}

Result<Completion> ApihostConnector::wait_completion() {
  if (completed_.empty()) {
    if (buffered_.empty()) return Error{"wait_completion: no operation is outstanding"};
    if (auto s = send_batch(); !s) return Error{s.message()};
  }
  auto c = std::move(completed_.front());
  completed_.pop_front();
  return c;
}

Result<apihost::OpResult> ApihostConnector::send_one(apihost::WireOp op) {
  op.key = connector_id_ + "-call-" + std::to_string(++next_sync_call_);
  if (auto encodable = check_encodable(op); !encodable) {
    apihost::wipe_text(op.password);
    return Error{encodable.message()};
  }
  auto summary = apihost::summarize(op);
  std::vector<apihost::WireOp> batch;
  batch.push_back(std::move(op));
  auto body = apihost::encode_batch(batch);
  apihost::wipe_text(batch.front().password);
  auto reply = client_->post("/v1/batch", body);
  apihost::wipe_text(body);
  if (!reply) return Error{summary + ": " + reply.error()};
  if (reply->status != 200)
    return Error{summary +
                 ": the API host refused it: " + describe_reply(reply->status, reply->body)};
  auto results = apihost::decode_results(reply->body);
  if (!results || results->size() != 1) return Error{summary + ": bad answer from the API host"};
  return results->front();
}

Status ApihostConnector::set_password(const std::string& dn, std::string_view password,
                                      bool must_change) {
  apihost::WireOp op;
  op.action = apihost::WireAction::set_password;
  op.op.dn = dn;
  op.password = std::string(password);  // wiped by send_one
  op.must_change = must_change;
  auto result = send_one(std::move(op));
  if (!result) return result.status();
  return call_status(result.value());
}

Status ApihostConnector::unlock(const std::string& dn) {
  apihost::WireOp op;
  op.action = apihost::WireAction::unlock;
  op.op.dn = dn;
  auto result = send_one(std::move(op));
  if (!result) return result.status();
  return call_status(result.value());
}

}  // namespace ps
