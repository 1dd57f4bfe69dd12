#include "core/directory_tree.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "core/dn.h"
#include "core/text.h"

namespace ps {

namespace {

// Where a raw DN splits into its first RDN and its parent, and how deep it is (unescaped commas).
struct DnShape {
  std::size_t first_comma = std::string_view::npos;
  int depth = 1;
};

DnShape shape_of(std::string_view dn) {
  DnShape s;
  for (std::size_t i = 0; i < dn.size(); ++i) {
    if (dn[i] == '\\') {
      ++i;
    } else if (dn[i] == ',') {
      if (s.first_comma == std::string_view::npos) s.first_comma = i;
      ++s.depth;
    }
  }
  return s;
}

}  // namespace

// Servers return a child's DN with its parent's DN as the exact suffix, so parents are found by
// the raw string; only when that fails (another spelling of the same DN) are DNs parsed and
// compared in normalized form.
DirectoryTree::DirectoryTree(std::string base_dn, const std::vector<DirectoryEntry>& entries,
                             std::vector<std::string>& problems)
    : base_dn_(std::move(base_dn)), entry_node_(entries.size(), -1) {
  struct Item {
    std::size_t entry;
    DnShape shape;
  };
  std::vector<Item> items;
  items.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) items.push_back({i, shape_of(entries[i].dn())});
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.shape.depth < b.shape.depth; });

  std::unordered_map<std::string_view, int> by_raw;
  by_raw.reserve(items.size() * 2);
  by_raw.emplace(base_dn_, kBaseNode);
  std::unordered_map<std::string, int> by_normalized;  // built on the first miss only
  auto find_normalized = [&](std::string_view parent) {
    if (by_normalized.empty()) {
      by_normalized.emplace(normalize_dn(base_dn_), kBaseNode);
      for (std::size_t n = 0; n < nodes_.size(); ++n)
        by_normalized.emplace(normalize_dn(entries[nodes_[n].entry].dn()), static_cast<int>(n));
    }
    auto it = by_normalized.find(normalize_dn(parent));
    return it == by_normalized.end() ? std::optional<int>() : std::optional<int>(it->second);
  };
  for (const auto& item : items) {
    std::string_view dn = entries[item.entry].dn();
    auto cut = item.shape.first_comma;
    std::string_view parent_raw =
        cut == std::string_view::npos ? std::string_view() : dn.substr(cut + 1);
    std::optional<int> parent;
    if (auto it = by_raw.find(parent_raw); it != by_raw.end())
      parent = it->second;
    else
      parent = find_normalized(parent_raw);
    auto first = parse_dn(dn.substr(0, cut));
    if (!parent || !first || first->rdns.empty()) {
      problems.push_back("ignored directory entry \"" + std::string(dn) +
                         "\": its parent was not returned by the search or its DN does not parse");
      continue;
    }
    TreeNode n;
    n.rdn = format_dn(first.value());
    n.rdn_value = first->rdns.front().avas.front().value;
    n.parent = *parent;
    n.entry = static_cast<int>(item.entry);
    int index = static_cast<int>(nodes_.size());
    nodes_.push_back(std::move(n));
    if (*parent != kBaseNode) ++nodes_[*parent].children;
    entry_node_[item.entry] = index;
    by_raw.emplace(dn, index);
    if (!by_normalized.empty()) by_normalized.emplace(normalize_dn(dn), index);
  }
}

std::string DirectoryTree::dn(int i) const {
  if (i == kBaseNode) return base_dn_;
  std::string out = nodes_[i].rdn;
  for (int p = nodes_[i].parent; p != kBaseNode; p = nodes_[p].parent) {
    out += ',';
    out += nodes_[p].rdn;
  }
  out += ',';
  out += base_dn_;
  return out;
}

std::vector<std::size_t> DirectoryTree::prerequisites(int i) const {
  std::vector<std::size_t> ops;
  for (int k = i; k != kBaseNode; k = nodes_[k].parent)
    if (nodes_[k].last_op != kNoOp) ops.push_back(nodes_[k].last_op);
  if (base_op_ != kNoOp) ops.push_back(base_op_);
  return ops;
}

bool DirectoryTree::is_ancestor(int ancestor, int i) const {
  for (int k = nodes_[i].parent; k != kBaseNode; k = nodes_[k].parent)
    if (k == ancestor) return true;
  return ancestor == kBaseNode;
}

int DirectoryTree::add_node(int parent, std::string rdn, std::string rdn_value, std::size_t op) {
  TreeNode n;
  n.rdn = std::move(rdn);
  n.rdn_value = std::move(rdn_value);
  n.parent = parent;
  n.last_op = op;
  nodes_.push_back(std::move(n));
  if (parent != kBaseNode) ++nodes_[parent].children;
  return static_cast<int>(nodes_.size() - 1);
}

void DirectoryTree::move_node(int i, int new_parent, std::string rdn, std::string rdn_value,
                              std::size_t op) {
  auto& n = nodes_[i];
  if (n.parent != new_parent) {
    if (n.parent != kBaseNode) {
      --nodes_[n.parent].children;
      nodes_[n.parent].departures.push_back(op);
    }
    if (new_parent != kBaseNode) ++nodes_[new_parent].children;
    n.parent = new_parent;
  }
  n.rdn = std::move(rdn);
  n.rdn_value = std::move(rdn_value);
  n.last_op = op;
}

void DirectoryTree::remove_node(int i, std::size_t op) {
  auto& n = nodes_[i];
  n.removed = true;
  n.last_op = op;
  if (n.parent != kBaseNode) {
    --nodes_[n.parent].children;
    nodes_[n.parent].departures.push_back(op);
  }
}

}  // namespace ps
