#include "daemon/cli/args.h"

#include <charconv>

namespace ps::cli {

Result<Args> Args::parse(const std::vector<std::string>& argv,
                         const std::vector<OptionSpec>& spec) {
  Args out;
  auto find = [&](const std::string& token) -> const OptionSpec* {
    for (const auto& s : spec)
      if (token == s.name || (!s.short_name.empty() && token == s.short_name)) return &s;
    return nullptr;
  };
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string token = argv[i];
    if (token.size() < 2 || token[0] != '-') {
      out.positionals_.push_back(token);
      continue;
    }
    std::optional<std::string> inline_value;
    if (auto eq = token.find('='); eq != std::string::npos && token.rfind("--", 0) == 0) {
      inline_value = token.substr(eq + 1);
      token = token.substr(0, eq);
    }
    const auto* s = find(token);
    if (!s) return Result<Args>::failure("unknown option " + token + " (see --help)");
    if (!s->takes_value) {
      if (inline_value) return Result<Args>::failure("option " + s->name + " takes no value");
      out.flags_.insert(s->name);
      continue;
    }
    if (inline_value) {
      out.values_[s->name] = *inline_value;
    } else if (i + 1 < argv.size()) {
      out.values_[s->name] = argv[++i];
    } else {
      return Result<Args>::failure("option " + s->name + " needs a value");
    }
  }
  return out;
}

std::optional<std::string> Args::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::value_or(const std::string& name, std::string fallback) const {
  auto v = value(name);
  return v ? *v : std::move(fallback);
}

Result<long> integer_option(const Args& args, const std::string& name, long fallback) {
  auto text = args.value(name);
  if (!text) return fallback;
  long value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 0)
    return Result<long>::failure("option " + name + " needs a non-negative whole number, got \"" +
                                 *text + "\"");
  return value;
}

}  // namespace ps::cli
