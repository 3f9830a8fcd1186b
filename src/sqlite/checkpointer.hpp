// Checkpointer: copies the WAL back into the database file on a thread of its
// own, so no command's commit() pays for a checkpoint. Used with synchronous
// NORMAL only: with FULL, SqliteStorage keeps SQLite's checkpoint in the
// commit, which measured faster (bench/README.md).
//
// SQLite's autocheckpoint (SqliteOptions::wal_autocheckpoint, 1000 by
// default) runs a checkpoint inside the commit that pushes the WAL past that
// many pages: that command waits for the copy and, with synchronous FULL or
// NORMAL, two fsyncs. Instead, every connection of the storage gets a WAL
// hook that, past the same threshold, wakes this thread, which runs a PASSIVE
// checkpoint (it never waits for readers or writers) on its own connection.
//
// What synchronous = FULL still guarantees: commit() returns only after the
// WAL, with the transaction's frames and its commit record, has been fsync'ed,
// so a committed command survives a process crash, an OS crash and power loss.
// A checkpoint fsyncs the WAL before copying and the database file after, and
// never lets the WAL be reused before that, so a crash in the middle of one
// loses nothing: the next open replays the WAL. What moves off the commit
// path is only the copy: the database file lags the WAL until the checkpoint
// thread catches up. With NORMAL, commits reach the disk at the next
// checkpoint's WAL sync (or when the OS writes them back), as before; a power
// loss may lose the commits since, never half of one.
//
// The thread is woken once per wal_autocheckpoint new frames, as often as
// SQLite would checkpoint, not on every commit past the threshold: while
// commits keep appending, a checkpoint cannot finish and the WAL does not
// restart, so "frames >= threshold" stays true, and waking on it ran
// checkpoints back to back, each with its fsyncs competing with the commits'
// (synchronous FULL claims ran at a third of their speed). If the thread falls
// behind (the WAL reaches kInlineFactor times the threshold), the committing
// connection checkpoints itself as SQLite would, waiting for a checkpoint the
// thread has started, so within one process the WAL stays under that many
// pages plus one transaction. (Without the wait, a thread descheduled for 5 ms
// mid-checkpoint let a stream of commits push the WAL to twice the bound.)
//
// Thread-safety: watch() before the connection is used; the hook runs on the
// committing thread.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

#include "connection.hpp"

namespace highseas::sqlite_detail {

class Checkpointer {
 public:
  // How many times the wake-up threshold the WAL may reach before a commit
  // checkpoints itself.
  static constexpr int kInlineFactor = 8;
  // The largest wake-up threshold (SqliteOptions::wal_autocheckpoint) whose
  // inline threshold still fits an int.
  static constexpr int kMaxWakeFrames = std::numeric_limits<int>::max() / kInlineFactor;

  // Starts the thread with its own connection, configured like the others;
  // new frames wake it every options.wal_autocheckpoint.
  // REQUIRES: 1 <= options.wal_autocheckpoint <= kMaxWakeFrames.
  explicit Checkpointer(const SqliteOptions& options);
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  // Stops and joins the thread. REQUIRES: no watched connection commits any more.
  ~Checkpointer();

  // Installs the WAL hook on `db` (replacing SQLite's autocheckpoint).
  void watch(sqlite3* db);

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  void wake();
  void run();

  // New frames that wake the thread (SqliteOptions::wal_autocheckpoint).
  const int wake_frames_;
  // Frames at which a commit checkpoints itself.
  const int inline_frames_;
  std::unique_ptr<Connection> connection_;
  // The WAL's frame count at the last wake-up; a smaller count means it restarted.
  std::atomic<int> woken_at_frames_{0};
  // Held while this storage checkpoints (the thread, or a commit past
  // inline_frames_), so a commit that must checkpoint waits for the thread's
  // copy to end instead of failing on SQLite's checkpoint lock.
  std::mutex checkpointing_;
  std::mutex mutex_;
  std::condition_variable wakeup_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace highseas::sqlite_detail
