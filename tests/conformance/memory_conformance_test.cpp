// The Storage conformance suite on MemoryStorage: the reference backend.
#include <highseas/memory_storage.hpp>
#include <highseas/testing/conformance.hpp>
#include <memory>

namespace {

highseas::testing::StorageFactory memory_factory() {
  return {"memory", [] { return std::make_unique<highseas::MemoryStorage>(); }};
}

}  // namespace

HIGHSEAS_INSTANTIATE_STORAGE_CONFORMANCE(Memory, memory_factory());
