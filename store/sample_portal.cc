#include "store/sample_portal.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <vector>

#include "core/model.h"
#include "store/database.h"
#include "store/schema.h"

namespace ps {

namespace {

struct Named {
  const char* zh;
  const char* latin;
};

const Named kSurnames[] = {{"陳", "chen"},  {"林", "lin"},  {"黃", "huang"}, {"張", "chang"},
                           {"李", "li"},    {"王", "wang"}, {"吳", "wu"},    {"劉", "liu"},
                           {"蔡", "tsai"},  {"楊", "yang"}, {"許", "hsu"},   {"鄭", "cheng"},
                           {"謝", "hsieh"}, {"郭", "kuo"},  {"洪", "hung"},  {"曾", "tseng"},
                           {"邱", "chiu"},  {"廖", "liao"}, {"賴", "lai"},   {"周", "chou"}};
const Named kGiven[] = {{"雅", "ya"},   {"婷", "ting"}, {"志", "chih"},  {"明", "ming"},
                        {"怡", "yi"},   {"君", "chun"}, {"家", "chia"},  {"豪", "hao"},
                        {"淑", "shu"},  {"芬", "fen"},  {"俊", "chun"},  {"傑", "chieh"},
                        {"佩", "pei"},  {"珊", "shan"}, {"建", "chien"}, {"宏", "hung"},
                        {"美", "mei"},  {"玲", "ling"}, {"冠", "kuan"},  {"宇", "yu"},
                        {"欣", "hsin"}, {"怡", "yi"},   {"宗", "tsung"}, {"翰", "han"}};
const char* kTitles[] = {"科員", "科員", "科員", "辦事員",   "專員", "技士",
                         "股長", "科長", "秘書", "約僱人員", "課員", "組員"};
const char* kDepartments[] = {"民政局",     "教育局",     "工務局",     "社會局",
                              "衛生局",     "財政稅務局", "經濟發展局", "觀光旅遊局",
                              "都市發展局", "交通局",     "農業局",     "環境保護局",
                              "文化局",     "勞工局",     "人事處",     "主計處",
                              "政風處",     "法制處",     "秘書處",     "研究發展考核委員會"};
const char* kDistricts[] = {"東區",   "南區",   "北區",   "安南區", "安平區", "中西區", "新營區",
                            "鹽水區", "白河區", "柳營區", "後壁區", "東山區", "麻豆區", "下營區",
                            "六甲區", "官田區", "大內區", "佳里區", "學甲區", "西港區", "七股區",
                            "將軍區", "北門區", "新化區", "善化區", "新市區", "安定區", "山上區",
                            "玉井區", "楠西區", "南化區", "左鎮區", "仁德區", "歸仁區", "關廟區",
                            "龍崎區", "永康區"};
const char* kSections[] = {"行政科", "企劃科", "總務科", "會計室", "人事室", "資訊科",
                           "管理科", "督導科", "工程科", "輔導科", "稽查科", "服務科"};
const char* kDistrictSections[] = {"民政課", "社會課", "經建課", "人文課", "秘書室"};
const char* kPlaces[] = {"建興", "永福", "成功", "中山", "勝利", "崇明", "復興", "忠孝",
                         "仁愛", "和平", "大同", "文化", "光華", "公園", "長榮", "新興"};

struct Unit {
  long long id;
  long long parent;  // 0: top
  std::string code, name;
  int level;
};

struct Generator {
  std::mt19937 rng;
  std::vector<Unit> units;

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
  int percent() { return pick(100); }

  void add_unit(long long parent, std::string code, std::string name, int level) {
    units.push_back({static_cast<long long>(units.size()) + 1, parent, std::move(code),
                     std::move(name), level});
  }

