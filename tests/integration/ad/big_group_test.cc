// A group larger than AD's MaxValRange (1,500 values) read through the connector: complete, in
// one `member` attribute, whether the server sends the values at once (Samba) or in ranges
// (Windows; asked for explicitly here, as Samba never splits on its own), and with paged reads
// of more entries than AD's MaxPageSize. The group comes with the Samba template, made offline:
// 1,600 LDAP adds would take Samba 10-40 s.
#include <catch2/catch.hpp>

#include <set>

#include "ad_test_helpers.h"
#include "connectors/ldap/ldap_range.h"
#include "tests/support/samba_template.h"

using namespace ad_test;

namespace {

using ps::testing::kSambaBigGroupMembers;

// The group the Samba template holds (samba_template.h): kSambaBigGroupMembers contacts in an OU
// of their own, all of them members. Read only.
struct BigGroup {
  std::string ou = ps::testing::kSambaBigGroupOu;
  std::string group_dn = ps::join_dn(ps::make_rdn("CN", ps::testing::kSambaBigGroupCn), ou);
  std::set<std::string> member_dns;  // normalized
};

BigGroup big_group() {
  BigGroup big;
  for (int i = 0; i < kSambaBigGroupMembers; ++i)
    big.member_dns.insert(ps::normalize_dn("CN=聯絡人" + std::to_string(i) + "," + big.ou));
  return big;
}

std::set<std::string> normalized(const std::vector<std::string>& dns) {
  std::set<std::string> out;
  for (const auto& dn : dns) out.insert(ps::normalize_dn(dn));
  return out;
}

}  // namespace

TEST_CASE("an AD group of 1600 members reads back whole", "[ad][group]") {
  const SambaDc& dc = shared_samba();
  BigGroup big = big_group();
  auto connector = connect(dc.connector_settings());
  auto read = connector->read_subtree({big.ou, {"member"}});
  REQUIRE_OK(read);
  const auto* group = find_dn(read->entries, big.group_dn);
  REQUIRE(group);
  REQUIRE(group->find("member"));
  CHECK(group->find("member")->size() == kSambaBigGroupMembers);
  CHECK(normalized(group->find("member")->strings()) == big.member_dns);
}

TEST_CASE("AD members sent in ranges are fetched part by part into one attribute", "[ad][group]") {
  const SambaDc& dc = shared_samba();
  BigGroup big = big_group();
  auto connector = connect(dc.connector_settings());
  // 0-499 first, then the connector asks for 500-* (Samba sends the rest at once; Windows would
  // send up to 1,500 a time and the connector would keep asking).
  for (std::string first_part : {"member;range=0-499", "member;Range=0-1499", "member;range=0-*"}) {
    INFO(first_part);
    auto read = connector->read_subtree({big.ou, {first_part}});
    REQUIRE_OK(read);
    const auto* group = find_dn(read->entries, big.group_dn);
    REQUIRE(group);
    REQUIRE(group->attributes().size() == 1);
    CHECK(group->attributes().name(0) == "member");
    CHECK(normalized(group->attributes().values(0).strings()) == big.member_dns);
    CHECK(group->attributes().values(0).size() == kSambaBigGroupMembers);
  }
}

TEST_CASE("an unpaged ad flavor read of more than 1000 entries still gets them all",
          "[ad][group]") {
  const SambaDc& dc = shared_samba();
  BigGroup big = big_group();
  auto settings = dc.connector_settings();
  settings.page_size = 0;  // the ad flavor pages at 1,000 anyway
  auto connector = connect(settings);
  auto read = connector->read_subtree({big.ou, {"cn"}});
  REQUIRE_OK(read);
  CHECK(read->entries.size() == kSambaBigGroupMembers + 1);
  std::set<std::string> anchors;
  for (const auto& e : read->entries) anchors.emplace(e.anchor());
  CHECK(anchors.size() == kSambaBigGroupMembers + 1);
}

TEST_CASE("range options are read the way AD writes them", "[ad][group]") {
  auto middle = ps::parse_value_range("member;range=1500-2999");
  REQUIRE(middle);
  CHECK(middle->attribute == "member");
  CHECK(middle->first == 1500);
  CHECK(middle->last == 2999u);
  auto last = ps::parse_value_range("Member;Range=3000-*");
  REQUIRE(last);
  CHECK(last->attribute == "Member");
  CHECK_FALSE(last->last);
  auto with_other_option = ps::parse_value_range("member;range=0-1499;binary");
  REQUIRE(with_other_option);
  CHECK(with_other_option->attribute == "member;binary");
  for (const char* not_a_range : {"member", "member;binary", "member;range=", "member;range=a-b",
                                  "member;range=5", "member;range=1-2x"})
    CHECK_FALSE(ps::parse_value_range(not_a_range));
}
