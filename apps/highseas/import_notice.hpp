// ImportNotice: a small file beside the database saying that a strict import
// holds its write lock, who started it, when, and how far it has read. Other
// highseas processes cannot see that lock's owner through SQLite; with the
// notice, a command that waits for the import, or gives up on it, says why.
//
// The notice is advice, never a lock: a stale one (its process is gone, or it
// has not been refreshed for kStaleAfter) is ignored, and a missing one only
// means the plain storage error is shown.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace highseas::cli {

// What the notice file says.
struct ImportNotice {
  std::string actor;              // who started the import
  std::string pool;               // the pool id
  std::string file;               // the CSV being imported
  std::int64_t started = 0;       // Unix seconds
  std::int64_t heartbeat = 0;     // Unix seconds of the last update
  std::int64_t pid = 0;           // the importing process
  std::string host;               // where that process runs
  std::uint64_t bytes_read = 0;   // of the file
  std::uint64_t total_bytes = 0;  // the file's size
  std::uint64_t rows_read = 0;    // data rows read so far
};

// A notice older than this is stale whatever its pid says (the pid may have
// been reused, or the importer runs on another host).
inline constexpr std::chrono::minutes kStaleAfter{10};

// Returns the notice's path for the database at `db_path`: "<db>.importing".
std::string notice_path(const std::string& db_path);

// Returns the notice beside `db_path` if one is there, readable and live (its
// process runs, or it runs elsewhere, and it was refreshed within
// kStaleAfter), and not this process's own; otherwise nullopt.
std::optional<ImportNotice> read_live_notice(const std::string& db_path);

// Returns "the pool is busy importing (started by admin at 14:02 UTC, 42% read)".
std::string busy_text(const ImportNotice& notice);

// Writes the notice when constructed, refreshes it as the import goes on, and
// removes it when destroyed, so every way out of the import (a refusal, an
// exception) takes the notice away. A notice that cannot be written is
// skipped: the import itself does not depend on it.
class ImportNoticeWriter {
 public:
  ImportNoticeWriter(const std::string& db_path, ImportNotice notice);
  ~ImportNoticeWriter();
  ImportNoticeWriter(const ImportNoticeWriter&) = delete;
  ImportNoticeWriter& operator=(const ImportNoticeWriter&) = delete;

  // Records how far the import has read; rewrites the file at most once a second.
  void update(std::uint64_t bytes_read, std::uint64_t rows_read);

 private:
  void write();

  std::string path_;
  ImportNotice notice_;
  bool written_ = false;
};

}  // namespace highseas::cli