  // Root, departments and district offices, then sections (and schools under 教育局) until the
  // requested number of units exists.
  void build_tree(int wanted) {
    add_unit(0, "A00", "臺南市政府", 1);
    std::vector<long long> level2;
    int n = 0;
    for (const char* d : kDepartments) {
      if (static_cast<int>(units.size()) >= std::max(wanted / 3, 2)) break;
      char code[16];
      std::snprintf(code, sizeof code, "A%02d", ++n);
      add_unit(1, code, d, 2);
      level2.push_back(units.back().id);
    }
    for (const char* d : kDistricts) {
      if (static_cast<int>(units.size()) >= std::max(wanted / 2, 3)) break;
      char code[16];
      std::snprintf(code, sizeof code, "D%02d", ++n);
      add_unit(1, code, std::string(d) + "區公所", 2);
      level2.push_back(units.back().id);
    }
    std::vector<int> children(units.size() + 1, 0);
    for (std::size_t k = 0; static_cast<int>(units.size()) < wanted; ++k) {
      const Unit parent = units[level2[k % level2.size()] - 1];
      int c = ++children[parent.id];
      bool district = parent.name.find("區公所") != std::string::npos;
      bool education = parent.name == "教育局";
      std::string name;
      if (education && c > 3) {
        int p = (c - 4) % 16, round = (c - 4) / 16;
        name = std::string("臺南市立") + kPlaces[p] + (round % 2 ? "國民中學" : "國民小學");
        if (round >= 2)
          name = std::string("臺南市") + kPlaces[(p + round) % 16] + kPlaces[round % 16] +
                 (round % 2 ? "國民中學" : "國民小學") + std::to_string(round);
      } else if (district) {
        name = kDistrictSections[(c - 1) % 5];
        if (c > 5) name += std::to_string((c - 1) / 5 + 1);
      } else {
        name = kSections[(c - 1) % 12];
        if (c > 12)
          name = std::string(kSections[(c - 1) % 12])
                     .insert(0, std::to_string((c - 1) / 12 + 1) + "-");
      }
      add_unit(parent.id, parent.code + "-" + std::to_string(c), name, 3);
    }
  }

