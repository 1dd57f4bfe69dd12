// The managed subtree as it will look after the operations planned so far. Each node knows its
// parent and RDN rather than a DN string, so moving or renaming a unit moves its whole subtree in
// O(1) and every later operation is addressed by the DN the entry will have at that moment.
#pragma once

#include <cstddef>
#include <deque>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/directory.h"

namespace ps {

inline constexpr std::size_t kNoOp = std::numeric_limits<std::size_t>::max();
inline constexpr int kBaseNode = -1;

struct TreeNode {
  std::string rdn;        // escaped, as we send it
  std::string rdn_value;  // unescaped value of the (first) RDN attribute
  int parent = kBaseNode;
  int entry = -1;               // index into the read entries; -1 for a node the plan creates
  std::size_t last_op = kNoOp;  // operation that created, moved or renamed this node
  std::vector<std::size_t> departures;  // operations that move children away or delete them
  std::size_t children = 0;             // current number of children
  bool removed = false;
};

class DirectoryTree {
 public:
  // Builds the tree from what was read below base_dn. Entries whose parent is not in the subtree
  // (the server returned a child without its parent) are reported in `orphans`.
  DirectoryTree(std::string base_dn, const std::vector<DirectoryEntry>& entries,
                std::vector<std::string>& problems);

  std::size_t size() const { return nodes_.size(); }
  TreeNode& node(int i) { return nodes_[i]; }
  const TreeNode& node(int i) const { return nodes_[i]; }
  int node_of_entry(std::size_t entry) const { return entry_node_[entry]; }

  // The DN node `i` has now (kBaseNode: the base).
  std::string dn(int i) const;
  // Operations that must finish before anything may address node `i` or place something below it.
  std::vector<std::size_t> prerequisites(int i) const;
  bool is_ancestor(int ancestor, int i) const;

  // An operation everything below the base waits for (the base entry itself being created).
  void set_base_op(std::size_t op) { base_op_ = op; }

  int add_node(int parent, std::string rdn, std::string rdn_value, std::size_t op);
  void move_node(int i, int new_parent, std::string rdn, std::string rdn_value, std::size_t op);
  void remove_node(int i, std::size_t op);

 private:
  std::string base_dn_;
  std::size_t base_op_ = kNoOp;
  // A deque: adding the first new node to a tree of 100,000 read entries would make a vector
  // copy them all into twice the space, at the run's peak.
  std::deque<TreeNode> nodes_;
  std::vector<int> entry_node_;
};

}  // namespace ps
