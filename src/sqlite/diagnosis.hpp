// Why SQLite could not write a database file, in words an operator can act
// on. SQLite itself says "attempt to write a readonly database" both for a
// filesystem the kernel forced read-only (after I/O errors, or a remount) and
// for a file its process may not write, and "database or disk is full"; the
// remedies differ (check the disk, fix an owner or a mode, free space), so the
// storage names which one it is.
//
// Thread-safety: plain functions; probe_write_problem reads the filesystem.
#pragma once

#include <string>

namespace highseas::sqlite_detail {

enum class WriteProblem {
  none,                  // nothing found that stops a write
  read_only_filesystem,  // the filesystem is mounted (or was forced) read-only
  no_permission,         // the process may not write the file or its directory
  disk_full,             // no space left on the filesystem (or over a quota)
};

// Returns the problem that `system_errno`, the errno of a failed write, names:
// EROFS a read-only filesystem; EACCES or EPERM no permission; ENOSPC or
// EDQUOT a full disk; anything else none.
WriteProblem problem_from_errno(int system_errno) noexcept;

// Returns why `path` (a database file, which need not exist) cannot be
// written, found by asking the system: the filesystem holding its directory is
// mounted read-only (statvfs ST_RDONLY), else the file, or the directory if the
// file is missing, is not writable by this process (access W_OK); none if
// neither.
WriteProblem probe_write_problem(const std::string& path);

// Returns `problem` explained for a message that already names the file,
// e.g. "the filesystem holding it is mounted read-only (...)"; "" for none.
std::string explain(WriteProblem problem);

}  // namespace highseas::sqlite_detail
