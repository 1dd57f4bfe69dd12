// Command-line arguments: "--name value", "--name=value", "-c FILE", flags and positionals.
// Options are declared by the command, so an unknown option or a missing value is a clear error.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace ps::cli {

struct OptionSpec {
  std::string name;        // "--config"
  std::string short_name;  // "-c" or ""
  bool takes_value = false;
};

class Args {
 public:
  static Result<Args> parse(const std::vector<std::string>& argv,
                            const std::vector<OptionSpec>& spec);

  bool has(const std::string& name) const { return flags_.count(name) || values_.count(name); }
  std::optional<std::string> value(const std::string& name) const;
  std::string value_or(const std::string& name, std::string fallback) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::set<std::string> flags_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
};

// Parses a non-negative integer option; fails naming the option.
Result<long> integer_option(const Args& args, const std::string& name, long fallback);

}  // namespace ps::cli
