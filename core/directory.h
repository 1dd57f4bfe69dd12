// The directory as the engine sees it: entries read from the managed subtree, and the operations
// a plan asks the directory to carry out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entry_attributes.h"
#include "core/model.h"

namespace ps {

// An entry as read. A no-op run holds every entry of the subtree (100,000 users), so the DN and
// the anchor live in the attributes' one allocation: 32 bytes plus that block per entry, where
// three members with two blocks of their own took about 250 bytes more.
class DirectoryEntry {
 public:
  DirectoryEntry() = default;
  DirectoryEntry(std::string_view dn, std::string_view anchor, EntryAttributes attributes = {});
  // Packs what `attributes` collected, with dn and anchor (the reader's path: one allocation).
  DirectoryEntry(std::string_view dn, std::string_view anchor,
                 EntryAttributes::Builder& attributes);

  std::string_view dn() const { return attributes_.prefix().substr(0, dn_size_); }   // RFC 4514
  std::string_view anchor() const { return attributes_.prefix().substr(dn_size_); }  // printable
  const EntryAttributes& attributes() const { return attributes_; }  // names lower-case as read

  // Values of an attribute (name compared case-insensitively), or nothing when absent.
  std::optional<AttributeValues> find(std::string_view name) const {
    return attributes_.find(name);
  }
  bool has_object_class(std::string_view object_class) const;

  // Changes repack the entry: for building test entries and trimming reads, not for hot paths.
  void set_dn(std::string_view dn);
  void set_anchor(std::string_view anchor);
  void add_attribute(std::string_view name, const std::vector<std::string>& values) {
    attributes_.add(name, values);
  }
  void set_attribute(std::string_view name, const std::vector<std::string>& values) {
    attributes_.set(name, values);
  }
  void remove_attribute(std::string_view name) { attributes_.remove(name); }

 private:
  EntryAttributes attributes_;  // its prefix: the DN, then the anchor
  std::uint32_t dn_size_ = 0;
};

struct DirectoryReadResult {
  bool base_exists = false;
  std::vector<DirectoryEntry> entries;  // every entry strictly below the base
};

enum class OpType : std::uint8_t { add, modify, move, rename, disable, enable, remove };
std::string_view to_string(OpType t);  // "add", ..., "delete" for remove

struct Modification {
  enum class Kind { add, remove, replace };
  Kind kind = Kind::replace;
  std::string attribute;
  std::vector<std::string> values;      // new values (empty with remove: the whole attribute)
  std::vector<std::string> old_values;  // what the directory held before, for the change log
};

// Where a move or rename takes the entry.
struct Relocation {
  std::string new_rdn;       // the RDN after the operation
  std::string new_superior;  // a move's new parent DN (empty for a rename in place)
  std::string new_dn;        // the resulting DN (for logs and plans)
  RowId from_unit_id = 0;    // a move: the unit it leaves (that unit's audit query shows it)
};

struct Operation {
  OpType type = OpType::modify;
  bool held = false;  // kept back: not sent, not logged one by one (next to type: no padding)
  ObjectKind kind = ObjectKind::account;
  RowId portal_id = 0;  // 0 when the entry has no portal row (an orphan being removed)
  RowId unit_id = 0;    // the portal unit the entry belongs to (for audit queries by unit)
  // remove of an entry whose portal row is gone: the id the row had (its link), for the change
  // log only; portal_id stays 0, so nothing else treats the removal as the row's operation.
  RowId former_id = 0;
  std::string subject;             // human name for logs: username or unit name
  std::string dn;                  // the entry's DN at the moment the operation is sent
  std::vector<Modification> mods;  // modify/enable/disable: changes; remove: what the entry held
  // add: the new entry's attributes, packed: a first sync plans 100,000 adds, and as Modification
  // vectors each took about 2 KB. Read them through modifications().
  EntryAttributes added;
  std::string anchor;                   // the directory anchor of an existing entry
  std::string reason;                   // why the planner asked for it
  std::vector<std::size_t> depends_on;  // indices of earlier operations that must succeed first
  std::string held_by;  // who keeps it back and why ("the mass-change guard", a quarantine)

  // move / rename: where the entry goes; empty strings for every other operation.
  const std::string& new_rdn() const;
  const std::string& new_superior() const;
  const std::string& new_dn() const;
  RowId from_unit_id() const;
  void set_target(Relocation target);

  // Every change the operation makes: mods, then each attribute of `added` as a Kind::add.
  std::vector<Modification> modifications() const;

 private:
  // Only moves and renames have a target: three empty strings took 96 of the ~380 bytes of each
  // of a first sync's 100,000 adds. Never changed once set, so copies may share it.
  std::shared_ptr<const Relocation> target_;
};

// A row the directory cannot take: reported in the plan and the log, every other row still syncs.
struct Rejection {
  ObjectKind kind = ObjectKind::account;
  RowId portal_id = 0;
  std::string subject;
  std::string reason;
};

}  // namespace ps
