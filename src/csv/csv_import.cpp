// Streams CSV rows into PublicPool::import_customers and maps its row
// indexes back to file lines.
#include "highseas/csv/csv_import.hpp"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "highseas/csv/customer_columns.hpp"
#include "highseas/name_key.hpp"

namespace highseas::csv {

std::string CsvProblem::to_string() const {
  std::string text = "line " + std::to_string(line);
  if (!column.empty()) text += ", column " + column;
  return text + ": " + reason;
}

namespace {

// Collects rows, hands them to the pool, and writes the report.
class Importer {
 public:
  Importer(PublicPool& pool, const UserId& actor, const CsvImportOptions& options)
      : pool_(pool), actor_(actor), options_(options) {}

  Result<CsvImportReport> run(std::istream& in) {
    CsvReader reader(in, CsvReaderOptions{.encoding = options_.encoding,
                                          .max_field_bytes = options_.max_field_bytes});
    CsvRecord record;
    const bool any = reader.next(record);
    if (!reader.not_text_reason().empty()) {
      return refuse(RefusalCode::invalid_argument,
                    "not a text file: " + reader.not_text_reason() + " (a CSV file is text)");
    }
    if (!any) {
      return refuse(RefusalCode::invalid_argument, "the file is empty: no header row");
    }
    if (record.problem) {
      return refuse(RefusalCode::invalid_argument,
                    "line " + std::to_string(record.line) + " (header): " + record.problem->reason);
    }
    auto columns = map_customer_columns(record.fields);
    if (!columns) return columns.refusal();
    columns_ = std::move(columns).value();
    report_.encoding = reader.encoding();
    if (!columns_.ignored.empty()) {
      std::string names;
      for (const std::string& name : columns_.ignored) names += (names.empty() ? "" : ", ") + name;
      report_.notices.push_back("ignored columns: " + names);
    }

    while (reader.next(record)) {
      ++report_.rows;
      add_row(record);
      if (!strict() && batch_.size() >= options_.batch_rows) {
        if (auto refused = flush()) return *refused;
      }
      if (report_.rows % options_.batch_rows == 0) progress(reader);
    }
    if (auto refused = strict() ? flush_strict() : flush()) return *refused;
    sort_problems();
    progress(reader);
    return std::move(report_);
  }

 private:
  // Where a name key was first seen in the file.
  struct FirstRow {
    std::size_t line = 0;
    std::string id;
  };

  bool strict() const { return options_.mode == ImportMode::all_or_nothing; }

  void add_row(const CsvRecord& record) {
    if (record.problem) {
      const std::size_t column = record.problem->column;
      problem(record.line, column < columns_.width() ? columns_.header[column] : "", "",
              record.problem->reason);
      return;
    }
    if (record.fields.size() != columns_.width()) {
      problem(record.line, "", "",
              "has " + std::to_string(record.fields.size()) + " columns, the header has " +
                  std::to_string(columns_.width()));
      return;
    }
    CustomerProfile profile = profile_from_record(columns_, record.fields);
    const auto [first, inserted] = first_line_of_id_.try_emplace(profile.id.str(), record.line);
    // The file is one unit for 撞单 within it: a name seen on an earlier line
    // (imported or not, in this batch or an earlier one) is named by that line,
    // never reported as a collision with a "known customer" the file itself added.
    std::optional<FirstRow> same_name;
    if (std::string key = name_key(profile.name); !key.empty()) {
      const auto [named, new_name] =
          first_row_of_name_.try_emplace(std::move(key), FirstRow{record.line, profile.id.str()});
      if (!new_name) same_name = named->second;
    }
    if (!inserted) {
      problem(record.line, columns_.column_of("id"), "id",
              "duplicate id '" + profile.id.str() + "' within the file (first on line " +
                  std::to_string(first->second) + ")");
      return;
    }
    if (same_name) {
      problem(record.line, columns_.column_of("name"), "name",
              "same name as line " + std::to_string(same_name->line) + " (" + same_name->id + ")");
      return;
    }
    batch_.push_back(std::move(profile));
    lines_.push_back(record.line);
  }

  void problem(std::size_t line, std::string column, std::string field, std::string reason,
               RefusalCode code = RefusalCode::invalid_argument,
               std::optional<Collision> collision = std::nullopt) {
    ++report_.rejected;
    ++report_.rows_with_problems;
    if (report_.problems.size() >= options_.max_reported_problems) return;
    report_.problems.push_back(CsvProblem{line, std::move(column), std::move(field), code,
                                          std::move(reason), std::move(collision)});
  }

