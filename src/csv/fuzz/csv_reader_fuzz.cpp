// libFuzzer entry point: any bytes, in every encoding mode, must read to the
// end without a crash, a hang or unbounded memory, and every field returned
// without a problem must be valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "highseas/csv/csv_reader.hpp"
#include "highseas/detail/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using highseas::csv::CsvEncoding;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (const CsvEncoding encoding :
       {CsvEncoding::automatic, CsvEncoding::utf8, CsvEncoding::gb18030}) {
    std::istringstream in(bytes);
    // Small limits so the fuzzer reaches the over-long and too-many paths.
    highseas::csv::CsvReader reader(
        in, {.encoding = encoding, .max_field_bytes = 64, .max_columns = 8});
    highseas::csv::CsvRecord record;
    std::size_t records = 0;
    while (reader.next(record)) {
      if (++records > size + 1) std::abort();  // each record consumes at least one byte
      if (record.fields.size() > 8) std::abort();
      if (record.problem) continue;
      for (const std::string& field : record.fields) {
        if (field.size() > 64 * 2 + 4 || !highseas::detail::is_valid_utf8(field)) std::abort();
      }
    }
    if (reader.bytes_read() > size) std::abort();
  }
  return 0;
}
