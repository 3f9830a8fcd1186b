#include "checkpointer.hpp"

namespace highseas::sqlite_detail {

Checkpointer::Checkpointer(const SqliteOptions& options)
    : wake_frames_(options.wal_autocheckpoint),
      inline_frames_(kInlineFactor * options.wal_autocheckpoint),
      connection_(std::make_unique<Connection>(options)) {
  // The checkpoint's fsyncs follow this connection's synchronous setting.
  connection_->configure(options);
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_one();
  thread_.join();
}

void Checkpointer::watch(sqlite3* db) { sqlite3_wal_hook(db, &Checkpointer::on_commit, this); }

int Checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int frames) {
  auto& checkpointer = *static_cast<Checkpointer*>(self);
  int woken_at = checkpointer.woken_at_frames_.load();
  if (frames < woken_at) {  // the WAL restarted after a complete checkpoint
    woken_at = 0;
    checkpointer.woken_at_frames_.store(0);
  }
  if (frames >= checkpointer.inline_frames_) {
    // The thread is behind: do what SQLite's own hook does. If the thread is
    // checkpointing now (it holds SQLite's checkpoint lock, so this PASSIVE
    // one would return SQLITE_BUSY and the WAL would keep growing for as long
    // as the thread is descheduled), wait for it first. Errors are not the
    // committed command's: the commit has already happened.
    const std::lock_guard one_at_a_time(checkpointer.checkpointing_);
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (frames - woken_at >= checkpointer.wake_frames_) {
    // Once per wake_frames_ new frames (compare_exchange: one committer wakes it).
    if (checkpointer.woken_at_frames_.compare_exchange_strong(woken_at, frames)) {
      checkpointer.wake();
    }
  }
  return SQLITE_OK;
}

void Checkpointer::wake() {
  {
    const std::lock_guard lock(mutex_);
    requested_ = true;
  }
  wakeup_.notify_one();
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wakeup_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    // PASSIVE: copies what no reader still needs and never blocks a command.
    // A busy or failed checkpoint is retried at the next wake-up.
    {
      const std::lock_guard one_at_a_time(checkpointing_);
      sqlite3_wal_checkpoint_v2(connection_->get(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                nullptr);
    }
    lock.lock();
  }
}

}  // namespace highseas::sqlite_detail
