#include "values.hpp"

namespace highseas::sql {

namespace {

const Time& epoch() {
  static const Time value(boost::gregorian::date(1970, 1, 1));
  return value;
}

}  // namespace

std::optional<std::int64_t> encode_time(Time at) {
  if (at.is_not_a_date_time()) return std::nullopt;
  if (at.is_pos_infinity()) return kPlusInfinity;
  if (at.is_neg_infinity()) return kMinusInfinity;
  return (at - epoch()).total_microseconds();
}

Time decode_time(std::optional<std::int64_t> value) {
  if (!value) return {};
  if (*value == kPlusInfinity) return {boost::posix_time::pos_infin};
  if (*value == kMinusInfinity) return {boost::posix_time::neg_infin};
  return epoch() + boost::posix_time::microseconds(*value);
}

std::optional<std::int64_t> encode_duration(Duration span) {
  if (span.is_not_a_date_time()) return std::nullopt;
  if (span.is_pos_infinity()) return kPlusInfinity;
  if (span.is_neg_infinity()) return kMinusInfinity;
  return span.total_microseconds();
}

Duration decode_duration(std::optional<std::int64_t> value) {
  if (!value) return {boost::posix_time::not_a_date_time};
  if (*value == kPlusInfinity) return {boost::posix_time::pos_infin};
  if (*value == kMinusInfinity) return {boost::posix_time::neg_infin};
  return boost::posix_time::microseconds(*value);
}

void throw_unknown(std::string_view where, std::string_view what, std::string_view name) {
  throw StorageError(std::string(where) + ": unknown " + std::string(what) + " '" +
                     std::string(name) + "'");
}

}  // namespace highseas::sql