  // skip_existing: true iff the pool refused `row` only because it already
  // knows its id with the same profile, as a run of the same file that was
  // interrupted left it. A different profile stays a collision (撞单).
  bool already_imported(const ImportProblem& pool_problem) {
    if (!options_.skip_existing || !pool_problem.collision || pool_problem.collision->by_name ||
        (pool_problem.code != RefusalCode::already_in_pool &&
         pool_problem.code != RefusalCode::known_customer)) {
      return false;
    }
    const CustomerProfile& row = batch_[pool_problem.row];
    auto known = pool_.customer(actor_, row.id);
    return known && known->profile == row;
  }

  // Returns the rows of `problems` that already_imported; reports the others.
  std::vector<std::size_t> add_pool_problems(const std::vector<ImportProblem>& problems) {
    std::vector<std::size_t> skipped;
    for (const ImportProblem& pool_problem : problems) {
      if (already_imported(pool_problem)) {
        skipped.push_back(pool_problem.row);
        continue;
      }
      problem(lines_[pool_problem.row], columns_.column_of(pool_problem.field), pool_problem.field,
              pool_problem.reason, pool_problem.code, pool_problem.collision);
    }
    return skipped;
  }

  // keep_valid: one transaction for the rows collected so far.
  std::optional<Refusal> flush() {
    if (batch_.empty()) return std::nullopt;
    auto result = pool_.import_customers(actor_, batch_, ImportMode::keep_valid);
    if (!result) return refused_midway(result.refusal());
    report_.imported += result->imported.size();
    report_.skipped += add_pool_problems(result->problems).size();
    batch_.clear();
    lines_.clear();
    return std::nullopt;
  }

  // all_or_nothing: the whole file in one transaction. When the file already
  // failed its own checks nothing may be written, yet the pool still reports
  // on the other rows: a check_only import. With skip_existing, a check_only
  // pass first finds the rows to skip, and the rest is imported all or nothing.
  std::optional<Refusal> flush_strict() {
    if (report_.rejected == 0 && options_.skip_existing) {
      auto check = pool_.import_customers(actor_, batch_, ImportMode::check_only);
      if (!check) return check.refusal();
      std::vector<std::size_t> skipped;
      for (const ImportProblem& pool_problem : check->problems) {
        if (already_imported(pool_problem)) skipped.push_back(pool_problem.row);
      }
      if (skipped.size() == check->problems.size()) {
        drop_rows(skipped);
        report_.skipped = skipped.size();
      }
    }
    const bool file_has_problems = report_.rejected > 0;
    auto result = pool_.import_customers(
        actor_, batch_, file_has_problems ? ImportMode::check_only : ImportMode::all_or_nothing);
    if (!result) return result.refusal();
    report_.skipped += add_pool_problems(result->problems).size();
    report_.imported = result->imported.size();
    if (report_.rows_with_problems > 0) report_.rejected = report_.rows - report_.skipped;
    return std::nullopt;
  }

  // Removes the batch rows at `rows` (ascending).
  void drop_rows(const std::vector<std::size_t>& rows) {
    std::size_t kept = 0;
    std::size_t next = 0;
    for (std::size_t row = 0; row < batch_.size(); ++row) {
      if (next < rows.size() && rows[next] == row) {
        ++next;
        continue;
      }
      if (kept != row) {
        batch_[kept] = std::move(batch_[row]);
        lines_[kept] = lines_[row];
      }
      ++kept;
    }
    batch_.resize(kept);
    lines_.resize(kept);
  }

  void sort_problems() {
    std::stable_sort(report_.problems.begin(), report_.problems.end(),
                     [](const CsvProblem& a, const CsvProblem& b) { return a.line < b.line; });
  }

  Refusal refused_midway(const Refusal& refusal) const {
    if (report_.imported == 0) return refusal;
    return refuse(refusal.code, refusal.message + " (after " + std::to_string(report_.imported) +
                                    " rows were imported)");
  }

  void progress(const CsvReader& reader) {
    if (options_.on_progress) {
      options_.on_progress(CsvProgress{reader.bytes_read(), report_.rows, report_.imported});
    }
  }

  PublicPool& pool_;
  const UserId& actor_;
  const CsvImportOptions& options_;
  CustomerColumns columns_;
  CsvImportReport report_;
  std::vector<CustomerProfile> batch_;
  std::vector<std::size_t> lines_;  // lines_[i] is the file line of batch_[i]
  std::unordered_map<std::string, std::size_t> first_line_of_id_;
  std::unordered_map<std::string, FirstRow> first_row_of_name_;  // by name key
};

}  // namespace

Result<CsvImportReport> import_customers_csv(PublicPool& pool, const UserId& actor,
                                             std::istream& in, const CsvImportOptions& options) {
  if (options.batch_rows == 0) {
    return refuse(RefusalCode::invalid_argument, "batch_rows must be at least 1");
  }
  return Importer(pool, actor, options).run(in);
}

}  // namespace highseas::csv
