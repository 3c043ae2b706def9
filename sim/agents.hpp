#pragma once
// Structure-of-arrays storage for one agent type.
//
// Rules (what is allowed and when):
// - Columns are declared first (add_column), before any agent exists; each
//   returns a typed handle, so hot loops never look columns up by name.
// - Every agent has a stable 64-bit id, never reused. Ids are handed out in
//   increasing order and rows are always kept sorted by id (removal is a
//   stable compaction, not swap-and-pop), so iteration order is id order and
//   index_of() is a binary search. This costs O(n) per commit with removals,
//   which is paid once per phase, not per agent.
// - spawn() and commit_removals() change the row count and invalidate spans
//   and indices: call them only between phases, never inside a parallel loop.
//   Inside a parallel loop an agent may flag itself with mark_removed(index)
//   (it writes only its own row).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace borderland::sim {

using AgentId = std::uint64_t;

template <class T>
struct Column {
  std::size_t slot;
};

class AgentStore {
 public:
  explicit AgentStore(std::string type_name) : type_name_(std::move(type_name)) {}

  template <class T>
  Column<T> add_column(std::string name, T initial = T{}) {
    static_assert(!std::is_same_v<T, bool>, "use std::uint8_t: std::vector<bool> has no spans");
    columns_.push_back(std::make_unique<TypedColumn<T>>(std::move(name), initial, size()));
    return Column<T>{columns_.size() - 1};
  }

  template <class T>
  std::span<T> operator[](Column<T> c) {
    return static_cast<TypedColumn<T>&>(*columns_[c.slot]).values;
  }
  template <class T>
  std::span<const T> operator[](Column<T> c) const {
    return static_cast<const TypedColumn<T>&>(*columns_[c.slot]).values;
  }

  std::size_t size() const { return ids_.size(); }
  std::span<const AgentId> ids() const { return ids_; }
  const std::string& type_name() const { return type_name_; }
  AgentId next_id() const { return next_id_; }

  // Appends one agent with every column at its initial value; returns its row.
  std::size_t spawn() {
    ids_.push_back(next_id_++);
    removed_.push_back(0);
    for (auto& column : columns_) column->grow();
    return ids_.size() - 1;
  }

  void mark_removed(std::size_t index) { removed_[index] = 1; }

  // Drops every marked row, keeping the others in id order. Returns how many went.
  std::size_t commit_removals() {
    const auto gone = static_cast<std::size_t>(std::count(removed_.begin(), removed_.end(), 1));
    if (gone == 0) return 0;
    for (auto& column : columns_) column->compact(removed_);
    compact_vector(ids_, removed_);
    removed_.assign(ids_.size(), 0);
    return gone;
  }

  std::optional<std::size_t> index_of(AgentId id) const {
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    if (it == ids_.end() || *it != id) return std::nullopt;
    return static_cast<std::size_t>(it - ids_.begin());
  }

  // Restores the id counter (used by checkpoint restart).
  void restore(std::vector<AgentId> ids, AgentId next_id) {
    ids_ = std::move(ids);
    next_id_ = next_id;
    removed_.assign(ids_.size(), 0);
    for (auto& column : columns_) column->resize(ids_.size());
  }

  const std::string& column_name(std::size_t slot) const { return columns_[slot]->name; }
  std::size_t column_count() const { return columns_.size(); }

 private:
  template <class V>
  static void compact_vector(std::vector<V>& values, const std::vector<std::uint8_t>& removed) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!removed[i]) values[out++] = std::move(values[i]);
    values.resize(out);
  }

  struct ColumnBase {
    explicit ColumnBase(std::string n) : name(std::move(n)) {}
    virtual ~ColumnBase() = default;
    virtual void grow() = 0;
    virtual void resize(std::size_t n) = 0;
    virtual void compact(const std::vector<std::uint8_t>& removed) = 0;
    std::string name;
  };
  template <class T>
  struct TypedColumn final : ColumnBase {
    TypedColumn(std::string n, T init, std::size_t rows)
        : ColumnBase(std::move(n)), initial(init), values(rows, init) {}
    void grow() override { values.push_back(initial); }
    void resize(std::size_t n) override { values.resize(n, initial); }
    void compact(const std::vector<std::uint8_t>& removed) override {
      compact_vector(values, removed);
    }
    T initial;
    std::vector<T> values;
  };

  std::string type_name_;
  std::vector<AgentId> ids_;
  std::vector<std::uint8_t> removed_;
  std::vector<std::unique_ptr<ColumnBase>> columns_;
  AgentId next_id_ = 0;
};

}  // namespace borderland::sim
