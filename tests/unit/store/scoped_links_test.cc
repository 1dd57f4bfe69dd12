// PortalStore::load_links_for (core/scoped_links.h): a scoped run's links, by row and by anchor,
// on every backend, and anchors that would break a statement if they were pasted in unquoted.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/scoped_links.h"
#include "tests/unit/store/store_test_db.h"

using namespace ps;
using namespace ps::testing;

namespace {

std::vector<IdentityLink> some_links() {
  std::vector<IdentityLink> links = {{ObjectKind::org_unit, 1, "unit-1"},
                                     {ObjectKind::group, 7, "group-7"},
                                     {ObjectKind::shared_account, 50, "s-50"},
                                     {ObjectKind::account, 10, "a-10"},
                                     {ObjectKind::account, 11, "it's \\' OR 1=1 -- "},
                                     {ObjectKind::account, 12, "a-12"}};
  for (RowId id = 100; id < 1300; ++id)  // beyond one IN list
    links.push_back({ObjectKind::account, id, "bulk-" + std::to_string(id)});
  return links;
}

std::vector<std::string> anchors_of(std::vector<IdentityLink> links) {
  std::vector<std::string> out;
  for (const auto& l : links) out.push_back(l.anchor);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("a scoped run's links: the scope's accounts, every other kind, and by anchor",
          "[store][contract]") {
  StoreTestDb db;
  REQUIRE_OK(db.store->save_links(some_links(), {}));
  LinkRequest request;
  request.accounts = {10, 99};
  for (RowId id = 100; id < 1300; id += 2) request.accounts.insert(id);
  auto got = db.store->load_links_for(request);
  REQUIRE_OK(got);
  CHECK(got->account_links == 1204);  // 1,203 account links and the shared account's
  CHECK(got->links.size() == 3 + 1 + 600);
  auto anchors = anchors_of(got->links);
  CHECK(std::count(anchors.begin(), anchors.end(), "a-10") == 1);
  CHECK(std::count(anchors.begin(), anchors.end(), "a-12") == 0);
  CHECK(std::count(anchors.begin(), anchors.end(), "bulk-1298") == 1);
  CHECK(std::count(anchors.begin(), anchors.end(), "bulk-1299") == 0);

  SECTION("by anchor, quotes and backslashes taken as they are") {
    LinkRequest by_anchor;
    by_anchor.anchors = {"it's \\' OR 1=1 -- ", "a-12", "nobody's"};
    auto found = db.store->load_links_for(by_anchor);
    REQUIRE_OK(found);
    CHECK(anchors_of(found->links) == anchors_of({{ObjectKind::org_unit, 1, "unit-1"},
                                                  {ObjectKind::group, 7, "group-7"},
                                                  {ObjectKind::shared_account, 50, "s-50"},
                                                  {ObjectKind::account, 11, "it's \\' OR 1=1 -- "},
                                                  {ObjectKind::account, 12, "a-12"}}));
  }
  SECTION("the same as filtering every link") {
    auto all = db.store->load_links();
    REQUIRE_OK(all);
    auto filtered = select_links(all.value(), request);
    CHECK(anchors_of(filtered.links) == anchors);
    CHECK(filtered.account_links == got->account_links);
  }
}
