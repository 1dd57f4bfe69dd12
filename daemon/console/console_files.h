// The console's files, compiled in (daemon/console/embed.cmake writes the definition).
#pragma once

#include <string_view>
#include <vector>

namespace ps {

struct ConsoleFile {
  std::string_view name;  // "index.html", "console.js", ...
  std::string_view body;
};

const std::vector<ConsoleFile>& console_files();

}  // namespace ps
