#include "core/audit_log.h"

#include <cctype>

namespace ps {

namespace {

bool is_hex_hash(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::optional<std::int64_t> parse_seq(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  return std::stoll(s);
}

// The value after `key=` up to the next space, quote or end ("" when absent).
std::string field(const std::string& text, const std::string& key) {
  for (auto at = text.find(key + "="); at != std::string::npos; at = text.find(key + "=", at + 1)) {
    if (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))) continue;
    auto begin = at + key.size() + 1;
    auto end = text.find_first_of(" \t\"',}", begin);
    return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  }
  return "";
}

}  // namespace

std::optional<AuditAnchor> parse_anchor(const std::string& text) {
  auto seq = field(text, "seq");
  auto hash = field(text, "hash");
  if (seq.empty() && hash.empty()) {
    auto begin = text.find_first_not_of(" \t\r\n");
    auto end = text.find_last_not_of(" \t\r\n");
    if (begin == std::string::npos) return std::nullopt;
    auto bare = text.substr(begin, end - begin + 1);
    auto colon = bare.find(':');
    if (colon == std::string::npos) return std::nullopt;
    seq = bare.substr(0, colon);
    hash = bare.substr(colon + 1);
  }
  auto n = parse_seq(seq);
  if (!n || !is_hex_hash(hash)) return std::nullopt;
  for (auto& c : hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return AuditAnchor{*n, hash};
}

std::string format_anchor(const AuditAnchor& anchor) {
  return std::to_string(anchor.seq) + ":" + anchor.hash;
}

std::string_view to_string(ChainVerdict v) {
  switch (v) {
    case ChainVerdict::intact:
      return "intact";
    case ChainVerdict::broken:
      return "broken";
    case ChainVerdict::not_tamper_evident:
      return "not tamper-evident";
  }
  return "broken";
}

}  // namespace ps
