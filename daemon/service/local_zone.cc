#include "daemon/service/local_zone.h"

#include <cstdlib>
#include <ctime>

namespace ps {

void use_time_zone(const std::string& zone) {
  setenv("TZ", zone.c_str(), 1);
  tzset();
}

std::chrono::minutes utc_offset_at(TimePoint t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  localtime_r(&seconds, &local);
  return std::chrono::minutes(local.tm_gmtoff / 60);
}

}  // namespace ps
