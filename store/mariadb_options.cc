#include "store/mariadb_options.h"

#include <fstream>
#include <map>
#include <sstream>

namespace ps {

namespace {

using Params = std::map<std::string, std::string>;

std::string trimmed(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

// An option file's value: quoted ('...' or "...", with \ escapes) or bare up to a comment.
std::string option_value(const std::string& raw) {
  auto v = trimmed(raw);
  if (v.empty() || (v.front() != '"' && v.front() != '\''))
    return trimmed(v.substr(0, v.find(" #")));
  std::string out;
  for (std::size_t i = 1; i < v.size() && v[i] != v.front(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) ++i;
    out += v[i];
  }
  return out;
}

// MariaDB spells an option with '-' or '_' alike.
std::string option_key(std::string key) {
  for (auto& ch : key)
    if (ch == '-') ch = '_';
  return trimmed(key);
}

Result<Params> read_option_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Result<Params>::failure("cannot read the MariaDB option file " + path);
  Params out;
  std::string line, group;
  while (std::getline(in, line)) {
    auto text = trimmed(line);
    if (text.empty() || text[0] == '#' || text[0] == ';') continue;
    if (text[0] == '[') {
      group = trimmed(text.substr(1, text.find(']') - 1));
      continue;
    }
    auto eq = text.find('=');
    if ((group == "client" || group == "client-mariadb") && eq != std::string::npos)
      out[option_key(text.substr(0, eq))] = option_value(text.substr(eq + 1));
  }
  return out;
}

Params parse_params(const std::string& params) {
  Params out;
  std::istringstream words(params);
  std::string word;
  while (words >> word)
    if (auto eq = word.find('='); eq != std::string::npos)
      out[word.substr(0, eq)] = word.substr(eq + 1);
  return out;
}

// SOCI reads a quoted value up to its closing quote, with \ escaping the next character.
std::string soci_value(const std::string& value) {
  std::string out = "'";
  for (char ch : value) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
}

}  // namespace

Result<std::string> mariadb_connect_string(const std::string& params) {
  auto given = parse_params(params);
  if (auto file = given.find("option_file"); file != given.end()) {
    auto options = read_option_file(file->second);
    if (!options) return Error{options.error()};
    given.erase(file);
    // The option file's names, as SOCI's mysql backend spells them.
    const std::map<std::string, std::string> names = {
        {"user", "user"}, {"password", "password"},  {"host", "host"},
        {"port", "port"}, {"socket", "unix_socket"}, {"database", "dbname"}};
    for (const auto& [option, soci] : names)
      if (auto v = options->find(option);
          v != options->end() && !given.count(soci) && !(soci == "dbname" && given.count("db")))
        given[soci] = v->second;
  }
  std::string out;
  for (const auto& [key, value] : given)
    out += (out.empty() ? "" : " ") + key + "=" + soci_value(value);
  return out;
}

}  // namespace ps
