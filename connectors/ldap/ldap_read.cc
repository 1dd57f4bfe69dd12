#include "connectors/ldap/ldap_read.h"

#include <string_view>
#include <vector>

#include "connectors/ldap/ldap_anchor.h"
#include "connectors/ldap/ldap_error.h"
#include "connectors/ldap/ldap_range.h"
#include "core/dn.h"
#include "core/log.h"
#include "core/text.h"

namespace ps {

namespace {

// One read: the request, the paging cookie between pages, and the entries so far.
class SubtreeReader {
 public:
  SubtreeReader(LDAP* ld, const ReadSpec& spec, std::string filter, LDAPControl* extra,
                const LdapSettings& settings)
      : ld_(ld),
        spec_(spec),
        filter_(std::move(filter)),
        extra_(extra),
        settings_(settings),
        normalized_base_(normalize_dn(spec.base_dn)) {
    for (const auto& a : spec.attributes) {
      if (iequals(a, settings.anchor_attribute)) anchor_requested_ = true;
      attributes_.push_back(const_cast<char*>(a.c_str()));
    }
    if (spec.attributes.empty()) attributes_.push_back(const_cast<char*>(LDAP_ALL_USER_ATTRIBUTES));
    if (!anchor_requested_) attributes_.push_back(const_cast<char*>(anchor_.c_str()));
    attributes_.push_back(nullptr);
  }
  ~SubtreeReader() { ber_memfree(cookie_.bv_val); }

  Result<DirectoryReadResult> run() {
    result_.base_exists = true;
    bool more = true;
    while (more) {
      auto page = read_page();
      if (!page) return Error{page.error()};
      more = page.value();
    }
    if (auto done = complete_ranges(); !done) return failure(done.message());
    return std::move(result_);
  }

 private:
  // An attribute that came in ranges and has more parts to fetch once the pages are read.
  struct UnfinishedRange {
    std::size_t entry;  // index in result_.entries
    std::string name;   // as the server spelled it, without the range option
    std::size_t next;   // index of the first value still missing
  };

  Result<bool> read_page();
  Result<bool> finish_page(LDAPMessage* done);
  Status add_entry(LDAPMessage* message);
  Status complete_ranges();
  Error failure(const std::string& reason) const {
    return Error{"read " + spec_.base_dn + " from " + settings_.url + ": " + reason};
  }

