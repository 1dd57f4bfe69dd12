#include "core/dn.h"

#include <cstdio>

#include "core/text.h"

namespace ps {

namespace {

bool is_dn_special(char c) {
  return c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' ||
         c == '=';
}

void append_hex(std::string& out, unsigned char c) {
  out += '\\';
  append_hex_byte(out, c);
}

}  // namespace

std::string escape_dn_value(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 8);
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    bool edge_space = c == ' ' && (i == 0 || i + 1 == value.size());
    if (c == '\0') {
      append_hex(out, 0);
    } else if (is_dn_special(c) || edge_space || (c == '#' && i == 0)) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_filter_value(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 8);
  for (char c : value) {
    if (c == '*' || c == '(' || c == ')' || c == '\\' || c == '\0')
      append_hex(out, static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out;
}

std::string make_rdn(std::string_view type, std::string_view value) {
  std::string out(type);
  out += '=';
  out += escape_dn_value(value);
  return out;
}

std::string join_dn(std::string_view rdn, std::string_view parent) {
  std::string out(rdn);
  if (!parent.empty()) {
    out += ',';
    out += parent;
  }
  return out;
}

// RFC 4514 section 3: attributeType "=" value, RDNs separated by ",", AVAs by "+". Values may carry
// "\<special>" and "\<hex><hex>" escapes; a value starting with "#" is a BER hexstring, which we
// keep verbatim (our own entries never use it).
Result<Dn> parse_dn(std::string_view text) {
  Dn dn;
  if (text.empty()) return dn;
  std::size_t i = 0;
  Rdn rdn;
  while (true) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t eq = text.find('=', i);
    if (eq == std::string_view::npos)
      return Result<Dn>::failure("invalid DN \"" + std::string(text) + "\": missing '='");
    std::string type(text.substr(i, eq - i));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    if (type.empty())
      return Result<Dn>::failure("invalid DN \"" + std::string(text) + "\": empty attribute type");
    i = eq + 1;
    std::string value;
    std::size_t trailing_spaces_start = std::string::npos;  // unescaped trailing spaces are trimmed
    while (i < text.size() && text[i] != ',' && text[i] != '+' && text[i] != ';') {
      char c = text[i];
      if (c == '\\') {
        if (i + 1 >= text.size())
          return Result<Dn>::failure("invalid DN \"" + std::string(text) + "\": dangling '\\'");
        int h1 = hex_digit_value(text[i + 1]);
        int h2 = i + 2 < text.size() ? hex_digit_value(text[i + 2]) : -1;
        if (h1 >= 0 && h2 >= 0) {
          value += static_cast<char>(h1 * 16 + h2);
          i += 3;
        } else {
          value += text[i + 1];
          i += 2;
        }
        trailing_spaces_start = std::string::npos;
        continue;
      }
      if (c == ' ') {
        if (trailing_spaces_start == std::string::npos) trailing_spaces_start = value.size();
      } else {
        trailing_spaces_start = std::string::npos;
      }
      value += c;
      ++i;
    }
    if (trailing_spaces_start != std::string::npos) value.resize(trailing_spaces_start);
    rdn.avas.push_back({std::move(type), std::move(value)});
    if (i >= text.size()) {
      dn.rdns.push_back(std::move(rdn));
      break;
    }
    char sep = text[i++];
    if (sep != '+') {
      dn.rdns.push_back(std::move(rdn));
      rdn = Rdn{};
    }
  }
  return dn;
}

std::string format_dn(const Dn& dn) {
  std::string out;
  for (std::size_t r = 0; r < dn.rdns.size(); ++r) {
    if (r) out += ',';
    const auto& avas = dn.rdns[r].avas;
    for (std::size_t a = 0; a < avas.size(); ++a) {
      if (a) out += '+';
      out += avas[a].type;
      out += '=';
      out += escape_dn_value(avas[a].value);
    }
  }
  return out;
}

std::string normalize_dn(std::string_view text) {
  auto parsed = parse_dn(text);
  if (!parsed) return to_lower_ascii(text);
  for (auto& rdn : parsed->rdns)
    for (auto& ava : rdn.avas) {
      ava.type = to_lower_ascii(ava.type);
      ava.value = to_lower_ascii(ava.value);
    }
  return format_dn(parsed.value());
}

bool is_dn_below(std::string_view dn, std::string_view base) {
  auto d = parse_dn(normalize_dn(dn));
  auto b = parse_dn(normalize_dn(base));
  if (!d || !b || d->rdns.size() <= b->rdns.size()) return false;
  Dn tail;
  tail.rdns.assign(d->rdns.end() - static_cast<std::ptrdiff_t>(b->rdns.size()), d->rdns.end());
  return format_dn(tail) == format_dn(b.value());
}

std::string parent_dn(std::string_view text) {
  auto parsed = parse_dn(text);
  if (!parsed || parsed->rdns.size() <= 1) return "";
  parsed->rdns.erase(parsed->rdns.begin());
  return format_dn(parsed.value());
}

std::string first_rdn(std::string_view text) {
  auto parsed = parse_dn(text);
  if (!parsed || parsed->rdns.empty()) return "";
  Dn one;
  one.rdns.push_back(parsed->rdns.front());
  return format_dn(one);
}

}  // namespace ps
