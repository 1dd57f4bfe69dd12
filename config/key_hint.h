// "Did you mean" hints for misspelt configuration keys.
#pragma once

#include <set>
#include <string>

namespace ps {

// The closest of `candidates` within edit distance 2 of `key`, or "" when none is that close.
std::string closest_key(const std::string& key, const std::set<std::string>& candidates);

}  // namespace ps
