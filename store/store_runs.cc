// The run history in ps_runs, for the admin API's GET /v1/runs.
#include <soci/soci.h>

#include "store/database.h"
#include "store/soci_portal_store.h"

namespace ps {

Result<std::vector<RunRow>> SociPortalStore::load_runs_since(const std::string& since,
                                                             std::size_t limit) {
  std::vector<RunRow> out;
  try {
    long long most = static_cast<long long>(limit);
    soci::rowset<soci::row> rows =
        (sql_->prepare << "SELECT id, started_at, finished_at, status, summary_json FROM ps_runs "
                          "WHERE mode = 'sync' AND started_at >= :s ORDER BY id LIMIT :n",
         soci::use(since), soci::use(most));
    for (const auto& r : rows)
      out.push_back({column_int(r, 0), column_text(r, 1), column_text(r, 2), column_text(r, 3),
                     column_text(r, 4)});
  } catch (const std::exception& e) {
    return Error{failure("cannot read ps_runs", e).message()};
  }
  return out;
}

}  // namespace ps
