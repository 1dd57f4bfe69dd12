// The API host's work against the directory: pages of the managed subtree and batches of
// operations, applied through LdapConnector (the ad flavor's writes, passwords and unlocks) with
// the idempotency records of RequestLog. Not thread-safe: the host calls it from one worker
// thread only, so the LDAP connection is never shared. A lost connection is dropped and made again
// on the next request.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/apihost/apihost_wire.h"
#include "connectors/ldap/ldap_connector.h"
#include "core/log.h"
#include "daemon/apihost/host_config.h"
#include "daemon/apihost/request_log.h"

namespace ps::apihost {

class DirectoryService {
 public:
  DirectoryService(const HostConfig& config, RequestLog& requests, Logger& log);

  // One page; the first request reads the whole subtree once and later pages come from that
  // snapshot (the cookie names it), so a read is consistent and the directory is searched once.
  Result<ReadPage> read(const ReadRequest& request, const std::string& caller);

  // One result per operation, in order. Fails only when the request log cannot be written (then
  // nothing was applied).
  Result<std::vector<OpResult>> apply(const std::vector<WireOp>& ops, const std::string& caller);

  // Connects when needed and reads the root DSE.
  Status ping();

  // A reloaded configuration (on the worker, between requests): the next request uses its
  // subtree and connects again with its directory settings (a rotated bind password, say).
  void reconfigure(const HostConfig& config);

 private:
  struct Snapshot {
    DirectoryReadResult data;
    std::chrono::steady_clock::time_point expires;
  };
  struct Fresh {  // an operation of this batch not seen before
    std::size_t index;
    RequestRecord record;
  };

  Result<LdapConnector*> connection();
  void drop_connection(const std::string& why);
  std::optional<OpResult> replayed_or_refused(const WireOp& op, const std::string& caller,
                                              std::vector<RequestRecord>& refusals);
  void apply_fresh(const std::vector<WireOp>& ops, std::vector<Fresh>& fresh,
                   std::vector<OpResult>& results);
  void apply_call(const WireOp& op, OpResult& result);
  void log_result(const std::string& caller, const WireOp& op, const OpResult& result);

  HostConfig config_;
  RequestLog& requests_;
  Logger& log_;
  std::unique_ptr<LdapConnector> ldap_;
  std::map<std::string, Snapshot> snapshots_;
};

}  // namespace ps::apihost
