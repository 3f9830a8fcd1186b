// Header mapping and record -> profile for customer CSV files.
#include "highseas/csv/customer_columns.hpp"

#include <array>
#include <cctype>

#include "highseas/country.hpp"

namespace highseas::csv {

namespace {

struct Alias {
  std::string_view field;
  std::string_view name;
};

// Every accepted header name, already trimmed and lower-cased.
constexpr std::array kAliases{
    Alias{"id", "id"},
    Alias{"id", "customer id"},
    Alias{"id", "customer_id"},
    Alias{"id", "编号"},
    Alias{"id", "客户编号"},
    Alias{"name", "name"},
    Alias{"name", "customer name"},
    Alias{"name", "customer_name"},
    Alias{"name", "company"},
    Alias{"name", "客户名称"},
    Alias{"name", "名称"},
    Alias{"name", "公司名称"},
    Alias{"country", "country"},
    Alias{"country", "country code"},
    Alias{"country", "country_code"},
    Alias{"country", "国家"},
    Alias{"country", "国家代码"},
    Alias{"level", "level"},
    Alias{"level", "grade"},
    Alias{"level", "等级"},
    Alias{"level", "客户级别"},
    Alias{"level", "级别"},
    Alias{"tags", "tags"},
    Alias{"tags", "tag"},
    Alias{"tags", "标签"},
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string fold(std::string_view text) {
  std::string out(trim(text));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view field_named(std::string_view header_name) {
  const std::string folded = fold(header_name);
  for (const Alias& alias : kAliases) {
    if (alias.name == folded) return alias.field;
  }
  return {};
}

std::string_view at(const std::vector<std::string>& fields, std::optional<std::size_t> column) {
  if (!column || *column >= fields.size()) return {};
  return trim(fields[*column]);
}

}  // namespace

std::string CustomerColumns::column_of(std::string_view field) const {
  std::optional<std::size_t> column;
  if (field == "id") column = id;
  if (field == "name") column = name;
  if (field == "country") column = country;
  if (field == "level") column = level;
  if (field == "tags") column = tags;
  if (column && *column < header.size()) return std::string(trim(header[*column]));
  return std::string(field);
}

Result<CustomerColumns> map_customer_columns(const std::vector<std::string>& header) {
  CustomerColumns columns;
  columns.header = header;
  std::optional<std::size_t> id;
  std::optional<std::size_t> name;
  for (std::size_t column = 0; column < header.size(); ++column) {
    const std::string_view field = field_named(header[column]);
    std::optional<std::size_t>* slot = nullptr;
    if (field == "id") slot = &id;
    if (field == "name") slot = &name;
    if (field == "country") slot = &columns.country;
    if (field == "level") slot = &columns.level;
    if (field == "tags") slot = &columns.tags;
    if (slot == nullptr) {
      columns.ignored.emplace_back(trim(header[column]));
      continue;
    }
    if (*slot) {
      return refuse(RefusalCode::invalid_argument, "columns '" + std::string(trim(header[**slot])) +
                                                       "' and '" +
                                                       std::string(trim(header[column])) +
                                                       "' both give the " + std::string(field));
    }
    *slot = column;
  }
  if (!id || !name) {
    return refuse(
        RefusalCode::invalid_argument,
        std::string("the header has no ") + (!id ? "id (编号)" : "name (客户名称)") + " column");
  }
  columns.id = *id;
  columns.name = *name;
  return columns;
}

CustomerProfile profile_from_record(const CustomerColumns& columns,
                                    const std::vector<std::string>& fields) {
  CustomerProfile profile;
  profile.id = CustomerId(at(fields, columns.id));
  profile.name = std::string(at(fields, columns.name));
  profile.country = normalize_country(at(fields, columns.country));
  profile.level = std::string(at(fields, columns.level));
  std::string_view tags = at(fields, columns.tags);
  while (!tags.empty()) {
    const std::size_t end = tags.find_first_of(";|");
    const std::string_view tag = trim(tags.substr(0, end));
    if (!tag.empty()) profile.tags.emplace_back(tag);
    if (end == std::string_view::npos) break;
    tags.remove_prefix(end + 1);
  }
  return profile;
}

}  // namespace highseas::csv
