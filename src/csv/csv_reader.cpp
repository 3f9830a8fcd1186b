// The RFC 4180 state machine and the encoding step of CsvReader.
#include "highseas/csv/csv_reader.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "highseas/detail/utf8.hpp"

namespace highseas::csv {

namespace {

// The first bytes read decide an automatic encoding; also the read chunk size.
constexpr std::size_t kChunkBytes = std::size_t{64} * 1024;
constexpr int kEnd = -1;

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// True iff `window` is UTF-8, allowing a multi-byte sequence cut by the end of
// the window (the rest of it is in the next chunk).
bool looks_like_utf8(std::string_view window, bool window_is_whole_input) {
  if (detail::is_valid_utf8(window)) return true;
  if (window_is_whole_input) return false;
  for (std::size_t cut = 1; cut <= 3 && cut < window.size(); ++cut) {
    if (detail::is_valid_utf8(window.substr(0, window.size() - cut))) return true;
  }
  return false;
}

std::string lowercase_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view to_string(CsvEncoding encoding) noexcept {
  switch (encoding) {
    case CsvEncoding::automatic:
      return "auto";
    case CsvEncoding::utf8:
      return "utf-8";
    case CsvEncoding::gb18030:
      return "gb18030";
  }
  return "unknown";
}

std::optional<CsvEncoding> encoding_from_string(std::string_view name) noexcept {
  const std::string lower = lowercase_ascii(name);
  if (lower == "auto") return CsvEncoding::automatic;
  if (lower == "utf-8" || lower == "utf8") return CsvEncoding::utf8;
  if (lower == "gb18030" || lower == "gbk" || lower == "gb2312") return CsvEncoding::gb18030;
  return std::nullopt;
}

// GB18030 -> UTF-8 through glibc's iconv. GBK and GB2312 are subsets, so one
// converter reads all three. Structural CSV bytes (comma, quote, CR, LF) never
// occur inside a GB18030 multi-byte character, so fields are split on raw
// bytes first and converted one by one.
class CsvReader::Decoder {
 public:
  Decoder() : handle_(iconv_open("UTF-8", "GB18030")) {
    // iconv_open reports failure as (iconv_t)-1: the cast is its documented API.
    if (handle_ == reinterpret_cast<iconv_t>(-1)) {  // NOLINT(performance-no-int-to-ptr)
      throw std::runtime_error("iconv cannot convert GB18030 to UTF-8 on this system");
    }
  }
  ~Decoder() { iconv_close(handle_); }
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  // True iff `window` converts, allowing a character cut by the end of the
  // window (up to 3 bytes) when more input follows.
  bool looks_like_text(std::string_view window, bool window_is_whole_input) {
    for (std::size_t cut = 0; cut <= (window_is_whole_input ? 0U : 3U) && cut < window.size();
         ++cut) {
      std::string text(window.substr(0, window.size() - cut));
      if (convert(text)) return true;
    }
    return window.empty();
  }

  // Converts `text` in place; returns false if it is not valid GB18030.
  bool convert(std::string& text) {
    if (is_ascii(text)) return true;
    iconv(handle_, nullptr, nullptr, nullptr, nullptr);
    // A GB18030 character of n bytes becomes at most ceil(1.5 n) UTF-8 bytes.
    std::string out(text.size() * 2 + 4, '\0');
    char* in = text.data();
    std::size_t in_left = text.size();
    char* to = out.data();
    std::size_t out_left = out.size();
    if (iconv(handle_, &in, &in_left, &to, &out_left) == static_cast<std::size_t>(-1)) {
      return false;
    }
    // A truncated final character is kept in iconv's state, not reported.
    if (in_left != 0) return false;
    out.resize(out.size() - out_left);
    text.swap(out);
    return true;
  }

