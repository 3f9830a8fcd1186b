/// @file
/// CsvReader: a streaming RFC 4180 reader that turns a byte stream into
/// records of UTF-8 fields, one record at a time.
///
/// Accepts what spreadsheets really save: quoted fields with embedded commas,
/// quotes ("") and line breaks; CRLF, LF or CR line ends; a UTF-8 byte order
/// mark; blank lines (skipped); a last line without a line end. Text is UTF-8
/// or GB18030/GBK (what Excel on a Chinese Windows saves), converted to UTF-8.
/// With CsvEncoding::automatic the first 64 KiB decide: a BOM or valid UTF-8
/// means UTF-8, anything else GB18030. Only one record is in memory at a time,
/// and every field and record is bounded, so hostile input cannot exhaust memory.
///
/// A record that cannot be read cleanly (unterminated quote, text after a
/// closing quote, over-long field, too many columns, bytes that are not valid
/// in the encoding) is still returned, with `problem` set, so callers can report
/// it by line and go on with the next one.
///
/// Thread-safety: one reader belongs to one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace highseas::csv {

/// The text encoding of a CSV file.
enum class CsvEncoding {
  automatic,  ///< UTF-8 if the start is a BOM or valid UTF-8, else GB18030
  utf8,       ///< UTF-8, with or without a BOM
  gb18030,    ///< GB18030 (a superset of GBK and GB2312)
};

/// Returns the stable name of `encoding`: "auto", "utf-8", "gb18030".
std::string_view to_string(CsvEncoding encoding) noexcept;
/// Returns the encoding named `name` ("auto", "utf-8"/"utf8", "gb18030"/"gbk",
/// case-insensitive), or nothing.
std::optional<CsvEncoding> encoding_from_string(std::string_view name) noexcept;

/// Why a record could not be read cleanly, and in which column (from 0).
struct CsvRecordProblem {
  std::size_t column = 0;  ///< the column, from 0
  std::string reason;      ///< what is wrong, for people
};

/// One record of the file.
struct CsvRecord {
  std::vector<std::string> fields;          ///< UTF-8, exactly as written (quotes removed)
  std::size_t line = 0;                     ///< the physical line where the record starts, from 1
  std::optional<CsvRecordProblem> problem;  ///< set when the record is damaged
};

/// How CsvReader decodes the bytes and how much of hostile input it keeps.
struct CsvReaderOptions {
  // --- Behaviour ---
  /// How the bytes are encoded. Default: automatic.
  CsvEncoding encoding = CsvEncoding::automatic;
  // --- Limits (bound memory on hostile input) ---
  /// The longest raw field, in bytes; longer fields are cut and the record
  /// flagged. Default: 64 KiB.
  std::size_t max_field_bytes = std::size_t{64} * 1024;
  /// The most columns in one record; more are dropped and the record flagged.
  /// Default: 256.
  std::size_t max_columns = 256;
};

/// Reads RFC 4180 records from a stream, one at a time, as UTF-8.
class CsvReader {
 public:
  /// A reader of `in`, which must outlive it.
  explicit CsvReader(std::istream& in, CsvReaderOptions options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// Reads the next non-blank record into `record`; returns false at the end.
  bool next(CsvRecord& record);
  /// Returns the encoding in use: the one chosen, or the one detected once
  /// reading began (automatic before that).
  CsvEncoding encoding() const noexcept { return encoding_; }
  /// Returns how many bytes of the input were consumed so far.
  std::uint64_t bytes_read() const noexcept { return consumed_; }
  /// Returns why the input is not text ("it contains NUL bytes", "its start is
  /// neither UTF-8 nor GB18030"), or "" for text. Decided from the first 64 KiB
  /// once reading began; records are still returned, so a caller may go on.
  const std::string& not_text_reason() const noexcept { return not_text_reason_; }

 private:
  class Decoder;

  bool fill();
  int peek();
  int get();
  void begin_input();
  void finish_field(CsvRecord& record, std::string& field);

  std::istream* in_;
  CsvReaderOptions options_;
  CsvEncoding encoding_;
  std::unique_ptr<Decoder> decoder_;
  std::vector<char> buffer_;
  std::size_t position_ = 0;
  std::size_t end_ = 0;
  std::uint64_t consumed_ = 0;
  std::size_t line_ = 1;
  bool started_ = false;
  bool field_too_long_ = false;
  bool too_many_columns_ = false;
  std::string not_text_reason_;
};

}  // namespace highseas::csv