  // Taiwanese national ID: letter, gender digit, 7 digits, check digit.
  std::string national_id() {
    static const int kLetterValue[] = {10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
                                       22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33};
    char letter = pick(2) ? 'D' : 'R';
    int v = kLetterValue[letter - 'A'];
    int digits[9];
    digits[0] = 1 + pick(2);
    for (int i = 1; i < 8; ++i) digits[i] = pick(10);
    int sum = v / 10 + (v % 10) * 9;
    for (int i = 0; i < 8; ++i) sum += digits[i] * (8 - i);
    digits[8] = (10 - sum % 10) % 10;
    std::string out(1, letter);
    for (int d : digits) out += char('0' + d);
    return out;
  }
};

std::string iso_days_ago(int days, int minutes) {
  using namespace std::chrono;
  auto base = sys_days{year{2026} / 11 / 20} + hours{9};
  auto t = base - days * 24h - minutes * 1min;
  auto secs = system_clock::to_time_t(time_point_cast<system_clock::duration>(t) + 8h);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return buf;
}

}  // namespace

Status write_sample_portal(const std::string& url, const SampleOptions& options) {
  auto db = open_database(url, true);
  if (!db) return db.status();
  auto& sql = *db.value();
  try {
    if (auto st = check_schema_version(sql, url); !st) return st;
    long long existing = 0;
    sql << "SELECT count(*) FROM accounts", soci::into(existing);
    if (existing > 0)
      return Status::error("portal database " + sqlite_path(url) + " already holds " +
                           std::to_string(existing) +
                           " accounts; the sample goes into an empty one");
    Generator g{std::mt19937(options.seed), {}};
    g.build_tree(std::max(options.units, 3));
    soci::transaction tx(sql);
    {
      Unit u{};
      soci::indicator parent_ind = soci::i_null;
      soci::statement st =
          (sql.prepare << "INSERT INTO org_units(id, parent_id, code, name, active) "
                          "VALUES (:i, :p, :c, :n, 1)",
           soci::use(u.id), soci::use(u.parent, parent_ind), soci::use(u.code), soci::use(u.name));
      for (const auto& unit : g.units) {
        u = unit;
        parent_ind = unit.parent ? soci::i_ok : soci::i_null;
        st.execute(true);
      }
    }
    std::vector<long long> leaf_units;
    for (const auto& u : g.units)
      if (u.level >= 2) leaf_units.push_back(u.id);

    Account a;
    long long id = 0, unit = 0;
    int locked = 0, needs_mail = 0;
    soci::statement st =
        (sql.prepare
             << "INSERT INTO accounts(id, username, display_name, surname, given_name, "
                "title, org_unit_id, role, status, locked, email, needs_mail, office_phone, "
                "mobile, national_id, last_login_at, activated_at, disabled_reason, "
                "updated_at) VALUES (:id, :u, :d, :s, :g, :t, :o, :r, :st, :l, :e, :nm, "
                ":op, :m, :n, :ll, :ac, :dr, :up)",
         soci::use(id), soci::use(a.username), soci::use(a.display_name), soci::use(a.surname),
         soci::use(a.given_name), soci::use(a.title), soci::use(unit), soci::use(a.role),
         soci::use(a.status), soci::use(locked), soci::use(a.email), soci::use(needs_mail),
         soci::use(a.office_phone), soci::use(a.mobile), soci::use(a.national_id),
         soci::use(a.last_login_at), soci::use(a.activated_at), soci::use(a.disabled_reason),
         soci::use(a.updated_at));
    std::set<std::string> usernames;
    std::set<long long> admins_placed;
    std::vector<std::pair<long long, long long>> custodians;  // unit -> an enabled account
    for (int i = 1; i <= options.accounts; ++i) {
      const auto& s = kSurnames[g.pick(20)];
      const auto& g1 = kGiven[g.pick(24)];
      const auto& g2 = kGiven[g.pick(24)];
      id = i;
      unit = leaf_units[g.pick(static_cast<int>(leaf_units.size()))];
      a.surname = s.zh;
      a.given_name = std::string(g1.zh) + g2.zh;
      a.display_name = a.surname + a.given_name;
      a.username = std::string(s.latin) + "." + g1.latin + g2.latin;
      for (int n = 2; usernames.count(a.username); ++n)
        a.username = std::string(s.latin) + "." + g1.latin + g2.latin + std::to_string(n);
      usernames.insert(a.username);
      a.title = kTitles[g.pick(12)];
      int p = g.percent();
      a.status = p < 85 ? "enabled" : p < 93 ? "disabled" : "pending";
      a.role = "user";
      if (a.status == "enabled" && admins_placed.insert(unit).second) a.role = "agency_admin";
      if (i <= 2) a.role = "system_admin", a.status = "enabled";
      a.email = a.username + "@tainan.gov.tw";
      needs_mail = g.percent() < 70;
      char phone[32];
      std::snprintf(phone, sizeof phone, "06-299%04d#%d", g.pick(10000), 1000 + g.pick(9000));
      a.office_phone = phone;
      std::snprintf(phone, sizeof phone, "09%08d", g.pick(100000000));
      a.mobile = phone;
      a.national_id = g.national_id();
      a.activated_at = iso_days_ago(200 + g.pick(1500), g.pick(1440));
      bool idle = a.status == "enabled" && a.role == "user" && g.percent() < options.idle_percent;
      a.last_login_at = a.status == "pending"
                            ? ""
                            : iso_days_ago(idle ? 95 + g.pick(200) : g.pick(60), g.pick(1440));
      a.disabled_reason = a.status == "disabled" ? "離職" : "";
      a.updated_at = a.last_login_at.empty() ? a.activated_at : a.last_login_at;
      st.execute(true);
      if (a.status == "enabled") custodians.push_back({unit, id});
    }
    sql << "INSERT INTO systems(id, code, name, group_name) VALUES "
           "(1, 'edoc', '公文系統', 'sys-edoc'), (2, 'leave', '差勤系統', 'sys-leave'), "
           "(3, 'mail', '電子郵件', 'sys-mail'), (4, 'hr', '人事服務網', 'sys-hr')";
    for (const auto& u : g.units)
      if (u.level == 2)
        sql << "INSERT INTO org_unit_systems(org_unit_id, system_id) VALUES (" << u.id << ", 1), ("
            << u.id << ", 2)";
    for (long long i = 1; i <= options.accounts; i += 7)
      sql << "INSERT INTO account_systems(account_id, system_id) VALUES (" << i << ", 4)";
    std::set<long long> shared_units;
    int shared = 0;
    for (const auto& [u, custodian] : custodians) {
      if (!shared_units.insert(u).second || shared >= 20) continue;
      ++shared;
      const auto& code = g.units[u - 1].code;
      sql << "INSERT INTO shared_accounts(username, kind, display_name, org_unit_id, custodian_id) "
             "VALUES ('office."
          << code << "', '" << (shared % 3 ? "agency" : "mail") << "', '" << g.units[u - 1].name
          << "公務帳號', " << u << ", " << custodian << ")";
    }
    tx.commit();
  } catch (const std::exception& e) {
    return Status::error("portal database " + sqlite_path(url) +
                         ": cannot write the sample: " + e.what());
  }
  return Status::ok();
}

}  // namespace ps
