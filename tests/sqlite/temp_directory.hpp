// A fresh directory under the system temp dir, removed with everything in it
// when the object dies: a place for test databases that never collides with
// another test, run or developer.
#pragma once

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace highseas::test {

class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "highseas-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  // Returns the directory.
  const std::filesystem::path& path() const { return path_; }
  // Returns a path in the directory that no earlier call returned.
  std::string fresh_file(const std::string& stem = "pool") {
    return (path_ / (stem + "-" + std::to_string(counter_++) + ".db")).string();
  }

 private:
  std::filesystem::path path_;
  std::atomic<int> counter_{0};
};

}  // namespace highseas::test
