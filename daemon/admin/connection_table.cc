#include "daemon/admin/connection_table.h"

#include <algorithm>
#include <vector>

namespace ps::admin {

ConnectionTable::Verdict ConnectionTable::admit(const std::string& address,
                                                const AdminLimits& limits,
                                                Connection::Clock::time_point now) {
  auto busy = [&] {
    return refused_open_ >= limits.max_connections ? Verdict::drop : Verdict::refuse;
  };
  auto from_address = serving_by_address_.find(address);
  if (from_address != serving_by_address_.end() &&
      from_address->second >= limits.max_connections_per_address) {
    auto* idle = victim(&address, now);
    if (!idle) return busy();
    evict(*idle);
  }
  if (serving_ >= limits.max_connections) {
    auto* idle = victim(nullptr, now);
    if (!idle) return busy();
    evict(*idle);
  }
  return Verdict::serve;
}

// By idle time, oldest first: one whose client sent nothing and that is past the grace; else one
// whose client sent nothing; else one past the grace; else the oldest. There are at most twice
// max_connections live connections, and this runs only when a limit is reached; the check for
// sent bytes (a system call) is made in age order and stops at the first silent one.
Connection* ConnectionTable::victim(const std::string* address, Connection::Clock::time_point now) {
  std::vector<Connection*> idle;
  for (auto* c : all_)
    if (!c->refused_ && !c->evicted_ && c->idle_ && (!address || c->address_ == *address))
      idle.push_back(c);
  if (idle.empty()) return nullptr;
  std::sort(idle.begin(), idle.end(), [](const Connection* a, const Connection* b) {
    return a->idle_since_ < b->idle_since_;
  });
  auto past_grace = [&](const Connection* c) { return now - c->connected_at_ >= kGrace; };
  Connection* silent = nullptr;
  for (auto* c : idle) {
    if (c->client_has_sent()) continue;
    if (past_grace(c)) return c;
    if (!silent) silent = c;
  }
  if (silent) return silent;
  for (auto* c : idle)
    if (past_grace(c)) return c;
  return idle.front();
}

void ConnectionTable::evict(Connection& c) {
  uncount(c);
  c.evicted_ = true;
  ++evicted_total_;
  c.abort();
}

void ConnectionTable::add(Connection& c, const std::string& address, bool refused,
                          Connection::Clock::time_point now) {
  c.address_ = address;
  c.refused_ = refused;
  c.idle_ = true;
  c.idle_since_ = now;
  c.connected_at_ = now;
  all_.insert(&c);
  if (refused) {
    ++refused_open_;
  } else {
    ++serving_;
    ++serving_by_address_[address];
  }
}

void ConnectionTable::set_idle(Connection& c, bool idle, Connection::Clock::time_point now) {
  if (idle && !c.idle_) c.idle_since_ = now;
  c.idle_ = idle;
}

void ConnectionTable::uncount(Connection& c) {
  if (c.evicted_) return;
  if (c.refused_) {
    --refused_open_;
    return;
  }
  --serving_;
  auto it = serving_by_address_.find(c.address_);
  if (it != serving_by_address_.end() && --it->second == 0) serving_by_address_.erase(it);
}

void ConnectionTable::remove(Connection& c) {
  if (all_.erase(&c) == 0) return;
  uncount(c);
}

void ConnectionTable::abort_all() {
  for (auto* c : all_) c->abort();
}

}  // namespace ps::admin
