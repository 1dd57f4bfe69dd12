#include "core/audit_filter.h"

#include <algorithm>

#include "core/agency.h"
#include "core/portal_lookup.h"

namespace ps {

namespace {

bool known(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& v : list) out += (out.empty() ? "" : ", ") + v;
  return out;
}

std::optional<std::int64_t> whole_number(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoll(text);
}

std::vector<RowId> unit_and_below(const PortalSnapshot& p, RowId root, bool below) {
  std::vector<RowId> out{root};
  for (std::size_t i = 0; below && i < out.size(); ++i)
    for (const auto& u : p.units)
      if (u.parent_id && *u.parent_id == out[i] &&
          std::find(out.begin(), out.end(), u.id) == out.end())
        out.push_back(u.id);
  return out;
}

}  // namespace

const std::vector<std::string>& audit_filter_names() {
  static const std::vector<std::string> names = {
      "account", "unit", "subunits", "agency", "with_subagencies", "actor", "category", "result",
      "from",    "to",   "after",    "limit"};
  return names;
}

const std::vector<std::string>& audit_categories() {
  static const std::vector<std::string> list = {"data change", "unit transfer",    "status change",
                                                "role change", "custody",          "custody breach",
                                                "approval",    "scheduled change", "unit change",
                                                "password",    "lockout",          "quarantine"};
  return list;
}

const std::vector<std::string>& audit_results() {
  static const std::vector<std::string> list = {"pending",  "applied",  "failed",  "skipped",
                                                "unknown",  "done",     "blocked", "held",
                                                "approved", "released", "expired"};
  return list;
}

std::optional<std::string> audit_time(const std::string& text, const UtcOffset& offset) {
  auto t = parse_timestamp(text);
  if (!t) return std::nullopt;
  if (text.size() == 10 && offset) {  // a bare date: parse_timestamp took it as UTC midnight
    auto local = *t - offset(*t);
    *t = *t - offset(local);  // the offset in force at local midnight itself
  }
  return format_utc(*t);
}

bool audit_filter_names_rows(const std::map<std::string, std::string>& params) {
  return params.count("account") || params.count("unit") || params.count("agency");
}

Result<AuditFilter> build_audit_filter(const std::map<std::string, std::string>& params,
                                       const PortalSnapshot& portal, const UtcOffset& offset,
                                       const FormerAccount& former) {
  using R = Result<AuditFilter>;
  AuditFilter f;
  for (const auto& [name, value] : params)
    if (!known(audit_filter_names(), name))
      return R::failure(name + ": not a filter (known: " + joined(audit_filter_names()) + ")");
  auto get = [&](const char* name) -> const std::string* {
    auto it = params.find(name);
    return it == params.end() ? nullptr : &it->second;
  };
  if (const auto* name = get("account")) {
    if (const auto* a = find_account_by_username(portal, *name)) {
      f.account_id = a->id;
    } else {
      Result<std::optional<RowId>> gone = std::optional<RowId>();
      if (former) gone = former(*name);
      if (!gone) return R::failure("account: " + gone.error());
      if (!gone.value())
        return R::failure(StatusCode::not_found, "account: no account named \"" + *name +
                                                     "\", in the portal or the change log");
      f.account_id = *gone.value();
    }
  }
  if (get("unit") && get("agency")) return R::failure("agency: give unit or agency, not both");
  if (const auto* code = get("agency")) {
    const auto* u = find_unit_by_code(portal, *code);
    if (!u) return R::failure("agency: no unit with code \"" + *code + "\"");
    bool with_subagencies = get("with_subagencies") != nullptr;
    auto units = Agencies(portal).units_of(u->id, with_subagencies);
    // Nothing here would mean "every unit": a unit inside an agency is refused instead.
    if (units.empty()) return R::failure("agency: \"" + *code + "\" is a unit, not an agency");
    f.unit_ids.assign(units.begin(), units.end());
    // A record naming its agency is found by it, wherever its unit sits now; with subagencies, by
    // any agency the subtree holds (or held: a unit unmarked since is still in the subtree).
    f.agency_ids = with_subagencies ? f.unit_ids : std::vector<RowId>{u->id};
  } else if (get("with_subagencies")) {
    return R::failure("with_subagencies: needs agency");
  }
  if (const auto* code = get("unit")) {
    const auto* u = find_unit_by_code(portal, *code);
    if (!u) return R::failure("unit: no unit with code \"" + *code + "\"");
    f.unit_ids = unit_and_below(portal, u->id, get("subunits") != nullptr);
  } else if (get("subunits")) {
    return R::failure("subunits: needs unit");
  }
  if (const auto* v = get("actor")) f.actor = *v;
  if (const auto* v = get("category")) {
    if (!known(audit_categories(), *v))
      return R::failure("category: \"" + *v + "\" is none of " + joined(audit_categories()));
    f.category = *v;
  }
  if (const auto* v = get("result")) {
    if (!known(audit_results(), *v))
      return R::failure("result: \"" + *v + "\" is none of " + joined(audit_results()));
    f.result = *v;
  }
  for (auto [name, field] : {std::pair{"from", &f.from}, {"to", &f.to}})
    if (const auto* v = get(name)) {
      auto t = audit_time(*v, offset);
      if (!t)
        return R::failure(std::string(name) + ": \"" + *v +
                          "\" is not ISO 8601 with an offset or a date");
      *field = *t;
    }
  if (const auto* v = get("after")) {
    auto n = whole_number(*v);
    if (!n) return R::failure("after: not a record id: " + *v);
    f.after_id = *n;
  }
  if (const auto* v = get("limit")) {
    auto n = whole_number(*v);
    if (!n || *n < 1) return R::failure("limit: not a positive number: " + *v);
    f.limit = static_cast<std::size_t>(*n);
  }
  return f;
}

}  // namespace ps
