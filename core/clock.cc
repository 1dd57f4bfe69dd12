#include "core/clock.h"

#include <cstdio>
#include <ctime>

namespace ps {

std::string format_utc(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

bool read_digits(std::string_view s, std::size_t& i, int n, int& out) {
  out = 0;
  for (int k = 0; k < n; ++k, ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<TimePoint> parse_timestamp(std::string_view s) {
  std::size_t i = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, i, 4, y) || i >= s.size() || s[i++] != '-' || !read_digits(s, i, 2, mo) ||
      i >= s.size() || s[i++] != '-' || !read_digits(s, i, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  int offset_minutes = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != ' ') return std::nullopt;
    ++i;
    if (!read_digits(s, i, 2, h) || i >= s.size() || s[i++] != ':' || !read_digits(s, i, 2, mi))
      return std::nullopt;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_digits(s, i, 2, sec)) return std::nullopt;
      if (i < s.size() && s[i] == '.') {  // fractional seconds are ignored
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    if (i >= s.size()) return std::nullopt;  // a time without an offset is ambiguous
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      int sign = s[i++] == '-' ? -1 : 1;
      int oh, om = 0;
      if (!read_digits(s, i, 2, oh)) return std::nullopt;
      if (i < s.size() && s[i] == ':') ++i;
      if (i < s.size() && !read_digits(s, i, 2, om)) return std::nullopt;
      offset_minutes = sign * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
    if (i != s.size()) return std::nullopt;
  }
  using namespace std::chrono;
  auto ymd = year{y} / month{unsigned(mo)} / day{unsigned(d)};
  if (!ymd.ok()) return std::nullopt;
  sys_seconds tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} - minutes{offset_minutes};
  // TimePoint counts nanoseconds: it ends in 1677 and 2262. A time beyond (a "9999-12-31" meaning
  // never) is the earliest or latest one it holds instead of an overflow (found by fuzzing).
  constexpr auto earliest = time_point_cast<seconds>(TimePoint::min());
  constexpr auto latest = time_point_cast<seconds>(TimePoint::max());
  if (tp < earliest) return TimePoint::min();
  if (tp > latest) return TimePoint::max();
  return time_point_cast<system_clock::duration>(tp);
}

}  // namespace ps