 private:
  iconv_t handle_;
};

CsvReader::CsvReader(std::istream& in, CsvReaderOptions options)
    : in_(&in), options_(options), encoding_(options.encoding), buffer_(kChunkBytes) {}

CsvReader::~CsvReader() = default;

bool CsvReader::fill() {
  if (!*in_) return false;
  in_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  position_ = 0;
  end_ = static_cast<std::size_t>(in_->gcount());
  return end_ > 0;
}

int CsvReader::peek() {
  if (position_ == end_ && !fill()) return kEnd;
  return static_cast<unsigned char>(buffer_[position_]);
}

int CsvReader::get() {
  const int c = peek();
  if (c != kEnd) {
    ++position_;
    ++consumed_;
  }
  return c;
}

void CsvReader::begin_input() {
  if (started_) return;
  started_ = true;
  fill();
  const std::string_view window(buffer_.data(), end_);
  const bool has_bom = window.substr(0, 3) == "\xEF\xBB\xBF";
  if (has_bom && encoding_ != CsvEncoding::gb18030) {
    position_ = 3;
    consumed_ = 3;
    encoding_ = CsvEncoding::utf8;
  }
  // Text never has NUL bytes (UTF-16 aside, which is not read either).
  if (window.find('\0') != std::string_view::npos) not_text_reason_ = "it contains NUL bytes";
  const bool automatic = encoding_ == CsvEncoding::automatic;
  if (automatic) {
    encoding_ =
        looks_like_utf8(window, end_ < buffer_.size()) ? CsvEncoding::utf8 : CsvEncoding::gb18030;
  }
  if (encoding_ == CsvEncoding::gb18030) decoder_ = std::make_unique<Decoder>();
  if (automatic && decoder_ && not_text_reason_.empty() &&
      !decoder_->looks_like_text(window.substr(position_), end_ < buffer_.size())) {
    not_text_reason_ = "its start is neither UTF-8 nor GB18030 text";
  }
}

void CsvReader::finish_field(CsvRecord& record, std::string& field) {
  if (record.fields.size() >= options_.max_columns) {
    if (!too_many_columns_ && !record.problem) {
      record.problem = CsvRecordProblem{
          record.fields.size(), "more than " + std::to_string(options_.max_columns) + " columns"};
    }
    too_many_columns_ = true;
    field.clear();
    return;
  }
  record.fields.push_back(std::move(field));
  field.clear();
}

bool CsvReader::next(CsvRecord& record) {
  begin_input();
  record.fields.clear();
  record.problem.reset();
  // Blank lines separate nothing: skip them.
  for (;;) {
    const int c = peek();
    if (c == kEnd) return false;
    if (c != '\n' && c != '\r') break;
    get();
    if (c == '\r' && peek() == '\n') get();
    ++line_;
  }
  record.line = line_;
  field_too_long_ = false;
  too_many_columns_ = false;

  std::string field;
  bool quoted = false;  // the field opened with a quote
  bool closed = false;  // ... and its closing quote was seen
  bool at_field_start = true;
  auto flag = [&](std::string reason) {
    if (!record.problem) record.problem = CsvRecordProblem{record.fields.size(), std::move(reason)};
  };
  auto append = [&](char c) {
    if (field.size() < options_.max_field_bytes) {
      field.push_back(c);
    } else if (!field_too_long_) {
      field_too_long_ = true;
      flag("field longer than " + std::to_string(options_.max_field_bytes) + " bytes");
    }
  };
  for (;;) {
    const int c = get();
    if (c == kEnd) {
      if (quoted && !closed) flag("quoted field not closed before the end of the file");
      finish_field(record, field);
      break;
    }
    if (quoted && !closed) {
      if (c == '"') {
        if (peek() == '"') {
          get();
          append('"');
        } else {
          closed = true;
        }
        continue;
      }
      append(static_cast<char>(c));
      if (c == '\r' && peek() == '\n') append(static_cast<char>(get()));
      if (c == '\r' || c == '\n') ++line_;
      continue;
    }
    if (c == ',') {
      finish_field(record, field);
      quoted = closed = false;
      at_field_start = true;
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (c == '\r' && peek() == '\n') get();
      ++line_;
      finish_field(record, field);
      break;
    }
    if (at_field_start && c == '"') {
      quoted = true;
      at_field_start = false;
      continue;
    }
    at_field_start = false;
    if (closed) flag("text after a closing quote");
    append(static_cast<char>(c));
  }

  for (std::size_t column = 0; column < record.fields.size(); ++column) {
    std::string& text = record.fields[column];
    if (decoder_) {
      if (!decoder_->convert(text) && !record.problem) {
        record.problem = CsvRecordProblem{column, "not valid GB18030 text"};
      }
    } else if (!detail::is_valid_utf8(text) && !record.problem) {
      record.problem = CsvRecordProblem{column, "not valid UTF-8"};
    }
  }
  return true;
}

}  // namespace highseas::csv
