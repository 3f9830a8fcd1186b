// Variable-size blocks for MemoryStorage's customer slots, carved from large
// chunks and named by 32-bit references. Internal.
//
// A customer is one block: the fixed part of its slot and its text right
// after it, so it pays neither a malloc header nor malloc's rounding, and the
// hash sets that find it hold a 4-byte reference instead of an 8-byte pointer.
// Blocks never move. A freed block (the rollback of an insert) is given back to
// the chunk when it is the last one carved, the usual case as rollback runs
// newest first, and otherwise kept on a free list for the next block of its size.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

namespace highseas::detail {

// A block's name: its chunk's index above kOffsetBits, its offset in 8-byte units below.
using SlotRef = std::uint32_t;

class SlotArena {
 public:
  static constexpr std::size_t kAlign = 8;
  static constexpr unsigned kOffsetBits = 15;
  // 256 KiB less a little, so a chunk and malloc's header fit in whole pages.
  static constexpr std::uint32_t kChunkUnits = (std::uint32_t{1} << kOffsetBits) - 8;
  static constexpr std::size_t kMaxChunks = std::size_t{1} << (32 - kOffsetBits);

  SlotArena() = default;
  SlotArena(const SlotArena&) = delete;
  SlotArena& operator=(const SlotArena&) = delete;

  // Returns a block of at least `bytes` bytes, aligned to kAlign.
  SlotRef allocate(std::size_t bytes) {
    const std::size_t units = units_of(bytes);
    if (!free_.empty()) {
      const auto found = free_.find(units);
      if (found != free_.end()) {
        const SlotRef ref = found->second.back();
        found->second.pop_back();
        if (found->second.empty()) free_.erase(found);
        return ref;
      }
    }
    if (units > kChunkUnits) return add_chunk(units);  // its own chunk, not carved from
    if (chunks_.empty() || used_ + units > kChunkUnits) {
      current_ = add_chunk(kChunkUnits) >> kOffsetBits;
      used_ = 0;
    }
    const SlotRef ref = (current_ << kOffsetBits) | used_;
    used_ += static_cast<std::uint32_t>(units);
    return ref;
  }

  // Gives back a block `allocate(bytes)` returned.
  void deallocate(SlotRef ref, std::size_t bytes) {
    const std::size_t units = units_of(bytes);
    if (units > kChunkUnits) {
      chunks_[ref >> kOffsetBits].reset();
    } else if ((ref >> kOffsetBits) == current_ && (ref & kOffsetMask) + units == used_) {
      used_ -= static_cast<std::uint32_t>(units);
    } else {
      free_[units].push_back(ref);
    }
  }

  void* at(SlotRef ref) const noexcept {
    return chunks_[ref >> kOffsetBits].get() + std::size_t{ref & kOffsetMask} * kAlign;
  }

 private:
  static constexpr std::uint32_t kOffsetMask = (std::uint32_t{1} << kOffsetBits) - 1;

  static std::size_t units_of(std::size_t bytes) { return (bytes + kAlign - 1) / kAlign; }

  // Adds a chunk of `units` and returns the reference of its first block.
  SlotRef add_chunk(std::size_t units) {
    if (chunks_.size() >= kMaxChunks) throw std::length_error("SlotArena: too many customers");
    // Not value-initialised: a page is touched when a slot is written to it.
    // NOLINTNEXTLINE(modernize-avoid-c-arrays,cppcoreguidelines-owning-memory)
    chunks_.emplace_back(new std::byte[units * kAlign]);
    return static_cast<SlotRef>((chunks_.size() - 1) << kOffsetBits);
  }

  std::vector<std::unique_ptr<std::byte[]>> chunks_;  // NOLINT(modernize-avoid-c-arrays)
  std::uint32_t current_ = 0;                         // the chunk being carved
  std::uint32_t used_ = 0;                            // its units handed out
  boost::unordered_flat_map<std::size_t, std::vector<SlotRef>> free_;  // by size in units
};

}  // namespace highseas::detail