  LDAP* ld_;
  const ReadSpec& spec_;
  std::string filter_;
  LDAPControl* extra_;  // sent with every page, not owned
  const LdapSettings& settings_;
  std::string anchor_ = settings_.anchor_attribute;
  std::string normalized_base_;
  bool anchor_requested_ = false;
  bool base_seen_ = false;
  std::vector<char*> attributes_;
  berval cookie_{0, nullptr};
  DirectoryReadResult result_;
  std::vector<UnfinishedRange> unfinished_;
  EntryAttributes::Builder builder_;  // reused: one exact allocation per entry
  std::string anchor_value_;          // the entry's anchor while its attributes are read
  std::string lower_name_;            // reused for lower-casing attribute types
};

// Sends one page request and consumes its responses as they arrive (LDAP_MSG_RECEIVED hands over
// whatever has been read so far), so parsing overlaps with the server producing the page.
// Returns whether another page follows.
Result<bool> SubtreeReader::read_page() {
  LDAPControl* page = nullptr;  // page size 0: one unpaged search
  berval* cookie = cookie_.bv_len ? &cookie_ : nullptr;
  int page_size = effective_page_size(settings_);
  if (page_size > 0 && ldap_create_page_control(ld_, page_size, cookie, 0, &page) != LDAP_SUCCESS)
    return failure("cannot create the paging control");
  LDAPControl* controls[] = {page ? page : extra_, page ? extra_ : nullptr, nullptr};
  int msgid = 0;
  int rc =
      ldap_search_ext(ld_, spec_.base_dn.c_str(), LDAP_SCOPE_SUBTREE, filter_.c_str(),
                      attributes_.data(), 0, controls, nullptr, nullptr, LDAP_NO_LIMIT, &msgid);
  ldap_control_free(page);
  if (rc != LDAP_SUCCESS) return failure(describe_session_error(ld_, rc));

  while (true) {
    timeval timeout{settings_.timeout_seconds, 0};
    LDAPMessage* received = nullptr;
    rc = ldap_result(ld_, msgid, LDAP_MSG_RECEIVED, &timeout, &received);
    if (rc == 0) {
      ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
      return failure("no response within " + std::to_string(settings_.timeout_seconds) + " s");
    }
    if (rc < 0) {
      int code = LDAP_SERVER_DOWN;
      ldap_get_option(ld_, LDAP_OPT_RESULT_CODE, &code);
      return failure(describe_session_error(ld_, code));
    }
    LDAPMessage* done = nullptr;
    for (LDAPMessage* m = ldap_first_message(ld_, received); m; m = ldap_next_message(ld_, m)) {
      int type = ldap_msgtype(m);
      if (type == LDAP_RES_SEARCH_ENTRY) {
        if (auto added = add_entry(m); !added) {
          ldap_msgfree(received);
          ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
          return failure(added.message());
        }
      }
      if (type == LDAP_RES_SEARCH_RESULT) done = m;
      // Search references (AD's links to other partitions) are not part of the subtree we manage.
    }
    Result<bool> more = done ? finish_page(done) : Result<bool>(false);
    ldap_msgfree(received);
    if (done) return more;
  }
}

Result<bool> SubtreeReader::finish_page(LDAPMessage* done) {
  int code = LDAP_SUCCESS;
  char* diagnostic = nullptr;
  LDAPControl** controls = nullptr;
  int rc = ldap_parse_result(ld_, done, &code, nullptr, &diagnostic, nullptr, &controls, 0);
  std::string reason = describe_ldap_result(rc == LDAP_SUCCESS ? code : rc, diagnostic);
  ldap_memfree(diagnostic);
  if (rc == LDAP_SUCCESS && code == LDAP_NO_SUCH_OBJECT && result_.entries.empty() && !base_seen_) {
    ldap_controls_free(controls);
    result_.base_exists = false;
    return false;
  }
  if (rc != LDAP_SUCCESS || code != LDAP_SUCCESS) {
    ldap_controls_free(controls);
    return failure(reason);
  }
  ber_memfree(cookie_.bv_val);
  cookie_ = {0, nullptr};
  // No paging response (a server without RFC 2696) means everything came in one go. One without
  // a value made libldap abort (an assertion in ber_init), one with an empty value made it read
  // through a null buffer (both found by fuzzing), and one it cannot parse would end the read
  // early as if complete: all are errors.
  if (LDAPControl* paged = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, controls, nullptr)) {
    ber_int_t estimate = 0;
    if (!paged->ldctl_value.bv_val || paged->ldctl_value.bv_len == 0 ||
        ldap_parse_pageresponse_control(ld_, paged, &estimate, &cookie_) != LDAP_SUCCESS) {
      ldap_controls_free(controls);
      return failure("the server's paged-results control is malformed");
    }
  }
  ldap_controls_free(controls);
  return cookie_.bv_len > 0;
}

// ldap_get_dn_ber / ldap_get_attribute_ber walk the BER in place (as ldapsearch does): values
// are copied once, into the entry, and nothing else is allocated per value.
// An entry that cannot be decoded fails the whole read: left out, it would look absent from the
// directory, and the plan would add it again (a duplicate) or act on what it holds.
Status SubtreeReader::add_entry(LDAPMessage* message) {
  BerElement* ber = nullptr;
  berval dn{};
  auto entry_number = std::to_string(result_.entries.size() + (base_seen_ ? 2 : 1));
  if (int rc = ldap_get_dn_ber(ld_, message, &ber, &dn); rc != LDAP_SUCCESS) {
    if (ber) ber_free(ber, 0);
    return Status::error("cannot decode the DN of entry " + entry_number +
                         " of the search result (" + ldap_err2string(rc) +
                         "); the read is incomplete, so nothing is planned from it");
  }
  std::string_view dn_text(dn.bv_val, dn.bv_len);
  // The base comes back too (subtree scope includes it); AD has no "children" scope to avoid it.
  if (!base_seen_ && normalize_dn(dn_text) == normalized_base_) {
    base_seen_ = true;
    ber_free(ber, 0);
    return Status::ok();
  }
  anchor_value_.clear();
  berval name{};
  berval* values = nullptr;
  int rc = LDAP_SUCCESS;
  while ((rc = ldap_get_attribute_ber(ld_, message, ber, &name, &values)) == LDAP_SUCCESS &&
         name.bv_val) {
    std::string_view type(name.bv_val, name.bv_len);
    std::size_t count = 0;
    while (values && values[count].bv_val) ++count;
    bool is_anchor = iequals(type, anchor_);
    if (is_anchor && count)
      anchor_value_ = format_anchor(anchor_, {values[0].bv_val, values[0].bv_len});
    if (!is_anchor || anchor_requested_) {
      auto range = parse_value_range(type);
      if (range && range->last)
        unfinished_.push_back({result_.entries.size(), range->attribute, *range->last + 1});
      lower_name_.assign(range ? std::string_view(range->attribute) : type);
      for (auto& c : lower_name_)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      builder_.begin_attribute(lower_name_);
      for (std::size_t i = 0; i < count; ++i)
        builder_.add_value({values[i].bv_val, values[i].bv_len});
    }
    ber_memfree(values);
    values = nullptr;
  }
  ber_free(ber, 0);
  if (rc != LDAP_SUCCESS) {
    return Status::error("cannot decode the attributes of " + escape_control_characters(dn_text) +
                         " (" + ldap_err2string(rc) +
                         "); the read is incomplete, so nothing is planned from it");
  }
  result_.entries.emplace_back(dn_text, anchor_value_, builder_);
  return Status::ok();
}

// Base searches for the rest of every attribute that came in ranges (after the paged search is
// over: a page's responses must not interleave with them).
Status SubtreeReader::complete_ranges() {
  for (const auto& range : unfinished_) {
    DirectoryEntry& entry = result_.entries[range.entry];
    auto lower = to_lower_ascii(range.name);
    auto values = entry.find(lower)->strings();
    auto done = read_remaining_values(ld_, std::string(entry.dn()), range.name, range.next,
                                      settings_.timeout_seconds, &values);
    if (!done) return done;
    entry.set_attribute(lower, values);
  }
  return Status::ok();
}

}  // namespace

int effective_page_size(const LdapSettings& settings) {
  if (settings.flavor != Flavor::ad) return settings.page_size;
  if (settings.page_size <= 0 || settings.page_size > kAdMaxPageSize) return kAdMaxPageSize;
  return settings.page_size;
}

Result<DirectoryReadResult> read_subtree(LDAP* ld, const ReadSpec& spec,
                                         const LdapSettings& settings) {
  return SubtreeReader(ld, spec, "(objectClass=*)", nullptr, settings).run();
}

Result<DirectoryReadResult> read_subtree_matching(LDAP* ld, const ReadSpec& spec,
                                                  const std::string& filter,
                                                  const LdapSettings& settings,
                                                  LDAPControl* control) {
  return SubtreeReader(ld, spec, filter, control, settings).run();
}

}  // namespace ps
