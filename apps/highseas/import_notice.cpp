// The import notice file: written atomically (a temporary file renamed over
// it), so a reader never sees half a notice.
#include "import_notice.hpp"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

namespace highseas::cli {

namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "";
  return name.data();
}

// True iff process `pid` on this host still runs (EPERM: it runs as another user).
bool process_runs(std::int64_t pid) {
  if (pid <= 0) return false;
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

std::string notice_path(const std::string& db_path) { return db_path + ".importing"; }

std::optional<ImportNotice> read_live_notice(const std::string& db_path) {
  std::ifstream in(notice_path(db_path));
  if (!in) return std::nullopt;
  ImportNotice notice;
  try {
    const nlohmann::json document = nlohmann::json::parse(in);
    notice.actor = document.at("actor").get<std::string>();
    notice.pool = document.at("pool").get<std::string>();
    notice.file = document.at("file").get<std::string>();
    notice.started = document.at("started").get<std::int64_t>();
    notice.heartbeat = document.at("heartbeat").get<std::int64_t>();
    notice.pid = document.at("pid").get<std::int64_t>();
    notice.host = document.at("host").get<std::string>();
    notice.bytes_read = document.at("bytes_read").get<std::uint64_t>();
    notice.total_bytes = document.at("total_bytes").get<std::uint64_t>();
    notice.rows_read = document.at("rows_read").get<std::uint64_t>();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // not a notice this version wrote: ignore it
  }
  const bool here = notice.host == host_name();
  if (here && notice.pid == static_cast<std::int64_t>(getpid())) return std::nullopt;
  if (here && !process_runs(notice.pid)) return std::nullopt;  // killed mid-import
  if (unix_now() - notice.heartbeat > std::chrono::seconds(kStaleAfter).count()) {
    return std::nullopt;
  }
  return notice;
}

std::string busy_text(const ImportNotice& notice) {
  const auto started = static_cast<std::time_t>(notice.started);
  std::tm utc{};
  gmtime_r(&started, &utc);
  std::array<char, 32> at{};
  std::strftime(at.data(), at.size(), "%H:%M UTC", &utc);
  std::ostringstream text;
  text << "the pool is busy importing (started by " << notice.actor << " at " << at.data();
  if (notice.total_bytes > 0) {
    text << ", " << notice.bytes_read * 100 / notice.total_bytes << "% read";
  } else {
    text << ", " << notice.rows_read << " rows read";
  }
  text << ")";
  return text.str();
}

ImportNoticeWriter::ImportNoticeWriter(const std::string& db_path, ImportNotice notice)
    : path_(notice_path(db_path)), notice_(std::move(notice)) {
  notice_.started = unix_now();
  notice_.pid = static_cast<std::int64_t>(getpid());
  notice_.host = host_name();
  write();
}

ImportNoticeWriter::~ImportNoticeWriter() {
  if (written_) std::remove(path_.c_str());
}

void ImportNoticeWriter::update(std::uint64_t bytes_read, std::uint64_t rows_read) {
  notice_.bytes_read = bytes_read;
  notice_.rows_read = rows_read;
  if (unix_now() > notice_.heartbeat) write();  // at most once a second
}

void ImportNoticeWriter::write() {
  notice_.heartbeat = unix_now();
  const nlohmann::json document{{"actor", notice_.actor},
                                {"pool", notice_.pool},
                                {"file", notice_.file},
                                {"started", notice_.started},
                                {"heartbeat", notice_.heartbeat},
                                {"pid", notice_.pid},
                                {"host", notice_.host},
                                {"bytes_read", notice_.bytes_read},
                                {"total_bytes", notice_.total_bytes},
                                {"rows_read", notice_.rows_read}};
  const std::string temporary = path_ + "." + std::to_string(notice_.pid);
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << document.dump() << "\n";
    if (!out) {
      std::remove(temporary.c_str());
      return;
    }
  }
  if (std::rename(temporary.c_str(), path_.c_str()) != 0) {
    std::remove(temporary.c_str());
    return;
  }
  written_ = true;
}

}  // namespace highseas::cli
