// portalsync schedule add | list | cancel: reserved-effect changes (預約生效).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/batch_rules.h"
#include "core/json.h"
#include "core/lifecycle.h"
#include "core/portal_lookup.h"
#include "core/unit_scope.h"
#include "daemon/actions/batch_csv.h"
#include "daemon/actions/scheduling.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/common.h"
#include "daemon/wiring/runtime.h"

namespace ps::cli {

namespace {

const char* kUsage =
    R"(usage: portalsync schedule add --account USERNAME --kind KIND --at TIME --reason TEXT
                                [--to-unit CODE] [--role ROLE] [--requested-by NAME] [-c FILE]
       portalsync schedule add --batch FILE [--requested-by NAME] [-c FILE]
       portalsync schedule list [--state S] [--kind K] [--unit CODE]
                                [--agency CODE [--with-subagencies]] [--from TIME] [--to TIME]
                                [--now TIME] [--json] [-c FILE]
       portalsync schedule cancel ID [-c FILE]

Reserved-effect changes run at the first sync at or after their time (--at, ISO 8601 with an
offset, e.g. 2026-12-01T08:00:00+08:00, or a date). KIND is disable, enable, transfer (needs
--to-unit) or set_role (needs --role). Rules are checked when the change runs; a refused change
is "blocked" with the reason in its outcome.

--batch FILE  a CSV file with the header username,kind,target_unit,target_role,reason,effective_at.
              The rows form one batch: they must concern accounts of the same role, status, unit
              and needs_mail, share one kind and each carry a reason, or nothing is written.
list --now    marks the rows that would run at TIME ("what will run on 2026-12-01?").
list --agency the changes of accounts in the agency's units, or transferring into them: down to,
              not into, the agencies below it (--with-subagencies: those as well).
)";

Result<std::vector<ScheduledChange>> read_batch(const PortalSnapshot& p, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<std::vector<ScheduledChange>>::failure("cannot read batch file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return actions::parse_batch_csv(p, text.str(), path);
}

int add(const Args& args, PortalStore& store, const PortalSnapshot& portal) {
  std::vector<ScheduledChange> rows;
  std::string requested_by = args.value_or("--requested-by", cli_actor());
  if (auto batch = args.value("--batch")) {
    auto read = read_batch(portal, *batch);
    if (!read) {
      std::fprintf(stderr, "portalsync schedule add: %s\n", read.error().c_str());
      return kExitFatal;
    }
    rows = std::move(read.value());
    if (auto problems = batch_problems(portal, rows); !problems.empty()) {
      std::fprintf(stderr,
                   "portalsync schedule add: the batch is not uniform, nothing was written:\n");
      for (const auto& p : problems) std::fprintf(stderr, "  %s\n", p.c_str());
      return kExitFatal;
    }
    auto batch_id = "batch-" + format_utc(std::chrono::system_clock::now());
    for (auto& r : rows) r.batch_id = batch_id;
  } else {
    auto c = actions::make_scheduled_change(
        portal, {args.value_or("--account", ""), args.value_or("--kind", ""),
                 args.value_or("--to-unit", ""), args.value_or("--role", ""),
                 args.value_or("--reason", ""), args.value_or("--at", "")});
    if (!c) {
      std::fprintf(stderr, "portalsync schedule add: %s\n", c.error().c_str());
      return kExitFatal;
    }
    rows.push_back(std::move(c.value()));
  }
  auto saved = actions::save_scheduled_changes(store, portal, std::move(rows), requested_by);
  if (!saved) {
    std::fprintf(stderr, "portalsync schedule add: %s\n", saved.error().c_str());
    return kExitFatal;
  }
  for (const auto& r : saved.value())
    std::printf("scheduled %lld: %s %s at %s\n", static_cast<long long>(r.id), r.kind.c_str(),
                account_name(portal, r.account_id).c_str(), r.effective_at.c_str());
  return kExitOk;
}

// --agency as the units it reaches; nothing when not given. A code that names no agency is an
// error: matching nothing would look like "no changes".
Result<std::optional<UnitScope>> agency_option(const Args& args, const PortalSnapshot& p) {
  using R = Result<std::optional<UnitScope>>;
  auto code = args.value("--agency");
  if (!code) {
    if (args.has("--with-subagencies")) return R::failure("--with-subagencies needs --agency");
    return std::optional<UnitScope>();
  }
  auto scope = UnitScope::of(ScopeCodes{{}, {*code}, args.has("--with-subagencies")}, p);
  if (scope.units().empty())
    return R::failure("--agency \"" + *code + "\": no agency has this code");
  return std::optional<UnitScope>(std::move(scope));
}

bool matches(const Args& args, const PortalSnapshot& p, const ScheduledChange& c,
             const std::optional<UnitScope>& agency) {
  if (auto s = args.value("--state"); s && to_string(c.state) != *s) return false;
  if (auto k = args.value("--kind"); k && c.kind != *k) return false;
  if (auto u = args.value("--unit")) {
    const auto* a = find_account(p, c.account_id);
    const auto* unit = find_unit_by_code(p, *u);
    bool in_unit = unit && ((a && a->org_unit_id == unit->id) ||
                            (c.target_org_unit_id && *c.target_org_unit_id == unit->id));
    if (!in_unit) return false;
  }
  if (agency) {
    const auto* a = find_account(p, c.account_id);
    if (!(a && agency->has_unit(a->org_unit_id)) &&
        !(c.target_org_unit_id && agency->has_unit(*c.target_org_unit_id)))
      return false;
  }
  auto at = parse_timestamp(c.effective_at);
  if (auto from = args.value("--from");
      from && (!at || *at < parse_timestamp(*from).value_or(TimePoint{})))
    return false;
  if (auto to = args.value("--to");
      to && (!at || *at > parse_timestamp(*to).value_or(TimePoint::max())))
    return false;
  return true;
}

int list(const Args& args, PortalStore& store, const PortalSnapshot& portal, TimePoint now) {
  auto changes = store.load_scheduled_changes();
  if (!changes) {
    std::fprintf(stderr, "portalsync schedule list: %s\n", changes.error().c_str());
    return kExitFatal;
  }
  auto agency = agency_option(args, portal);
  if (!agency) {
    std::fprintf(stderr, "portalsync schedule list: %s\n", agency.error().c_str());
    return kExitFatal;
  }
  auto due = due_changes(changes.value(), now);
  auto is_due = [&](RowId id) {
    for (const auto& d : due)
      if (d.id == id) return true;
    return false;
  };
  bool json = args.has("--json");
  JsonWriter w;
  w.begin_array();
  for (const auto& c : changes.value()) {
    if (!matches(args, portal, c, agency.value())) continue;
    auto kind = parse_change_kind(c.kind);
    auto target = kind == ChangeKind::transfer && c.target_org_unit_id
                      ? unit_name(portal, *c.target_org_unit_id)
                  : kind == ChangeKind::set_role ? c.target_role
                                                 : "";
    if (json) {
      w.begin_object()
          .key("id")
          .value(static_cast<std::int64_t>(c.id))
          .key("account")
          .value(account_name(portal, c.account_id))
          .key("kind")
          .value(c.kind)
          .key("target")
          .value(target)
          .key("effective_at")
          .value(c.effective_at)
          .key("state")
          .value(to_string(c.state))
          .key("due")
          .value(is_due(c.id))
          .key("reason")
          .value(c.reason)
          .key("batch_id")
          .value(c.batch_id)
          .key("requested_by")
          .value(c.requested_by)
          .key("outcome")
          .value(c.outcome)
          .key("problem")
          .value(c.state == ChangeState::pending ? malformed_change(c) : "")
          .key("executed_at")
          .value(c.executed_at)
          .end_object();
    } else {
      std::printf("%-5lld %-9s %-10s %-20s %-26s %-10s %s%s%s\n", static_cast<long long>(c.id),
                  std::string(to_string(c.state)).c_str(), c.kind.c_str(),
                  account_name(portal, c.account_id).c_str(), c.effective_at.c_str(),
                  target.c_str(), is_due(c.id) ? "[due] " : "", c.reason.c_str(),
                  c.outcome.empty() ? "" : (" -> " + c.outcome).c_str());
      if (auto problem = malformed_change(c); c.state == ChangeState::pending && !problem.empty())
        std::printf("      cannot run: %s (the next sync marks it failed)\n", problem.c_str());
    }
  }
  w.end_array();
  if (json) std::printf("%s\n", w.str().c_str());
  return kExitOk;
}

int cancel(const Args& args, PortalStore& store, const PortalSnapshot& portal) {
  if (args.positionals().size() != 2) {
    std::fputs(kUsage, stderr);
    return kExitFatal;
  }
  auto id = std::strtoll(args.positionals()[1].c_str(), nullptr, 10);
  auto cancelled = actions::cancel_scheduled_change(store, portal, id, cli_actor());
  if (!cancelled) {
    std::fprintf(stderr, "portalsync schedule cancel: %s\n", cancelled.error().c_str());
    return kExitFatal;
  }
  std::printf("%s\n", cancelled->c_str());
  return kExitOk;
}

}  // namespace

int run_schedule(const Argv& argv) {
  int status = kExitOk;
  auto args = parse_or_report(argv,
                              {kConfigOption,
                               kNowOption,
                               {"--account", "", true},
                               {"--kind", "", true},
                               {"--at", "", true},
                               {"--reason", "", true},
                               {"--to-unit", "", true},
                               {"--role", "", true},
                               {"--requested-by", "", true},
                               {"--batch", "", true},
                               {"--state", "", true},
                               {"--unit", "", true},
                               {"--agency", "", true},
                               {"--with-subagencies", "", false},
                               {"--from", "", true},
                               {"--to", "", true},
                               {"--json", "", false}},
                              kUsage, status);
  if (!args) return status;
  if (args->positionals().empty()) {
    std::fputs(kUsage, stderr);
    return kExitFatal;
  }
  auto now = now_option(*args);
  if (!now) return kExitFatal;
  auto portal = open_portal(*args);
  if (!portal) return kExitFatal;
  const auto& action = args->positionals()[0];
  if (action == "add") return add(*args, *portal->store, portal->snapshot);
  if (action == "list") return list(*args, *portal->store, portal->snapshot, *now);
  if (action == "cancel") return cancel(*args, *portal->store, portal->snapshot);
  std::fprintf(stderr, "portalsync schedule: unknown action \"%s\" (add, list or cancel)\n",
               action.c_str());
  return kExitFatal;
}

}  // namespace ps::cli
