#include "daemon/admin/router.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "daemon/admin/url.h"

namespace ps::admin {

namespace {

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// "/a/b" → {"a", "b"}; "/" → {}. Empty segments are kept, so "/a//b" matches no route.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path == "/") return segments;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

std::optional<std::vector<std::string>> decode_segments(std::string_view path) {
  std::vector<std::string> decoded;
  for (auto raw : split_path(path)) {
    auto segment = percent_decode(raw);
    if (!segment) return std::nullopt;
    decoded.push_back(std::move(*segment));
  }
  return decoded;
}

bool matches(const Router::Route& route, const std::vector<std::string>& segments,
             std::map<std::string, std::string>* params) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& want = route.segments[i];
    if (is_param(want)) {
      if (segments[i].empty()) return false;
      if (params) (*params)[want.substr(1, want.size() - 2)] = segments[i];
    } else if (want != segments[i]) {
      return false;
    }
  }
  return true;
}

// Two patterns can match the same path ("/a/export" and "/a/{id}"): the one with a literal where
// the other has a parameter, earliest segment first, wins.
bool more_specific(const Router::Route& a, const Router::Route& b) {
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    bool a_param = is_param(a.segments[i]), b_param = is_param(b.segments[i]);
    if (a_param != b_param) return b_param;
  }
  return false;
}

// "/a/{id}" and "/a/{name}" match the same paths: registering both is a mistake.
bool same_shape(const Router::Route& a, const Router::Route& b) {
  if (a.segments.size() != b.segments.size()) return false;
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    bool a_param = is_param(a.segments[i]);
    if (a_param != is_param(b.segments[i]) || (!a_param && a.segments[i] != b.segments[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace

Router& Router::add_async(std::string_view method, std::string_view pattern, AsyncHandler handler,
                          Access access) {
  add(method, pattern, Handler{}, access);
  routes_.back().async_handler = std::move(handler);
  return *this;
}

Router& Router::add(std::string_view method, std::string_view pattern, Handler handler,
                    Access access) {
  std::string where = std::string(method) + " " + std::string(pattern);
  if (method.empty() || pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("admin route " + where + ": needs a method and a path from /");
  }
  Route route{std::string(method), std::string(pattern), access,
              Duty::administer,    std::move(handler),   {}};
  auto segments = split_path(pattern);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    auto segment = segments[i];
    bool braces = segment.find_first_of("{}") != std::string_view::npos;
    // Only the last segment may be empty: "/ui/" is a directory's own page.
    bool empty_inside = segment.empty() && i + 1 < segments.size();
    if (empty_inside || (segment.empty() && segments.size() == 1) ||
        (braces && !is_param(segment)) ||
        (is_param(segment) &&
         segment.substr(1, segment.size() - 2).find_first_of("{}") != std::string_view::npos)) {
      throw std::invalid_argument("admin route " + where + ": malformed segment");
    }
    route.segments.emplace_back(segment);
  }
  for (const auto& other : routes_) {
    if (other.method == route.method && same_shape(other, route)) {
      throw std::invalid_argument("admin route " + where + ": registered twice");
    }
  }
  routes_.push_back(std::move(route));
  return *this;
}

Router& Router::needs(Duty duty) {
  routes_.back().duty = duty;
  return *this;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  auto segments = decode_segments(path);
  if (!segments) {
    result.kind = Match::Kind::bad_path;
    return result;
  }
  bool all_public = true;
  for (const auto& route : routes_) {
    if (!matches(route, *segments, nullptr)) continue;
    if (route.method != method) {
      result.allowed.push_back(route.method);
      all_public = all_public && route.access == Access::public_;
    } else if (!result.route || more_specific(route, *result.route)) {
      result.route = &route;
    }
  }
  if (result.route) {
    result.kind = Match::Kind::found;
    matches(*result.route, *segments, &result.params);
    result.allowed.clear();
  } else if (!result.allowed.empty()) {
    result.kind = Match::Kind::method_not_allowed;
    result.public_path = all_public;
    std::sort(result.allowed.begin(), result.allowed.end());
    result.allowed.erase(std::unique(result.allowed.begin(), result.allowed.end()),
                         result.allowed.end());
  }
  return result;
}

}  // namespace ps::admin
