// Streams CSV rows into PublicPool::import_customers (a batch per
// transaction, or the whole file as one ImportSource) and maps the pool's row
// indexes back to file lines.
#include "highseas/csv/csv_import.hpp"

#include <algorithm>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
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

// Reads the file record by record, checks what only the file knows, and hands
// the rows to the pool: in keep_valid mode a batch per transaction; in strict
// mode as an ImportSource the pool reads in one transaction, rewinding it
// (seeking the stream back) should the storage ask for a retry.
class Importer final : public ImportSource {
 public:
  Importer(PublicPool& pool, const UserId& actor, const CsvImportOptions& options)
      : pool_(pool), actor_(actor), options_(options) {}

  Result<CsvImportReport> run(std::istream& in) {
    in_ = &in;
    start_ = in.tellg();
    if (auto stopped = open()) return *stopped;
    report_.encoding = reader_->encoding();
    if (!columns_.ignored.empty()) {
      std::string names;
      for (const std::string& name : columns_.ignored) names += (names.empty() ? "" : ", ") + name;
      report_.notices.push_back("ignored columns: " + names);
    }
    if (strict()) {
      if (auto stopped = run_strict()) return *stopped;
    } else {
      if (auto stopped = run_batches()) return *stopped;
    }
    sort_problems();
    progress();
    return std::move(report_);
  }

  // --- ImportSource, for the strict import ---

  // Seeks back to where the file started, re-reads the header and forgets
  // every row seen: the next pass finds the same rows and problems again.
  void rewind() override {
    in_->clear();
    in_->seekg(start_);
    if (!*in_) throw std::runtime_error("csv import: cannot seek back to the start of the input");
    reset_rows();
    (void)open();  // the header was accepted on the first pass: same bytes, same answer
  }

  std::span<const CustomerProfile> next_batch() override {
    batch_.clear();
    lines_.clear();
    CsvRecord record;
    while (batch_.size() < options_.batch_rows && reader_->next(record)) {
      ++report_.rows;
      add_row(record);
      if (!batch_.empty() && skip_lines_.contains(lines_.back())) {
        // Found already imported by the check pass (skip_existing).
        batch_.pop_back();
        lines_.pop_back();
        ++report_.skipped;
      }
      if (report_.rows % options_.batch_rows == 0) progress();
    }
    return batch_;
  }

  // Reports the pool's problems by line while the batch is at hand. Whether
  // a collision is only an earlier run's row (skip_existing) needs the pool,
  // which must not be asked inside its own transaction: those rows wait, with
  // their profile, for settle_refused.
  void refused(std::size_t first_row, std::span<const ImportProblem> problems) override {
    for (const ImportProblem& pool_problem : problems) {
      const std::size_t row = pool_problem.row - first_row;
      if (may_be_already_imported(pool_problem)) {
        refused_.push_back(Refused{lines_[row], pool_problem, batch_[row]});
        continue;
      }
      problem(lines_[row], columns_.column_of(pool_problem.field), pool_problem.field,
              pool_problem.reason, pool_problem.code, pool_problem.collision);
    }
  }

  bool left_out_rows() const override { return file_problems_ > 0; }

  // refused() reports every problem: the pool need not keep them too.
  bool collects_problems() const override { return true; }

  // add_row lets through only the first row of each id and name key.
  bool rows_are_unique() const override { return true; }

 private:
  // Where a name key was first seen in the file.
  struct FirstRow {
    std::size_t line = 0;
    std::string id;
  };

  // A row the pool refused that may be already imported, kept until the
  // transaction is over.
  struct Refused {
    std::size_t line = 0;
    ImportProblem problem;
    CustomerProfile profile;
  };

  bool strict() const { return options_.mode == ImportMode::all_or_nothing; }

