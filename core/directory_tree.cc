#include "core/directory_tree.h"

#include <algorithm>

#include "core/dn.h"
#include "core/text.h"

namespace ps {

namespace {

std::string normalized(const Dn& dn, std::size_t from) {
  Dn rest;
  rest.rdns.assign(dn.rdns.begin() + static_cast<long>(from), dn.rdns.end());
  for (auto& rdn : rest.rdns)
    for (auto& ava : rdn.avas) {
      ava.type = to_lower_ascii(ava.type);
      ava.value = to_lower_ascii(ava.value);
    }
  return format_dn(rest);
}

}  // namespace

DirectoryTree::DirectoryTree(std::string base_dn, const std::vector<DirectoryEntry>& entries,
                             std::vector<std::string>& problems)
    : base_dn_(std::move(base_dn)), entry_node_(entries.size(), -1) {
  struct Parsed {
    std::size_t entry;
    Dn dn;
  };
  std::vector<Parsed> parsed;
  parsed.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto dn = parse_dn(entries[i].dn);
    if (!dn || dn->rdns.empty()) {
      problems.push_back("ignored directory entry with unparsable DN \"" + entries[i].dn + "\"");
      continue;
    }
    parsed.push_back({i, std::move(dn.value())});
  }
  // Parents before children, whatever order the server returned.
  std::stable_sort(parsed.begin(), parsed.end(), [](const Parsed& a, const Parsed& b) {
    return a.dn.rdns.size() < b.dn.rdns.size();
  });

  std::unordered_map<std::string, int> by_dn;
  by_dn.reserve(parsed.size() * 2);
  auto base = parse_dn(base_dn_);
  by_dn.emplace(base ? normalized(base.value(), 0) : to_lower_ascii(base_dn_), kBaseNode);
  nodes_.reserve(parsed.size());
  for (auto& p : parsed) {
    auto parent = by_dn.find(normalized(p.dn, 1));
    if (parent == by_dn.end()) {
      problems.push_back("ignored directory entry \"" + entries[p.entry].dn +
                         "\": its parent was not returned by the search");
      continue;
    }
    Dn first;
    first.rdns.push_back(p.dn.rdns.front());
    TreeNode n;
    n.rdn = format_dn(first);
    n.rdn_value = p.dn.rdns.front().avas.front().value;
    n.parent = parent->second;
    n.entry = static_cast<int>(p.entry);
    int index = static_cast<int>(nodes_.size());
    nodes_.push_back(std::move(n));
    if (parent->second != kBaseNode) ++nodes_[parent->second].children;
    entry_node_[p.entry] = index;
    by_dn.emplace(normalized(p.dn, 0), index);
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
