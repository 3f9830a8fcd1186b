/// @file
/// CustomerColumns: which CSV column holds which customer field, read from the
/// header row, and how one record becomes a CustomerProfile.
///
/// Header names are matched after trimming spaces and folding ASCII case, in
/// English or Chinese:
///   id       id, customer id, customer_id, 编号, 客户编号
///   name     name, customer name, customer_name, company, 客户名称, 名称, 公司名称
///   country  country, country code, country_code, 国家, 国家代码
///   level    level, grade, 等级, 客户级别, 级别
///   tags     tags, tag, 标签   (several tags in one field, split on ';' or '|')
/// Other columns are ignored (and listed, so a host can say so). The id and name
/// columns are required.
///
/// Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "highseas/customer.hpp"
#include "highseas/result.hpp"

namespace highseas::csv {

/// Where each customer field is, by column index from 0.
struct CustomerColumns {
  std::size_t id = 0;                  ///< the id column (required)
  std::size_t name = 0;                ///< the name column (required)
  std::optional<std::size_t> country;  ///< the country column, if any
  std::optional<std::size_t> level;    ///< the level column, if any
  std::optional<std::size_t> tags;     ///< the tags column, if any
  std::vector<std::string> header;     ///< the header as written, for messages
  std::vector<std::string> ignored;    ///< header names matching no field, in order

  /// Returns the number of columns a record should have (the header's).
  std::size_t width() const noexcept { return header.size(); }
  /// Returns the header name of the column holding `field` ("id", "name",
  /// "country", "level", "tags"), or `field` itself if there is none.
  std::string column_of(std::string_view field) const;
};

/// Maps a header row to fields. Refuses invalid_argument when the id or name
/// column is missing, or two columns claim the same field.
Result<CustomerColumns> map_customer_columns(const std::vector<std::string>& header);

/// Builds the profile written on one record: fields trimmed, country upper-cased,
/// tags split on ';' or '|' with empty tags dropped. Checks nothing else:
/// PublicPool::import_customers checks every field.
CustomerProfile profile_from_record(const CustomerColumns& columns,
                                    const std::vector<std::string>& fields);

}  // namespace highseas::csv