  // (Re)starts the reader on the stream and reads the header. Returns a
  // refusal when the file has no usable header.
  std::optional<Refusal> open() {
    reader_.emplace(*in_, CsvReaderOptions{.encoding = options_.encoding,
                                           .max_field_bytes = options_.max_field_bytes});
    CsvRecord record;
    const bool any = reader_->next(record);
    if (!reader_->not_text_reason().empty()) {
      return refuse(RefusalCode::invalid_argument,
                    "not a text file: " + reader_->not_text_reason() + " (a CSV file is text)");
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
    return std::nullopt;
  }

  // Forgets every row read: what a new pass over the file starts from.
  void reset_rows() {
    report_.rows = 0;
    report_.imported = 0;
    report_.skipped = 0;
    report_.rejected = 0;
    report_.rows_with_problems = 0;
    report_.problems.clear();
    file_problems_ = 0;
    batch_.clear();
    lines_.clear();
    refused_.clear();
    first_line_of_id_.clear();
    first_row_of_name_.clear();
  }

  // keep_valid: a transaction per batch, so other writers get in between.
  std::optional<Refusal> run_batches() {
    CsvRecord record;
    while (reader_->next(record)) {
      ++report_.rows;
      add_row(record);
      if (batch_.size() >= options_.batch_rows) {
        if (auto stopped = flush()) return *stopped;
      }
      if (report_.rows % options_.batch_rows == 0) progress();
    }
    return flush();
  }

  // all_or_nothing: the whole file in ONE streamed transaction, a batch in
  // memory at a time. With skip_existing, a check_only pass first finds the
  // rows an earlier run imported; if they are the only problems, a second
  // pass imports the rest, skipping them, all or nothing.
  std::optional<Refusal> run_strict() {
    if (options_.skip_existing) {
      auto check = pool_.import_customers(actor_, *this, ImportMode::check_only);
      if (!check) return check.refusal();
      std::unordered_set<std::size_t> skip;
      for (const Refused& kept : refused_) {
        if (already_imported(kept)) skip.insert(kept.line);
      }
      if (report_.rows_with_problems > 0 || skip.size() != refused_.size()) {
        settle_refused();
        report_.rejected = report_.rows - report_.skipped;  // strict: every row not skipped
        return std::nullopt;
      }
      skip_lines_ = std::move(skip);
    }
    auto result = pool_.import_customers(actor_, *this, ImportMode::all_or_nothing);
    if (!result) return result.refusal();
    settle_refused();
    report_.imported = result->imported;
    if (report_.rows_with_problems > 0) report_.rejected = report_.rows - report_.skipped;
    return std::nullopt;
  }

  void add_row(const CsvRecord& record) {
    if (record.problem) {
      const std::size_t column = record.problem->column;
      file_problem(record.line, column < columns_.width() ? columns_.header[column] : "", "",
                   record.problem->reason);
      return;
    }
    if (record.fields.size() != columns_.width()) {
      file_problem(record.line, "", "",
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
      file_problem(record.line, columns_.column_of("id"), "id",
                   "duplicate id '" + profile.id.str() + "' within the file (first on line " +
                       std::to_string(first->second) + ")");
      return;
    }
    if (same_name) {
      file_problem(
          record.line, columns_.column_of("name"), "name",
          "same name as line " + std::to_string(same_name->line) + " (" + same_name->id + ")");
      return;
    }
    batch_.push_back(std::move(profile));
    lines_.push_back(record.line);
  }

  // A problem the file itself has: the row never reaches the pool.
  void file_problem(std::size_t line, std::string column, std::string field, std::string reason) {
    ++file_problems_;
    problem(line, std::move(column), std::move(field), std::move(reason));
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

  // True iff skip_existing may skip the row the pool refused: it collides by
  // id with a customer the pool already knows.
  bool may_be_already_imported(const ImportProblem& pool_problem) const {
    return options_.skip_existing && pool_problem.collision && !pool_problem.collision->by_name &&
           (pool_problem.code == RefusalCode::already_in_pool ||
            pool_problem.code == RefusalCode::known_customer);
  }

  // skip_existing: true iff the pool refused the row only because it already
  // knows its id with the same profile, as a run of the same file that was
  // interrupted left it. A different profile stays a collision (撞单).
  bool already_imported(const Refused& kept) {
    auto known = pool_.customer(actor_, kept.profile.id);
    return known && known->profile == kept.profile;
  }

  // Counts the rows refused() kept skipped when they are already imported,
  // and reports the others; called outside the pool's transaction.
  void settle_refused() {
    for (const Refused& kept : refused_) {
      if (already_imported(kept)) {
        ++report_.skipped;
        continue;
      }
      const ImportProblem& pool_problem = kept.problem;
      problem(kept.line, columns_.column_of(pool_problem.field), pool_problem.field,
              pool_problem.reason, pool_problem.code, pool_problem.collision);
    }
    refused_.clear();
  }

  // keep_valid: one transaction for the rows collected so far.
  std::optional<Refusal> flush() {
    if (batch_.empty()) return std::nullopt;
    auto result = pool_.import_customers(actor_, batch_, ImportMode::keep_valid);
    if (!result) return refused_midway(result.refusal());
    report_.imported += result->imported.size();
    refused(0, result->problems);
    settle_refused();
    batch_.clear();
    lines_.clear();
    return std::nullopt;
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

  void progress() {
    if (options_.on_progress) {
      options_.on_progress(CsvProgress{reader_->bytes_read(), report_.rows, report_.imported});
    }
  }

  PublicPool& pool_;
  const UserId& actor_;
  const CsvImportOptions& options_;
  std::istream* in_ = nullptr;
  std::istream::pos_type start_;
  std::optional<CsvReader> reader_;
  CustomerColumns columns_;
  CsvImportReport report_;
  std::size_t file_problems_ = 0;  // rows add_row rejected, this pass
  std::vector<CustomerProfile> batch_;
  std::vector<std::size_t> lines_;              // lines_[i] is the file line of batch_[i]
  std::vector<Refused> refused_;                // maybe already imported, until settle_refused
  std::unordered_set<std::size_t> skip_lines_;  // lines to skip (already imported)
  std::unordered_map<std::string, std::size_t> first_line_of_id_;
  std::unordered_map<std::string, FirstRow> first_row_of_name_;  // by name key
};

}  // namespace

Result<CsvImportReport> import_customers_csv(PublicPool& pool, const UserId& actor,
                                             std::istream& in, const CsvImportOptions& options) {
  if (options.batch_rows == 0) {
    return refuse(RefusalCode::invalid_argument, "batch_rows must be at least 1");
  }
  if (options.mode == ImportMode::all_or_nothing && in.tellg() == std::istream::pos_type(-1)) {
    // A strict import may read the input twice (a retry starts it over) and
    // this one cannot seek back (a pipe): read it into memory first, raw
    // bytes, still smaller than the parsed rows would be.
    std::stringstream copy;
    copy << in.rdbuf();
    if (in.bad()) return refuse(RefusalCode::invalid_argument, "the input could not be read");
    return Importer(pool, actor, options).run(copy);
  }
  return Importer(pool, actor, options).run(in);
}

}  // namespace highseas::csv
