// load_config: parse the file, read every section, and turn everything that went wrong (including
// yaml-cpp's exceptions) into one message listing each problem with file and line.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/config.h"
#include "config/config_files.h"
#include "config/config_sections.h"
#include "config/yaml_reader.h"
#include "yaml-cpp/eventhandler.h"

namespace ps {

namespace {

std::string located(const std::string& path, const YAML::Mark& mark, const std::string& message) {
  if (mark.line < 0) return path + ": " + message;
  return path + ":" + std::to_string(mark.line + 1) + ": " + message;
}

std::string line_text(const std::string& text, int line) {
  std::istringstream lines(text);
  std::string content;
  for (int i = 0; i <= line; ++i)
    if (!std::getline(lines, content)) return "";
  return content;
}

// yaml-cpp reports a tab in the indentation as a bare "illegal map value"; say what it is.
std::string tab_hint(const std::string& text, int line) {
  auto content = line_text(text, line);
  auto indent = content.substr(0, content.find_first_not_of(" \t"));
  return indent.find('\t') == std::string::npos ? "" : "; indent with spaces, not tabs";
}

// Where each document of a stream starts, for counting them without building them.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

Result<YAML::Node> parse_text(const std::string& path, const std::string& text) {
  using R = Result<YAML::Node>;
  try {
    // Not YAML::LoadAll: in yaml-cpp 0.7 it never returns on a stream that starts with a stray
    // ',' (jbeder/yaml-cpp#1040, found by fuzzing): the parser hands out empty documents
    // forever without reading on. Two documents are all there is to know.
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentStarts documents;
    while (documents.marks.size() < 2 && parser.HandleNextDocument(documents)) {
    }
    if (documents.marks.empty())
      return R::failure(path + ": is empty; it needs at least the portal and directory sections");
    auto root = YAML::Load(text);  // the first document
    // A second document would be silently ignored (one that starts where the first did is the
    // parser going round in circles, not a document).
    if (documents.marks.size() > 1 && documents.marks[1].pos != documents.marks[0].pos)
      return R::failure(located(path, documents.marks[1],
                                "holds more than one YAML document (---); keep only one"));
    if (!root.IsMap())
      return R::failure(
          located(path, root.Mark(), "must be a mapping of sections (portal, directory, ...)"));
    return root;
  } catch (const YAML::Exception& e) {
    return R::failure(located(path, e.mark,
                              "YAML syntax error: " + e.msg + tab_hint(text, e.mark.line) +
                                  " (column " + std::to_string(e.mark.column + 1) + ")"));
  }
}

Result<YAML::Node> parse_file(const std::string& path) {
  if (auto readable = check_readable_file(path); !readable)
    return Result<YAML::Node>::failure(readable.message());
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Result<YAML::Node>::failure("cannot read " + path + ": " + std::strerror(errno));
  return parse_text(path, text.str());
}

void read_sections(YamlReader& r, const YAML::Node& root, Config& c) {
  r.check_keys(
      root, "",
      {"portal", "directory", "sync", "daemon", "admin", "policies", "passwords", "audit", "log"});
  read_portal(r, root, c);
  read_directory(r, root, c);
  read_sync(r, root, c);
  read_daemon(r, root, c);
  read_admin(r, root, c);
  read_policies(r, root, c);
  read_passwords(r, root, c);
  read_log(r, root, c);
  read_audit(r, root, c);
}

}  // namespace

Result<Config> load_config(const std::string& path) {
  auto root = parse_file(path);
  if (!root) return Result<Config>::failure(root.error());
  Config c;
  c.source = path;
  YamlReader r(path);
  try {
    read_sections(r, root.value(), c);
  } catch (const YAML::Exception& e) {
    // The reader checks node kinds before converting; this is a safety net, not a code path.
    r.error_at_line(e.mark.line + 1, "", e.msg);
  }
  if (r.has_errors()) return Result<Config>::failure(r.error_text());
  return c;
}

}  // namespace ps
