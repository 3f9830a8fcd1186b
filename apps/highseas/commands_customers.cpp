// import, claim, assign, release, extend, protect, follow-up, win, sweep: moving
// customers in, through and out of the pool.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <highseas/csv/csv_import.hpp>
#include <memory>

#include "commands.hpp"
#include "format.hpp"
#include "import_notice.hpp"

namespace highseas::cli {

namespace {

std::string holding_text(const Holding& holding, Time now) {
  return holding.customer.str() + " held by " + holding.holder.str() + " until " +
         time_text(holding.deadline) + " (" + format_time_left(holding.deadline - now) + " left)";
}

// "1 row", "6 rows".
std::string rows_text(std::size_t rows) {
  return std::to_string(rows) + (rows == 1 ? " row" : " rows");
}

std::string collision_text(const Collision& collision) {
  std::string text = "collides with " + collision.existing.str();
  text += collision.by_name ? " by name: " : ": ";
  text += to_string(collision.state);
  if (collision.state == CustomerState::held && collision.holder) {
    text += " by " + collision.holder->str() + " until " + time_text(collision.deadline);
  } else if (collision.holder) {
    text += " of " + collision.holder->str();
  }
  return text;
}

// Redraws "[#####.....]  45%  12000 rows" in place on a terminal.
class ProgressBar {
 public:
  ProgressBar(std::ostream& out, std::uint64_t total_bytes) : out_(out), total_(total_bytes) {}
  void update(const csv::CsvProgress& progress) {
    const std::uint64_t percent = total_ == 0 ? 100 : progress.bytes_read * 100 / total_;
    const auto filled = static_cast<std::size_t>(percent * 30 / 100);
    out_ << "\r[" << std::string(filled, '#') << std::string(30 - filled, '.') << "] " << percent
         << "%  " << progress.rows_read << " rows" << std::flush;
  }
  void finish() { out_ << "\n"; }

 private:
  std::ostream& out_;
  std::uint64_t total_;
};

void print_import_report(Session& session, const std::string& file,
                         const csv::CsvImportReport& report, bool strict) {
  if (session.json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const csv::CsvProblem& problem : report.problems) {
      problems.push_back({{"line", problem.line},
                          {"column", problem.column},
                          {"field", problem.field},
                          {"code", std::string(to_string(problem.code))},
                          {"reason", problem.reason},
                          {"collision", problem.collision ? to_json(*problem.collision)
                                                          : nlohmann::json(nullptr)}});
    }
    session.print_json({{"ok", !strict || report.clean()},
                        {"file", file},
                        {"encoding", std::string(csv::to_string(report.encoding))},
                        {"rows", report.rows},
                        {"imported", report.imported},
                        {"skipped", report.skipped},
                        {"rejected", report.rejected},
                        {"rows_with_problems", report.rows_with_problems},
                        {"notices", report.notices},
                        {"problems", problems}});
    return;
  }
  std::ostream& out = session.out();
  for (const std::string& notice : report.notices) out << "note: " << notice << "\n";
  out << "imported " << report.imported << " of " << report.rows << " rows from " << file << " ("
      << csv::to_string(report.encoding) << ")";
  if (report.skipped > 0) {
    out << "; skipped " << rows_text(report.skipped) << " already imported (--skip-existing)";
  }
  if (report.rejected == 0) {
    out << "\n";
    return;
  }
  if (strict) {
    out << ": " << rows_text(report.rows_with_problems)
        << (report.rows_with_problems == 1 ? " has a problem" : " have problems")
        << ", so nothing was imported (--strict):\n";
  } else {
    out << "; " << report.rejected << " rejected:\n";
  }
  Table table({"line", "column", "problem"});
  for (const csv::CsvProblem& problem : report.problems) {
    table.add(
        {std::to_string(problem.line), problem.column,
         problem.reason + (problem.collision ? " — " + collision_text(*problem.collision) : "")});
  }
  table.print(out);
  if (report.problems.size() < report.rows_with_problems) {
    out << "... and " << rows_text(report.rows_with_problems - report.problems.size())
        << " more with problems\n";
  }
}

struct ImportArgs {
  std::string file;
  bool strict = false;
  bool skip_existing = false;
  std::string encoding = "auto";
  std::size_t batch = 1000;
};

int run_import(Session& session, const ImportArgs& args) {
  const UserId actor = session.actor();
  // A path that is no readable file is a file error (exit 3), not an "empty"
  // CSV: a directory opens fine on Linux and reads as nothing.
  std::error_code error;
  if (std::filesystem::is_directory(args.file, error)) {
    session.err() << "highseas: cannot import " << args.file
                  << ": it is a directory, not a CSV file\n";
    return kExitFailure;
  }
  errno = 0;
  std::ifstream in(args.file, std::ios::binary);
  if (!in) {
    session.err() << "highseas: cannot read " << args.file << ": "
                  << (errno != 0 ? std::strerror(errno) : "cannot open it") << "\n";
    return kExitFailure;
  }
  csv::CsvImportOptions options;
  options.encoding = *csv::encoding_from_string(args.encoding);
  options.mode = args.strict ? ImportMode::all_or_nothing : ImportMode::keep_valid;
  options.batch_rows = args.batch;
  options.skip_existing = args.skip_existing;
  // By name, not by seeking: a pipe (/dev/stdin) cannot seek and has no size (0).
  const std::uintmax_t size = std::filesystem::is_regular_file(args.file, error)
                                  ? std::filesystem::file_size(args.file, error)
                                  : 0;
  const std::uint64_t total_bytes = error ? 0 : size;
  std::unique_ptr<ProgressBar> bar;
  if (session.progress_bar()) bar = std::make_unique<ProgressBar>(session.err(), total_bytes);
  // A strict import is one transaction: it holds the write lock from its
  // first batch to its commit. The notice lets the commands waiting for it
  // say why (see import_notice.hpp).
  PublicPool& pool = session.pool();
  std::unique_ptr<ImportNoticeWriter> notice;
  // Another live import's notice stays: it holds the lock this one waits for.
  if (args.strict && !read_live_notice(session.db_path)) {
    ImportNotice about;
    about.actor = actor.str();
    about.pool = session.pool_id;
    about.file = args.file;
    about.total_bytes = total_bytes;
    notice = std::make_unique<ImportNoticeWriter>(session.db_path, std::move(about));
  }
  if (bar || notice) {
    options.on_progress = [&bar, &notice](const csv::CsvProgress& progress) {
      if (bar) bar->update(progress);
      if (notice) notice->update(progress.bytes_read, progress.rows_read);
    };
  }
  auto report = csv::import_customers_csv(pool, actor, in, options);
  notice.reset();  // the transaction is over, committed or not
  if (bar) bar->finish();
  if (in.bad()) {  // a read error, not the end: the report would take it for the end
    session.err() << "highseas: reading " << args.file << " failed"
                  << (report && report->imported > 0
                          ? " after " + std::to_string(report->imported) + " rows were imported"
                          : std::string())
                  << "\n";
    return kExitFailure;
  }
  if (!report) return session.refused(report.refusal());
  print_import_report(session, args.file, *report, args.strict);
  if (args.strict && !report->clean()) {
    session.err() << "refused: strict import: " << report->rows_with_problems << " of "
                  << rows_text(report->rows) << " had problems; nothing was imported\n";
    return kExitRefused;
  }
  return kExitOk;
}

// Registers "NAME CUSTOMER" whose body gets the customer id.
CLI::App* customer_command(CLI::App& app, const std::string& name, const std::string& help,
                           const std::shared_ptr<std::string>& customer) {
  CLI::App* command = app.add_subcommand(name, help);
  command->add_option("CUSTOMER", *customer, "customer id")->required();
  return command;
}

}  // namespace

