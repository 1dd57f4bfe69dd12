#include "daemon/apihost/host_reload.h"

#include <boost/asio/post.hpp>
#include <vector>

namespace ps::apihost {

namespace {

// The keys of `fresh` that differ from `running` but only take effect at a restart; their
// running values are copied into `fresh`, so that `fresh` says what actually runs.
std::vector<std::string> keep_start_only_keys(const HostConfig& running, HostConfig& fresh) {
  std::vector<std::string> changed;
  auto keep = [&](const char* key, auto& value, const auto& running_value) {
    if (value == running_value) return;
    changed.push_back(key);
    value = running_value;
  };
  keep("apihost.listen", fresh.http.listen, running.http.listen);
  keep("apihost.tls_cert", fresh.http.tls_cert, running.http.tls_cert);
  keep("apihost.tls_key", fresh.http.tls_key, running.http.tls_key);
  keep("apihost.client_ca", fresh.http.client_ca, running.http.client_ca);
  keep("apihost.database", fresh.database, running.database);
  keep("apihost.max_body_bytes", fresh.http.limits.max_body_bytes,
       running.http.limits.max_body_bytes);
  keep("apihost.request_timeout_seconds", fresh.http.limits.request_timeout,
       running.http.limits.request_timeout);
  return changed;
}

}  // namespace

Status reload_host(const std::string& path, RunningHost& host) {
  auto fresh = load_host_config(path);
  if (!fresh) return fresh.status();
  auto tokens = admin::TokenSet::from_entries(fresh->http.tokens);
  if (!tokens) return Status::error(path + ": apihost.tokens: " + tokens.error());
  for (const auto& key : keep_start_only_keys(host.config, fresh.value()))
    host.log.log(LogLevel::warning, "apihost: " + key + " changed in " + path +
                                        "; it takes effect at the next restart");
  auto token_count = tokens->size();
  host.server.replace_tokens(std::move(tokens.value()));
  host.log.set_threshold(parse_log_level(fresh->log_level));
  host.pruner.set_retain_days(fresh->retain_days);
  // Requests already queued on the worker finish with the old settings; later ones get the new.
  boost::asio::post(host.worker, [&service = host.service, config = fresh.value()] {
    service.reconfigure(config);
  });
  host.config = std::move(fresh.value());
  host.log.log(LogLevel::notice, "apihost: configuration reloaded from " + path + " (" +
                                     "tokens: " + std::to_string(token_count) + ", managing " +
                                     host.config.allowed_base_dn + ")");
  return Status::ok();
}

}  // namespace ps::apihost
