#include "diagnosis.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace highseas::sqlite_detail {

WriteProblem problem_from_errno(int system_errno) noexcept {
  switch (system_errno) {
    case EROFS:
      return WriteProblem::read_only_filesystem;
    case EACCES:
    case EPERM:
      return WriteProblem::no_permission;
    case ENOSPC:
    case EDQUOT:
      return WriteProblem::disk_full;
    default:
      return WriteProblem::none;
  }
}

WriteProblem probe_write_problem(const std::string& path) {
  std::filesystem::path directory = std::filesystem::path(path).parent_path();
  if (directory.empty()) directory = ".";
  // The mount flag first: on a read-only filesystem access() fails too (with
  // EROFS), and the filesystem, not the mode, is what needs fixing.
  struct statvfs filesystem {};
  if (::statvfs(directory.c_str(), &filesystem) == 0 && (filesystem.f_flag & ST_RDONLY) != 0) {
    return WriteProblem::read_only_filesystem;
  }
  const bool exists = ::access(path.c_str(), F_OK) == 0;
  const std::string& target = exists ? path : directory.string();
  if (::access(target.c_str(), W_OK) != 0) {
    const WriteProblem problem = problem_from_errno(errno);
    if (problem != WriteProblem::disk_full) return problem;
  }
  return WriteProblem::none;
}

std::string explain(WriteProblem problem) {
  switch (problem) {
    case WriteProblem::read_only_filesystem:
      return "the filesystem holding it is mounted read-only (Linux forces a filesystem "
             "read-only after disk errors: check the disk and the kernel log, then remount it "
             "read-write)";
    case WriteProblem::no_permission:
      return "no permission to write the file (check its owner and mode, and its "
             "directory's)";
    case WriteProblem::disk_full:
      return "the disk holding it is full (free space there: SQLite also needs room for its "
             "-wal and -shm files beside the database)";
    case WriteProblem::none:
      break;
  }
  return {};
}

}  // namespace highseas::sqlite_detail
