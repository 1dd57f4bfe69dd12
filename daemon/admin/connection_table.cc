#include "daemon/admin/connection_table.h"

namespace ps::admin {

ConnectionTable::Verdict ConnectionTable::admit(const std::string& address,
                                                const AdminLimits& limits) {
  auto busy = [&] {
    return refused_open_ >= limits.max_connections ? Verdict::drop : Verdict::refuse;
  };
  auto from_address = serving_by_address_.find(address);
  if (from_address != serving_by_address_.end() &&
      from_address->second >= limits.max_connections_per_address) {
    auto* victim = oldest_idle(&address);
    if (!victim) return busy();
    evict(*victim);
  }
  if (serving_ >= limits.max_connections) {
    auto* victim = oldest_idle(nullptr);
    if (!victim) return busy();
    evict(*victim);
  }
  return Verdict::serve;
}

// A linear scan: there are at most twice max_connections live connections, and it runs only
// when a limit is reached.
Connection* ConnectionTable::oldest_idle(const std::string* address) const {
  Connection* oldest = nullptr;
  for (auto* c : all_) {
    if (c->refused_ || c->evicted_ || !c->idle_) continue;
    if (address && c->address_ != *address) continue;
    if (!oldest || c->idle_since_ < oldest->idle_since_) oldest = c;
  }
  return oldest;
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
