#include "tests/support/server_setup.h"
#include "tests/support/build_paths.h"

#include <random>
#include <stdexcept>

#include "tests/support/temp_dir.h"

namespace ps::testing {

namespace {

std::string between(const std::string& text, const std::string& begin, const std::string& end) {
  auto from = text.find(begin);
  if (from == std::string::npos) return "";
  from += begin.size();
  auto to = text.find(end, from);
  return to == std::string::npos ? "" : text.substr(from, to - from);
}

}  // namespace

std::string random_hex(int length) {
  std::mt19937_64 random{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < length; ++i) out += hex[random() & 15];
  return out;
}

void require_success(const RunResult& r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error(r.describe(what) + "\n" + r.out + r.err);
}

std::string documented_sql(const std::string& marker) {
  auto doc = read_file(ps::testing::source_dir() + "/docs/portal-schema.md");
  auto block = between(doc, "<!-- " + marker + " -->", "<!-- /" + marker + " -->");
  auto sql = between(block, "```sql\n", "```");
  if (sql.empty())
    throw std::runtime_error("docs/portal-schema.md has no <!-- " + marker + " --> block");
  return sql;
}

}  // namespace ps::testing
