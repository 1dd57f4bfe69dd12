#include "core/directory.h"

#include <utility>

#include "core/text.h"

namespace ps {

DirectoryEntry::DirectoryEntry(std::string_view dn, std::string_view anchor,
                               EntryAttributes attributes)
    : attributes_(std::move(attributes)), dn_size_(static_cast<std::uint32_t>(dn.size())) {
  attributes_.set_prefix({dn, anchor});
}

DirectoryEntry::DirectoryEntry(std::string_view dn, std::string_view anchor,
                               EntryAttributes::Builder& attributes)
    : attributes_(attributes.build({dn, anchor})),
      dn_size_(static_cast<std::uint32_t>(dn.size())) {}

void DirectoryEntry::set_dn(std::string_view dn) {
  attributes_.set_prefix({dn, anchor()});
  dn_size_ = static_cast<std::uint32_t>(dn.size());
}

void DirectoryEntry::set_anchor(std::string_view anchor) { attributes_.set_prefix({dn(), anchor}); }

bool DirectoryEntry::has_object_class(std::string_view object_class) const {
  auto classes = find("objectclass");
  if (!classes) return false;
  for (auto c : *classes)
    if (iequals(c, object_class)) return true;
  return false;
}

namespace {

const Relocation& no_target() {
  static const Relocation none;
  return none;
}

}  // namespace

const std::string& Operation::new_rdn() const { return (target_ ? *target_ : no_target()).new_rdn; }
const std::string& Operation::new_superior() const {
  return (target_ ? *target_ : no_target()).new_superior;
}
const std::string& Operation::new_dn() const { return (target_ ? *target_ : no_target()).new_dn; }
RowId Operation::from_unit_id() const { return target_ ? target_->from_unit_id : 0; }

void Operation::set_target(Relocation target) {
  target_ = std::make_shared<const Relocation>(std::move(target));
}

std::vector<Modification> Operation::modifications() const {
  std::vector<Modification> out;
  out.reserve(mods.size() + added.size());
  out.insert(out.end(), mods.begin(), mods.end());
  for (std::size_t i = 0; i < added.size(); ++i)
    out.push_back({Modification::Kind::add, added.name(i), added.values(i).strings(), {}});
  return out;
}

std::string_view to_string(OpType t) {
  switch (t) {
    case OpType::add:
      return "add";
    case OpType::modify:
      return "modify";
    case OpType::move:
      return "move";
    case OpType::rename:
      return "rename";
    case OpType::disable:
      return "disable";
    case OpType::enable:
      return "enable";
    case OpType::remove:
      return "delete";
  }
  return "?";
}

}  // namespace ps
