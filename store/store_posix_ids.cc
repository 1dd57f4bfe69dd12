// ps_posix_ids (store/posix_ids.h): read with the snapshot, added to, never updated or deleted.
#include "store/posix_ids.h"

#include "core/posix.h"
#include "store/database.h"
#include "store/row_reader.h"
#include "store/soci_portal_store.h"

namespace ps {

namespace {

std::string_view space_name(ObjectKind kind) {
  return posix_space(kind) == PosixSpace::gid ? "gid" : "uid";
}

}  // namespace

void load_posix_ids(soci::session& sql, PortalSnapshot& p) {
  auto r = read_rows(sql, "SELECT kind, portal_id, number FROM ps_posix_ids");
  while (r->next())
    if (auto kind = parse_object_kind(r->text(0)))
      p.posix_ids.push_back({*kind, r->integer(1), r->integer(2)});
}

// A plain INSERT: the primary key (kind, portal_id) and UNIQUE (space, number) make the
// transaction fail rather than change a row's number or hand one number out twice (another
// process assigning at the same time, say).
Status SociPortalStore::save_posix_ids(const std::vector<PosixId>& ids,
                                       const std::string& assigned_at) {
  if (ids.empty()) return Status::ok();
  try {
    soci::transaction tx(*sql_);
    std::string kind, space;
    long long id = 0, number = 0;
    soci::statement put = (sql_->prepare << "INSERT INTO ps_posix_ids(kind, portal_id, space, "
                                            "number, assigned_at) VALUES (:k, :i, :s, :n, :t)",
                           soci::use(kind), soci::use(id), soci::use(space), soci::use(number),
                           soci::use(assigned_at));
    for (const auto& p : ids) {
      kind = std::string(to_string(p.kind));
      space = std::string(space_name(p.kind));
      id = p.portal_id;
      number = p.number;
      put.execute(true);
    }
    tx.commit();
  } catch (const std::exception& e) {
    return failure("cannot record the POSIX numbers assigned", e);
  }
  return Status::ok();
}

}  // namespace ps