void add_customer_commands(CLI::App& app, Session& session, Action& action) {
  auto import_args = std::make_shared<ImportArgs>();
  CLI::App* import_command =
      app.add_subcommand("import", "import customers from a CSV file (导入)");
  import_command->add_option("FILE", import_args->file, "CSV with a header row")->required();
  import_command->add_flag("--strict", import_args->strict,
                           "all or nothing: any bad row imports none");
  import_command->add_flag(
      "--skip-existing", import_args->skip_existing,
      "resume an interrupted import: skip rows already in the pool with the same profile");
  import_command
      ->add_option("--encoding", import_args->encoding, "auto (default), utf-8 or gb18030")
      ->check(CLI::IsMember({"auto", "utf-8", "utf8", "gb18030", "gbk"}, CLI::ignore_case));
  import_command->add_option("--batch", import_args->batch, "rows per transaction (default 1000)")
      ->check(CLI::Range(1, 100000));
  import_command->callback([&session, &action, import_args] {
    action = [&session, import_args] { return run_import(session, *import_args); };
  });

  auto customer = std::make_shared<std::string>();
  customer_command(app, "claim", "take an available customer for yourself (领取)", customer)
      ->callback([&session, &action, customer] {
        action = [&session, customer] {
          auto holding = session.pool().claim(session.actor(), CustomerId(*customer));
          if (!holding) return session.refused(holding.refusal());
          return done(session, "claimed " + holding_text(*holding, session.clock().now()),
                      to_json(*holding));
        };
      });

  auto assignee = std::make_shared<std::string>();
  CLI::App* assign =
      customer_command(app, "assign", "give an available customer to a member (分配)", customer);
  assign->add_option("--to", *assignee, "the member who will hold it")->required();
  assign->callback([&session, &action, customer, assignee] {
    action = [&session, customer, assignee] {
      auto holding =
          session.pool().assign(session.actor(), CustomerId(*customer), UserId(*assignee));
      if (!holding) return session.refused(holding.refusal());
      return done(session, "assigned " + holding_text(*holding, session.clock().now()),
                  to_json(*holding));
    };
  });

  customer_command(app, "release", "give a holding back to the pool (释放)", customer)
      ->callback([&session, &action, customer] {
        action = [&session, customer] {
          auto released = session.pool().release(session.actor(), CustomerId(*customer));
          if (!released) return session.refused(released.refusal());
          return done(session, "released " + *customer + " to the pool", {{"customer", *customer}});
        };
      });

  customer_command(app, "extend", "push a holding's deadline back once (延期)", customer)
      ->callback([&session, &action, customer] {
        action = [&session, customer] {
          auto holding = session.pool().extend(session.actor(), CustomerId(*customer));
          if (!holding) return session.refused(holding.refusal());
          return done(session, "extended " + holding_text(*holding, session.clock().now()),
                      to_json(*holding));
        };
      });

  auto protect_for = std::make_shared<std::string>();
  CLI::App* protect = customer_command(
      app, "protect", "keep a holding from returning for a while (锁定/保护)", customer);
  protect->add_option("--for", *protect_for,
                      "how long, e.g. 10d (default: the longest the policy allows)");
  protect->callback([&session, &action, customer, protect_for] {
    action = [&session, customer, protect_for] {
      std::optional<Duration> length;
      if (!protect_for->empty()) {
        length = parse_duration(*protect_for);
        if (!length) throw UsageError{"--for must look like 30d, 12h or 45m"};
      }
      auto holding = session.pool().protect(session.actor(), CustomerId(*customer), length);
      if (!holding) return session.refused(holding.refusal());
      return done(session, "protected " + holding_text(*holding, session.clock().now()),
                  to_json(*holding));
    };
  });

  customer_command(app, "unprotect", "lift a holding's protection early", customer)
      ->callback([&session, &action, customer] {
        action = [&session, customer] {
          auto holding = session.pool().unprotect(session.actor(), CustomerId(*customer));
          if (!holding) return session.refused(holding.refusal());
          return done(session,
                      "protection lifted: " + holding_text(*holding, session.clock().now()),
                      to_json(*holding));
        };
      });

  auto note = std::make_shared<std::string>();
  CLI::App* follow_up =
      customer_command(app, "follow-up", "log a follow-up on a customer you hold (跟单)", customer);
  follow_up->add_option("NOTE", *note, "what happened (optional: a call may have no note)");
  follow_up->callback([&session, &action, customer, note] {
    action = [&session, customer, note] {
      auto logged = session.pool().follow_up(session.actor(), CustomerId(*customer), *note);
      if (!logged) return session.refused(logged.refusal());
      return done(session, "follow-up logged on " + *customer, {{"customer", *customer}});
    };
  });

  auto payment = std::make_shared<bool>(false);
  CLI::App* win = customer_command(
      app, "win", "record a signed contract (or --payment): it becomes your customer", customer);
  win->add_flag("--payment", *payment, "a payment was received (回款), not a contract (签约)");
  win->callback([&session, &action, customer, payment] {
    action = [&session, customer, payment] {
      const WinKind kind = *payment ? WinKind::payment_received : WinKind::contract_signed;
      auto won = session.pool().record_win(session.actor(), CustomerId(*customer), kind);
      if (!won) return session.refused(won.refusal());
      return done(session, "won " + *customer + " (" + std::string(to_string(kind)) + ")",
                  {{"customer", *customer}, {"kind", std::string(to_string(kind))}});
    };
  });

  CLI::App* sweep = app.add_subcommand(
      "sweep", "return every overdue holding to the pool, then send the reminders due");
  sweep->callback([&session, &action] {
    action = [&session] {
      auto report = session.pool().sweep();
      if (!report) return session.refused(report.refusal());
      if (session.json) return session.print_json(to_json(*report));
      if (report->paused) {
        session.out() << "the pool is off: countdowns are paused, nothing is due\n";
        return kExitOk;
      }
      session.out() << "returned " << report->returned.size() << " holding(s) to the pool\n";
      Table returned({"customer", "previous holder", "deadline"});
      for (const ReturnedHolding& r : report->returned) {
        returned.add({r.customer.str(), r.previous_holder.str(), time_text(r.deadline)});
      }
      if (!returned.empty()) returned.print(session.out());
      session.out() << "sent " << report->reminded.size() << " reminder(s)\n";
      Table reminded({"customer", "holder", "deadline", "time left", "reminder", "to"});
      for (const SentReminder& r : report->reminded) {
        std::string to;
        for (const UserId& user : r.audience) to += (to.empty() ? "" : ", ") + user.str();
        reminded.add({r.customer.str(), r.holder.str(), time_text(r.deadline),
                      time_left_text(r.time_left, false), to_string(r.reminder), to});
      }
      if (!reminded.empty()) reminded.print(session.out());
      return kExitOk;
    };
  });
}

}  // namespace highseas::cli
