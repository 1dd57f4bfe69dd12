#include "core/attribute_names.h"

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace ps {

namespace {

// Names live in fixed-size chunks that never move, so a reader needs no lock: the chunk pointer
// is published with release/acquire, and an id only reaches a reader after its name was written.
constexpr std::size_t kChunkSize = 256;
constexpr std::size_t kMaxChunks = 1024;  // 262,144 names: far beyond any directory schema

struct NameTable {
  std::mutex mutex;
  std::unordered_map<std::string, AttributeNameId> ids;
  std::array<std::atomic<std::string*>, kMaxChunks> chunks{};
  std::size_t count = 0;
};

// Never destroyed: entries may be freed during static destruction, after a table would be.
NameTable& table() {
  static auto* t = new NameTable;
  return *t;
}

}  // namespace

AttributeNameId intern_attribute_name(std::string_view name) {
  auto& t = table();
  std::lock_guard lock(t.mutex);
  if (auto it = t.ids.find(std::string(name)); it != t.ids.end()) return it->second;
  std::size_t chunk = t.count / kChunkSize;
  if (chunk >= kMaxChunks) {
    std::fprintf(stderr, "portalsync: more than %zu attribute names\n", kChunkSize * kMaxChunks);
    std::abort();
  }
  std::string* names = t.chunks[chunk].load(std::memory_order_relaxed);
  if (!names) {
    names = new std::string[kChunkSize];
    t.chunks[chunk].store(names, std::memory_order_release);
  }
  names[t.count % kChunkSize] = std::string(name);
  auto id = static_cast<AttributeNameId>(t.count++);
  t.ids.emplace(std::string(name), id);
  return id;
}

const std::string& attribute_name(AttributeNameId id) {
  return table().chunks[id / kChunkSize].load(std::memory_order_acquire)[id % kChunkSize];
}

}  // namespace ps
