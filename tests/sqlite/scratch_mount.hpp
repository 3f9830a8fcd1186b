// Small filesystems a test mounts for itself: a tmpfs of a given size (to
// fill up) and an ext4 image on a loop device (to force read-only with
// `remount,abort`, as the kernel does after disk errors; a plain
// `remount,ro` is refused with EBUSY while any file is open for writing).
//
// The first mount moves the test process into a private mount namespace
// (unshare(CLONE_NEWNS), mounts made private), so nothing it mounts is seen
// by the host and everything goes away with the process, even if it dies. If
// that is refused but the process is root, it mounts in the host's namespace;
// the destructor unmounts (lazily, so an open file cannot stop it) either way.
// Where neither works, ok() is false and why_not() says why: the test skips,
// or fails under CI=true, where mounting must work.
//
// REQUIRES: the first mount happens while the process has one thread
// (unshare(CLONE_NEWNS) refuses a process whose threads share its
// filesystem state). GoogleTest runs tests on the main thread, and every
// storage joins its threads when destroyed.
#pragma once

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

namespace highseas::test {

// Returns true iff the tests run in CI (CI=true), where a test that cannot
// mount fails instead of skipping.
inline bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// Returns "" once the process may mount (in a private namespace, or as root
// in the host's), else why not. Asks once per process.
inline const std::string& mount_refusal() {
  static const std::string refusal = [] {
    if (::unshare(CLONE_NEWNS) == 0) {
      if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0) return std::string();
      return "making mounts private failed: " + std::string(std::strerror(errno));
    }
    const std::string unshare_error = std::strerror(errno);
    if (::geteuid() == 0) return std::string();  // root: mount in the host's namespace
    return "not root, and unshare(CLONE_NEWNS) failed: " + unshare_error;
  }();
  return refusal;
}

class ScratchMount {
 public:
  // Mounts a tmpfs of `bytes` on `directory` (created if missing).
  static ScratchMount tmpfs(const std::filesystem::path& directory, std::size_t bytes) {
    ScratchMount mount(directory);
    if (!mount.why_not_.empty()) return mount;
    const std::string size = "size=" + std::to_string(bytes);
    if (::mount("highseas-test", directory.c_str(), "tmpfs", 0, size.c_str()) != 0) {
      mount.why_not_ = "mounting a tmpfs failed: " + std::string(std::strerror(errno));
    } else {
      mount.mounted_ = true;
    }
    return mount;
  }

  // Makes an ext4 filesystem of `bytes` in the file `image` and mounts it on
  // `directory` through a loop device (mkfs.ext4 and mount(8) do the work).
  static ScratchMount ext4(const std::filesystem::path& image,
                           const std::filesystem::path& directory, std::size_t bytes) {
    ScratchMount mount(directory);
    if (!mount.why_not_.empty()) return mount;
    std::filesystem::resize_file(image, 0);
    std::filesystem::resize_file(image, bytes);
    if (std::system(("mkfs.ext4 -q -F '" + image.string() + "' >/dev/null 2>&1").c_str()) != 0) {
      mount.why_not_ = "mkfs.ext4 failed or is missing (e2fsprogs)";
    } else if (std::system(("mount -o loop '" + image.string() + "' '" + directory.string() +
                            "' 2>/dev/null")
                               .c_str()) != 0) {
      mount.why_not_ = "mount -o loop failed (no loop devices here?)";
    } else {
      mount.mounted_ = true;
    }
    return mount;
  }

  ScratchMount(ScratchMount&& other) noexcept
      : directory_(std::move(other.directory_)),
        why_not_(std::move(other.why_not_)),
        mounted_(std::exchange(other.mounted_, false)) {}
  ScratchMount& operator=(ScratchMount&&) = delete;
  ~ScratchMount() {
    if (mounted_) ::umount2(directory_.c_str(), MNT_DETACH);
  }

  // Returns true iff the filesystem is mounted.
  bool ok() const { return mounted_; }
  // Returns why it is not mounted.
  const std::string& why_not() const { return why_not_; }
  // Returns the mount point.
  const std::filesystem::path& path() const { return directory_; }

  // Remounts with `options` (e.g. "ro" or "abort"); returns "" or the error.
  std::string remount(unsigned long flags, const char* options) const {
    if (::mount(nullptr, directory_.c_str(), nullptr, MS_REMOUNT | flags, options) == 0) return {};
    return std::strerror(errno);
  }

 private:
  explicit ScratchMount(std::filesystem::path directory)
      : directory_(std::move(directory)), why_not_(mount_refusal()) {
    std::filesystem::create_directories(directory_);
  }

  std::filesystem::path directory_;
  std::string why_not_;
  bool mounted_ = false;
};

}  // namespace highseas::test

// Skips the test when `mount` could not be made, or fails it under CI=true.
// Use in a test body or SetUp().
#define HIGHSEAS_REQUIRE_MOUNT(mount)                                             \
  do {                                                                            \
    if (!(mount).ok()) {                                                          \
      if (::highseas::test::in_ci()) {                                            \
        FAIL() << "CI=true, but this test cannot mount: " << (mount).why_not();   \
      }                                                                           \
      GTEST_SKIP() << "cannot mount here (" << (mount).why_not()                  \
                   << "); run as root, or where unshare(CLONE_NEWNS) is allowed"; \
    }                                                                             \
  } while (false)
