// The DirectoryConnector that reaches the directory through an API host (docs/apihost-protocol.md)
// instead of over LDAP, so the portal tier holds no directory credentials.
//
// submit() only buffers; the first wait_completion() after submits sends everything buffered as
// one POST /v1/batch and hands the results out one by one. The engine submits up to its window
// of independent operations before it waits, so a batch is one window: one HTTPS round trip per
// window instead of one per operation, and the ordering the engine relies on (an operation is only
// submitted once those it depends on completed) is kept, because the next batch only goes out
// after the engine has seen the previous one's results.
//
// Idempotency keys are "<connector id>-<ticket>": the connector id is random per connector (per
// run), the ticket is unique within a run. A batch resent after a connection error carries the
// same keys, so the API host applies nothing twice; the next run gets new keys, since it plans
// again from what the directory then holds.
#pragma once

#include <deque>
#include <memory>

#include "connectors/apihost/apihost_settings.h"
#include "connectors/apihost/apihost_wire.h"
#include "connectors/apihost/https_client.h"
#include "core/directory_connector.h"

namespace ps {

class ApihostConnector : public DirectoryConnector {
 public:
  // Loads the TLS files and calls GET /v1/health, so a wrong URL, certificate or token shows at
  // start-up rather than in the middle of a run.
  static Result<std::unique_ptr<ApihostConnector>> connect(const ApihostSettings& settings);

  Result<DirectoryReadResult> read_subtree(const ReadSpec& spec) override;
  Status submit(std::uint64_t ticket, const Operation& op) override;
  Result<Completion> wait_completion() override;
  Status set_password(const std::string& dn, std::string_view password, bool must_change) override;
  Status unlock(const std::string& dn) override;

 private:
  explicit ApihostConnector(std::unique_ptr<apihost::HttpsClient> client);
  Status send_batch();
  Result<apihost::OpResult> send_one(apihost::WireOp op);
  std::string key_for(std::uint64_t ticket) const;

  std::unique_ptr<apihost::HttpsClient> client_;
  std::string connector_id_;
  std::uint64_t next_sync_call_ = 0;  // keys for set_password / unlock
  std::vector<std::pair<std::uint64_t, apihost::WireOp>> buffered_;
  std::deque<Completion> completed_;
};

// "HTTP 401: the bearer token is not valid": the API host's error body, readable.
std::string describe_reply(int status, const std::string& body);

}  // namespace ps
