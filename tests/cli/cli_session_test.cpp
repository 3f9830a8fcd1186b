// A scripted session through every subcommand of the CLI, in-process over a
// MemoryStorage shared by the invocations (as the SQLite file is in real use).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <highseas/highseas.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "format.hpp"
#include "highseas/testing/forwarding_storage.hpp"

namespace highseas::cli {
namespace {

// Lends one storage to every command without giving away ownership, as a
// database file outlives them.
using BorrowedStorage = testing::ForwardingStorage;

struct Outcome {
  int status = 0;
  std::string out;
  std::string err;
};

class CliSessionTest : public ::testing::Test {
 protected:
  // Runs one command line at the session's current time (the clock the
  // environment injects, as a host's tests would; not --now).
  Outcome run(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    clock.set(*parse_time(now));
    const Environment environment{
        .out = out,
        .err = err,
        .open_storage = [this](const StorageRequest&) -> std::unique_ptr<Storage> {
          return std::make_unique<BorrowedStorage>(storage);
        },
        .clock = &clock};
    const int status = cli::run(args, environment);
    return {status, out.str(), err.str()};
  }
  nlohmann::json run_json(std::vector<std::string> args) {
    args.push_back("--json");
    const Outcome outcome = run(args);
    EXPECT_EQ(outcome.status, kExitOk) << outcome.err;
    return nlohmann::json::parse(outcome.out);
  }
  void set_up_pool() {
    ASSERT_EQ(
        run({"--as", "boss", "init", "--holding-period", "10d", "--cap", "2", "--cooldown", "5d"})
            .status,
        kExitOk);
    for (const auto& [user, role] : std::vector<std::pair<std::string, std::string>>{
             {"admin", "pool_admin"}, {"li", "pool_user"}, {"ana", "pool_user"}}) {
      ASSERT_EQ(run({"--as", "boss", "member", "set", user, role}).status, kExitOk);
    }
    const Outcome imported =
        run({"--as", "admin", "import", std::string(HIGHSEAS_TEST_DATA) + "/customers_gbk.csv"});
    ASSERT_EQ(imported.status, kExitOk) << imported.err;
    ASSERT_NE(imported.out.find("imported 3 of 3 rows"), std::string::npos) << imported.out;
  }

  // The customer as the library shows it, at the session's time.
  CustomerView pool_view(const std::string& id) {
    clock.set(*parse_time(now));
    PublicPool pool(PoolId("default"), storage, clock);
    return pool.customer(UserId("boss"), CustomerId(id)).value();
  }

  MemoryStorage storage;
  ManualClock clock;
  std::string now = "2026-03-02T00:00:00Z";
};

TEST_F(CliSessionTest, AWholeSessionThroughEveryCommand) {
  set_up_pool();

  const Outcome policy = run({"--as", "li", "policy"});
  EXPECT_EQ(policy.status, kExitOk);
  EXPECT_NE(policy.out.find("10d"), std::string::npos) << policy.out;

  const Outcome list = run({"--as", "li", "list", "--country", "cn"});
  EXPECT_EQ(list.status, kExitOk);
  EXPECT_NE(list.out.find("上海进出口贸易有限公司"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("東京商事"), std::string::npos) << "JP is filtered out";

  const Outcome claim = run({"--as", "li", "claim", "G001"});
  EXPECT_EQ(claim.status, kExitOk) << claim.err;
  EXPECT_NE(claim.out.find("until 2026-03-12T00:00:00Z (10d 0h left)"), std::string::npos)
      << claim.out;

  EXPECT_EQ(run({"--as", "admin", "assign", "G002", "--to", "li"}).status, kExitOk);
  // li is at the cap of 2.
  const Outcome capped = run({"--as", "li", "claim", "G003"});
  EXPECT_EQ(capped.status, kExitRefused);
  EXPECT_EQ(capped.err, "refused: cap_reached: the user already holds 2 of at most 2\n");

  now = "2026-03-10T00:00:00Z";  // two days left on both holdings
  EXPECT_EQ(run({"--as", "li", "follow-up", "G001", "sent samples"}).status, kExitOk);
  const Outcome mine = run({"--as", "li", "mine"});
  EXPECT_EQ(mine.status, kExitOk);
  EXPECT_NE(mine.out.find("2d 0h left"), std::string::npos) << mine.out;
  EXPECT_NE(mine.out.find("2 held, 2 with less than 3d left (!)"), std::string::npos) << mine.out;
  EXPECT_EQ(mine.out.rfind("!  ", 0), std::string::npos) << "the header row is not flagged";

  EXPECT_EQ(run({"--as", "li", "extend", "G001"}).status, kExitRefused);  // reps may not
  const Outcome extended = run({"--as", "admin", "extend", "G001"});
  EXPECT_EQ(extended.status, kExitOk) << extended.err;
  EXPECT_NE(extended.out.find("17d 0h left"), std::string::npos) << extended.out;

  EXPECT_EQ(run({"--as", "li", "win", "G001", "--payment"}).status, kExitOk);
  const nlohmann::json won = run_json({"--as", "li", "show", "G001"});
  EXPECT_EQ(won["state"], "regular");
  EXPECT_EQ(won["holder"], "li");
  const nlohmann::json won_history = run_json({"--as", "li", "history", "G001"});
  EXPECT_EQ(won_history.back()["win"], "payment_received");
  EXPECT_TRUE(won_history.front()["win"].is_null());

  now = "2026-03-13T00:00:00Z";  // G002's deadline (03-12) has passed
  const Outcome sweep = run({"--as", "boss", "sweep"});
  EXPECT_EQ(sweep.status, kExitOk);
  EXPECT_NE(sweep.out.find("returned 1 holding(s)"), std::string::npos) << sweep.out;
  const Outcome retake = run({"--as", "li", "claim", "G002"});
  EXPECT_EQ(retake.status, kExitRefused);
  EXPECT_NE(retake.err.find("refused: cooldown"), std::string::npos) << retake.err;
  EXPECT_EQ(run({"--as", "ana", "claim", "G002"}).status, kExitOk);
  EXPECT_EQ(run({"--as", "ana", "release", "G002"}).status, kExitOk);

  const nlohmann::json history = run_json({"--as", "boss", "history", "G002"});
  std::vector<std::string> kinds;
  for (const auto& entry : history) kinds.push_back(entry["kind"]);
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"imported", "assigned", "returned", "claimed", "released"}));

  const nlohmann::json report = run_json({"--as", "boss", "report"});
  EXPECT_EQ(report["available"], 2);
  EXPECT_EQ(report["held"], 0);
  EXPECT_EQ(report["regular"], 1);  // G001, won above

  EXPECT_EQ(run({"--as", "boss", "disable"}).status, kExitOk);
  const Outcome off = run({"--as", "ana", "claim", "G003"});
  EXPECT_EQ(off.status, kExitRefused);
  EXPECT_NE(off.err.find("pool_disabled"), std::string::npos);
  EXPECT_EQ(run({"--as", "boss", "enable"}).status, kExitOk);

  EXPECT_EQ(run({"--as", "boss", "member", "remove", "ana"}).status, kExitOk);
  const nlohmann::json members = run_json({"--as", "boss", "member", "list"});
  EXPECT_EQ(members.size(), 3U);
}

TEST_F(CliSessionTest, ImportReportsCollisionsWithTheirHolder) {
  set_up_pool();
  ASSERT_EQ(run({"--as", "li", "claim", "G001"}).status, kExitOk);
  const nlohmann::json report =
      run_json({"--as", "admin", "import", std::string(HIGHSEAS_TEST_DATA) + "/customers_gbk.csv"});
  EXPECT_EQ(report["imported"], 0);
  ASSERT_EQ(report["problems"].size(), 3U);
  EXPECT_EQ(report["problems"][0]["line"], 2);
  EXPECT_EQ(report["problems"][0]["column"], "编号");
  EXPECT_EQ(report["problems"][0]["collision"]["holder"], "li");
  EXPECT_EQ(report["problems"][0]["collision"]["deadline"], "2026-03-12T00:00:00Z");

  const Outcome strict = run({"--as", "admin", "import", "--strict", "--encoding", "utf-8",
                              std::string(HIGHSEAS_TEST_DATA) + "/customers_bad_rows.csv"});
  EXPECT_EQ(strict.status, kExitRefused);
  EXPECT_NE(strict.out.find("imported 0 of 7 rows"), std::string::npos) << strict.out;
  EXPECT_NE(strict.out.find("duplicate id 'B001' within the file"), std::string::npos);
  EXPECT_EQ(run({"--as", "boss", "show", "B001"}).status, kExitRefused);
}

TEST_F(CliSessionTest, StrictImportCountsTheRowsWithProblems) {
  set_up_pool();
  const Outcome strict = run({"--as", "admin", "import", "--strict", "--encoding", "utf-8",
                              std::string(HIGHSEAS_TEST_DATA) + "/customers_bad_rows.csv"});
  EXPECT_EQ(strict.status, kExitRefused);
  EXPECT_NE(strict.out.find("imported 0 of 7 rows from "), std::string::npos) << strict.out;
  EXPECT_NE(strict.out.find("(utf-8): 5 rows have problems, so nothing was imported (--strict):"),
            std::string::npos)
      << strict.out;
  EXPECT_EQ(strict.out.find("more"), std::string::npos) << "all 5 are listed: " << strict.out;
  EXPECT_EQ(strict.err, "refused: strict import: 5 of 7 rows had problems; nothing was imported\n");

  // 1500 rows, 2 problems: not "1500 rejected ... and 1498 more".
  const std::string path = ::testing::TempDir() + "/strict_1500.csv";
  {
    std::ofstream file(path);
    file << "id,name,country\n";
    for (int i = 1; i <= 1500; ++i) file << "S" << i << ",Name " << i << ",CN\n";
    file << "S7,Again,CN\nS9999,Bad,XX\n";
  }
  const Outcome big = run({"--as", "admin", "import", "--strict", path});
  EXPECT_EQ(big.status, kExitRefused);
  EXPECT_NE(big.out.find("imported 0 of 1502 rows"), std::string::npos) << big.out;
  EXPECT_NE(big.out.find("2 rows have problems, so nothing was imported"), std::string::npos);
  EXPECT_EQ(big.out.find("more"), std::string::npos) << big.out;
  EXPECT_NE(big.err.find("2 of 1502 rows had problems"), std::string::npos) << big.err;
  const nlohmann::json json =
      nlohmann::json::parse(run({"--as", "admin", "import", "--strict", path, "--json"}).out);
  EXPECT_EQ(json["rows_with_problems"], 2);
  EXPECT_EQ(json["rejected"], 1502);
  EXPECT_EQ(run({"--as", "boss", "show", "S1"}).status, kExitRefused);  // nothing imported
}

TEST_F(CliSessionTest, NowOnlySetsTheTimeOfReadOnlyCommands) {
  set_up_pool();
  ASSERT_EQ(run({"--as", "li", "claim", "G001"}).status, kExitOk);  // until 03-12T00:00

  // Reading as of a later time: the holding went back at its deadline then,
  // before any sweep (and li's cooldown, from the deadline, is over).
  const Outcome later = run({"--as", "li", "--now", "2026-03-20T00:00:00Z", "show", "G001"});
  EXPECT_EQ(later.status, kExitOk) << later.err;
  EXPECT_NE(later.out.find("available"), std::string::npos) << later.out;
  EXPECT_NE(later.out.find("2026-03-12T00:00:00Z"), std::string::npos) << later.out;
  const Outcome before = run({"--as", "li", "--now", "2026-03-11T23:59:59Z", "show", "G001"});
  EXPECT_NE(before.out.find("held"), std::string::npos) << before.out;
  for (const std::vector<std::string>& reading : {std::vector<std::string>{"mine"},
                                                  {"list"},
                                                  {"holdings", "li"},
                                                  {"history", "G001"},
                                                  {"report"},
                                                  {"policy"},
                                                  {"member", "list"}}) {
    std::vector<std::string> args{"--as", "boss", "--now", "2026-03-20T00:00:00Z"};
    args.insert(args.end(), reading.begin(), reading.end());
    EXPECT_EQ(run(args).status, kExitOk) << reading.front();
  }

  // Writing with an earlier --now (a win "before" the deadline) is refused,
  // says why, and changes nothing.
  now = "2026-03-20T00:00:00Z";
  const Outcome win = run({"--as", "li", "--now", "2026-03-05T00:00:00Z", "win", "G001"});
  EXPECT_EQ(win.status, kExitUsage);
  EXPECT_NE(win.err.find("'win' changes the pool and always runs on the real clock"),
            std::string::npos)
      << win.err;
  // Not won: it went back to the pool at its deadline.
  EXPECT_EQ(run_json({"--as", "li", "show", "G001"})["state"], "available");
  for (const std::vector<std::string>& writing : {std::vector<std::string>{"claim", "G002"},
                                                  {"release", "G001"},
                                                  {"sweep"},
                                                  {"policy", "--cap", "9"},
                                                  {"member", "set", "x", "pool_user"},
                                                  {"disable"},
                                                  {"follow-up", "G001", "called"},
                                                  {"extend", "G001"},
                                                  {"assign", "G003", "--to", "li"}}) {
    std::vector<std::string> args{"--as", "boss", "--now", "2026-03-05T00:00:00Z"};
    args.insert(args.end(), writing.begin(), writing.end());
    EXPECT_EQ(run(args).status, kExitUsage) << writing.front();
  }
  EXPECT_EQ(run_json({"--as", "boss", "policy"})["policy"]["max_holdings"], 2);

  // A leftover HIGHSEAS_NOW is refused the same way, and named.
  ::setenv("HIGHSEAS_NOW", "2026-03-05T00:00:00Z", 1);
  const Outcome from_env = run({"--as", "li", "release", "G001"});
  const Outcome env_read = run({"--as", "li", "show", "G001"});
  ::unsetenv("HIGHSEAS_NOW");
  EXPECT_EQ(from_env.status, kExitUsage);
  EXPECT_NE(from_env.err.find("HIGHSEAS_NOW (set in the environment)"), std::string::npos)
      << from_env.err;
  EXPECT_EQ(env_read.status, kExitOk) << env_read.err;
  EXPECT_NE(env_read.out.find("7d 0h left"), std::string::npos) << env_read.out;
}

TEST_F(CliSessionTest, APathThatIsNoReadableFileIsAFileError) {
  set_up_pool();
  const Outcome directory = run({"--as", "admin", "import", ::testing::TempDir()});
  EXPECT_EQ(directory.status, kExitFailure);
  EXPECT_NE(directory.err.find("it is a directory, not a CSV file"), std::string::npos)
      << directory.err;
  EXPECT_EQ(directory.err.find("empty"), std::string::npos) << directory.err;
  const Outcome missing = run({"--as", "admin", "import", "/no/such/file.csv"});
  EXPECT_EQ(missing.status, kExitFailure);
  EXPECT_NE(missing.err.find("cannot read /no/such/file.csv: No such file or directory"),
            std::string::npos)
      << missing.err;
  const std::string binary = ::testing::TempDir() + "/binary.csv";
  std::ofstream(binary) << std::string(
      "\x7f"
      "ELF\x02\x01\x01\0\0\0\0",
      12);
  const Outcome garbage = run({"--as", "admin", "import", binary});
  EXPECT_EQ(garbage.status, kExitRefused);
  EXPECT_NE(garbage.err.find("not a text file"), std::string::npos) << garbage.err;
  EXPECT_EQ(garbage.err.find("GB18030"), std::string::npos) << garbage.err;
}

TEST_F(CliSessionTest, MessagesUseWordsAndSayUntilWhen) {
  set_up_pool();
  ASSERT_EQ(run({"--as", "boss", "policy", "--max-extensions", "1"}).status, kExitOk);
  const Outcome bogus = run({"--as", "boss", "bogus"});
  EXPECT_EQ(bogus.status, kExitUsage);
  EXPECT_EQ(bogus.err.rfind("highseas: unknown command 'bogus'; the commands are init, ", 0), 0U)
      << bogus.err;

  ASSERT_EQ(run({"--as", "li", "claim", "G001"}).status, kExitOk);
  // A rep logs a call without a note.
  const Outcome call = run({"--as", "li", "follow-up", "G001"});
  EXPECT_EQ(call.status, kExitOk) << call.err;
  EXPECT_EQ(run_json({"--as", "li", "history", "G001"}).back()["kind"], "followed_up");

  const Outcome release = run({"--as", "ana", "release", "G001"});
  EXPECT_EQ(release.status, kExitRefused);
  EXPECT_EQ(release.err,
            "refused: not_permitted: a pool user may not release another rep's customer ('G001' "
            "is held by 'li')\n");
  EXPECT_EQ(run({"--as", "admin", "extend", "G001"}).status, kExitOk);
  const Outcome again = run({"--as", "admin", "extend", "G001"});
  EXPECT_EQ(again.status, kExitRefused);
  EXPECT_NE(again.err.find("'G001' was already extended 1 time, the most the policy allows"),
            std::string::npos)
      << again.err;

  ASSERT_EQ(run({"--as", "li", "release", "G001"}).status, kExitOk);
  const Outcome cooldown = run({"--as", "li", "claim", "G001"});
  EXPECT_EQ(cooldown.status, kExitRefused);
  EXPECT_NE(cooldown.err.find("may take it again from 2026-03-07T00:00:00Z"), std::string::npos)
      << cooldown.err;
}

TEST_F(CliSessionTest, APausedHoldingShowsNoDeadlineThatAlreadyPassed) {
  set_up_pool();
  ASSERT_EQ(run({"--as", "li", "claim", "G001"}).status, kExitOk);  // until 03-12T00:00
  ASSERT_EQ(run({"--as", "boss", "disable"}).status, kExitOk);
  now = "2026-03-20T00:00:00Z";  // the stored deadline has passed; 10 days stand still
  auto view = pool_view("G001");
  EXPECT_TRUE(view.paused);
  EXPECT_EQ(time_left_text(view), "paused, 10d 0h left");
  EXPECT_EQ(deadline_text(view), "paused: moves when the pool is switched on");
  ASSERT_EQ(run({"--as", "boss", "enable"}).status, kExitOk);
  view = pool_view("G001");
  EXPECT_EQ(deadline_text(view), "2026-03-30T00:00:00Z");
}

TEST_F(CliSessionTest, SkipExistingCountsRowsAnEarlierRunImported) {
  set_up_pool();  // imported customers_gbk.csv
  const Outcome again = run({"--as", "admin", "import", "--skip-existing",
                             std::string(HIGHSEAS_TEST_DATA) + "/customers_gbk.csv"});
  EXPECT_EQ(again.status, kExitOk) << again.err;
  EXPECT_NE(again.out.find("imported 0 of 3 rows"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("; skipped 3 rows already imported (--skip-existing)\n"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(again.out.find("collides"), std::string::npos) << again.out;
  const nlohmann::json json = run_json({"--as", "admin", "import", "--skip-existing", "--strict",
                                        std::string(HIGHSEAS_TEST_DATA) + "/customers_gbk.csv"});
  EXPECT_EQ(json["skipped"], 3);
  EXPECT_EQ(json["ok"], true);
}

TEST(DisplayWidthTest, CombiningMarksTakeNoColumnAndEmojiAndCjkTwo) {
  EXPECT_EQ(display_width("Cafe\u0301"), 4U);  // e + combining acute: one column
  EXPECT_EQ(display_width("Caf\u00e9"), 4U);
  EXPECT_EQ(display_width("東京商事"), 8U);
  EXPECT_EQ(display_width("\U0001F600 ok"), 5U);  // emoji: 2
  EXPECT_EQ(display_width("ＡＣＭＥ"), 8U);       // full-width forms
  EXPECT_EQ(display_width("bad \xff byte"), 10U);

  Table table({"name", "country"});
  table.add({"Cafe\u0301 Ltd", "FR"});
  table.add({"Caf\u00e9 Ltd", "FR"});
  table.add({"\U0001F600 Shop", "BR"});
  std::ostringstream out;
  table.print(out);
  std::istringstream lines(out.str());
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_EQ(display_width(line.substr(0, line.rfind("  ") + 2)), 10U) << line;
  }
}

TEST_F(CliSessionTest, BadArgumentsPrintUsageAndExitTwo) {
  const Outcome none = run({});
  EXPECT_EQ(none.status, kExitUsage);
  EXPECT_NE(none.err.find("Usage"), std::string::npos) << none.err;
  const Outcome unknown = run({"--as", "boss", "frobnicate"});
  EXPECT_EQ(unknown.status, kExitUsage);
  const Outcome missing = run({"--as", "boss", "claim"});
  EXPECT_EQ(missing.status, kExitUsage);
  EXPECT_NE(missing.err.find("CUSTOMER"), std::string::npos) << missing.err;
  const Outcome no_actor = run({"claim", "G001"});
  EXPECT_EQ(no_actor.status, kExitUsage);
  EXPECT_NE(no_actor.err.find("--as USER is required"), std::string::npos);
  const Outcome bad_role = run({"--as", "boss", "member", "set", "x", "king"});
  EXPECT_EQ(bad_role.status, kExitUsage);
  const Outcome bad_period = run({"--as", "boss", "init", "--holding-period", "soon"});
  EXPECT_EQ(bad_period.status, kExitUsage);
  const Outcome help = run({"--help"});
  EXPECT_EQ(help.status, kExitOk);
  EXPECT_NE(help.out.find("follow-up"), std::string::npos);
}

TEST_F(CliSessionTest, ThePoolsTimeZoneIsSetAtInitAndChangedByPolicy) {
  ASSERT_EQ(run({"--as", "boss", "init", "--time-zone", "Asia/Shanghai"}).status, kExitOk);
  EXPECT_EQ(run_json({"--as", "boss", "policy"})["policy"]["time_zone"], "Asia/Shanghai");
  const Outcome table = run({"--as", "boss", "policy"});
  EXPECT_NE(table.out.find("time zone         Asia/Shanghai"), std::string::npos) << table.out;

  const Outcome wrong = run({"--as", "boss", "policy", "set", "--time-zone", "Asia/Shangai"});
  EXPECT_EQ(wrong.status, kExitRefused);
  EXPECT_NE(wrong.err.find("time_zone 'Asia/Shangai'"), std::string::npos) << wrong.err;
  ASSERT_EQ(run({"--as", "boss", "policy", "set", "--time-zone", "America/Sao_Paulo"}).status,
            kExitOk);
  EXPECT_EQ(run_json({"--as", "boss", "policy"})["policy"]["time_zone"], "America/Sao_Paulo");
}

TEST_F(CliSessionTest, TheBossImportsHolidayFilesAndEveryoneSeesTheCalendar) {
  set_up_pool();
  EXPECT_NE(run({"--as", "li", "calendar"}).out.find("no work calendar set"), std::string::npos);
  const std::string cn = std::string(HIGHSEAS_CALENDARS) + "/cn/";
  EXPECT_EQ(run({"--as", "li", "calendar", "import", cn + "2025.json"}).status, kExitRefused);

  const Outcome first = run({"--as", "boss", "calendar", "import", cn + "2025.json"});
  ASSERT_EQ(first.status, kExitOk) << first.err;
  EXPECT_NE(first.out.find("work calendar version 1"), std::string::npos) << first.out;
  // A later year adds to what is there: one more version, both years known.
  const nlohmann::json second = run_json({"--as", "boss", "calendar", "import", cn + "2026.json"});
  EXPECT_EQ(second["version"], 2);
  EXPECT_EQ(second["years"], nlohmann::json::array({2025, 2026}));

  const nlohmann::json shown = run_json({"--as", "li", "calendar", "show", "--year", "2025"});
  EXPECT_EQ(shown["version"], 2);
  EXPECT_EQ(shown["by"], "boss");
  EXPECT_EQ(shown["weekend"], "Saturday, Sunday");
  bool spring_festival = false;
  bool make_up_day = false;
  for (const nlohmann::json& day : shown["days"]) {
    EXPECT_EQ(day["date"].get<std::string>().substr(0, 4), "2025") << day;
    spring_festival |= day["date"] == "2025-01-28" && day["kind"] == "off";
    make_up_day |= day["date"] == "2025-01-26" && day["kind"] == "work";
  }
  EXPECT_TRUE(spring_festival && make_up_day) << shown.dump();
  const Outcome table = run({"--as", "li", "calendar", "show", "--year", "2025"});
  EXPECT_NE(table.out.find("2025-01-26  Sunday     work"), std::string::npos) << table.out;

  // --replace keeps only what it imports; --weekend sets the days off each week.
  const nlohmann::json replaced = run_json({"--as", "boss", "calendar", "import", cn + "2024.json",
                                            "--replace", "--weekend", "fri,sat"});
  EXPECT_EQ(replaced["years"], nlohmann::json::array({2024}));
  EXPECT_EQ(run_json({"--as", "li", "calendar"})["weekend"], "Friday, Saturday");

  const Outcome missing = run({"--as", "boss", "calendar", "import", cn + "2099.json"});
  EXPECT_EQ(missing.status, kExitRefused);
  EXPECT_NE(missing.err.find("2099.json: cannot be read"), std::string::npos) << missing.err;
  EXPECT_EQ(
      run({"--as", "boss", "calendar", "import", cn + "2025.json", "--weekend", "caturday"}).status,
      kExitUsage);
  EXPECT_EQ(run_json({"--as", "li", "calendar"})["version"], 3) << "refusals add no version";
}

TEST_F(CliSessionTest, AShanghaiTeamCountsTenWorkingDaysAndSeesItsOwnTimes) {
  now = "2025-01-10T01:00:00Z";
  ASSERT_EQ(run({"--as", "boss", "init", "--time-zone", "Asia/Shanghai"}).status, kExitOk);
  ASSERT_EQ(run({"--as", "boss", "member", "set", "li", "pool_user"}).status, kExitOk);
  ASSERT_EQ(run({"--as", "boss", "import", std::string(HIGHSEAS_TEST_DATA) + "/customers_gbk.csv"})
                .status,
            kExitOk);
  // Business days wait for a calendar that knows the year.
  const Outcome early = run({"--as", "boss", "policy", "--holding-period", "10bd"});
  EXPECT_EQ(early.status, kExitRefused);
  EXPECT_NE(early.err.find("runs into 2025, which the pool's work calendar does not know"),
            std::string::npos)
      << early.err;
  const std::string cn = std::string(HIGHSEAS_CALENDARS) + "/cn/";
  ASSERT_EQ(run({"--as", "boss", "calendar", "import", cn + "2025.json"}).status, kExitOk);
  ASSERT_EQ(run({"--as", "boss", "policy", "--holding-period", "10bd"}).status, kExitOk);

  // Friday 24 January, 10:00 in Shanghai: the 10th working day is Thursday 13
  // February (Spring Festival and its make-up days counted as the team does).
  now = "2025-01-24T02:00:00Z";
  const Outcome claim = run({"--as", "li", "claim", "G001"});
  ASSERT_EQ(claim.status, kExitOk) << claim.err;
  EXPECT_NE(claim.out.find("until 2025-02-14T00:00:00+08:00"), std::string::npos) << claim.out;
  const Outcome in_utc = run({"--as", "li", "--utc", "show", "G001"});
  EXPECT_NE(in_utc.out.find("2025-02-13T16:00:00Z"), std::string::npos) << in_utc.out;
  EXPECT_EQ(run_json({"--as", "li", "show", "G001"})["deadline"], "2025-02-13T16:00:00Z");

  const Outcome why = run({"--as", "li", "explain", "G001"});
  ASSERT_EQ(why.status, kExitOk) << why.err;
  EXPECT_NE(why.out.find("holding period skips 10 days off: 2025-01-25 Saturday, "
                         "2025-01-28..2025-02-04 春节, 2025-02-09 Sunday"),
            std::string::npos)
      << why.out;
  const nlohmann::json explained = run_json({"--as", "li", "explain", "G001"});
  EXPECT_EQ(explained["local_deadline"], "2025-02-14 00:00:00 +08:00");
  EXPECT_EQ(explained["clocks"][0]["skipped"].size(), 10U);

  // The company adds a day off on Monday 10 February; running holdings
  // follow it only when the boss says so.
  const std::string company_day = ::testing::TempDir() + "company_day.txt";
  std::ofstream(company_day) << "year 2025\n2025-02-10 off 公司年会\n";
  ASSERT_EQ(
      run({"--as", "boss", "calendar", "import", company_day, "--running", "recompute"}).status,
      kExitOk);
  EXPECT_EQ(run_json({"--as", "li", "show", "G001"})["deadline"], "2025-02-14T16:00:00Z");
  // Extensions of three working days, counted on from Friday 14 February's
  // end: Monday 17, 18 and 19.
  EXPECT_EQ(run({"--as", "boss", "policy", "--extension", "3 days"}).status, kExitUsage);
  ASSERT_EQ(run({"--as", "boss", "policy", "--extension", "3bd"}).status, kExitOk);
  EXPECT_EQ(run_json({"--as", "boss", "policy"})["policy"]["extension"], "3bd");
  ASSERT_EQ(run({"--as", "boss", "extend", "G001"}).status, kExitOk);
  EXPECT_EQ(run_json({"--as", "li", "show", "G001"})["deadline"], "2025-02-19T16:00:00Z");

  // December: the calendar knows 2025 only. From Thursday 18 December ten
  // working days end in 2026, and `calendar show` says so in time.
  now = "2025-12-01T01:00:00Z";
  const Outcome shown = run({"--as", "li", "calendar", "show"});
  ASSERT_EQ(shown.status, kExitOk) << shown.err;
  EXPECT_NE(shown.out.find("warning: from 2025-12-18T00:00:00+08:00 the policy's business days "
                           "run into 2026"),
            std::string::npos)
      << shown.out;
  EXPECT_EQ(run_json({"--as", "li", "calendar", "show"})["outlook"]["runs_out_at"],
            "2025-12-17T16:00:00Z");
  // Saturday 20 December: the claim is refused, until the boss counts
  // unknown years by weekends only (then 1 January counts as a working day).
  now = "2025-12-20T02:00:00Z";
  const Outcome refused = run({"--as", "li", "claim", "G002"});
  EXPECT_EQ(refused.status, kExitRefused);
  EXPECT_NE(refused.err.find("calendar_ends"), std::string::npos) << refused.err;
  ASSERT_EQ(run({"--as", "boss", "policy", "--unknown-years", "weekends_only"}).status, kExitOk);
  EXPECT_EQ(run_json({"--as", "boss", "policy"})["policy"]["unknown_years"], "weekends_only");
  const Outcome guessed = run({"--as", "li", "claim", "G002"});
  ASSERT_EQ(guessed.status, kExitOk) << guessed.err;
  EXPECT_NE(guessed.out.find("until 2026-01-03T00:00:00+08:00"), std::string::npos) << guessed.out;
  EXPECT_EQ(run({"--as", "boss", "policy", "--unknown-years", "guess"}).status, kExitUsage);
}

TEST_F(CliSessionTest, AtRiskListsWhoIsAboutToLoseWhatEarliestFirst) {
  set_up_pool();
  // Holding period 10 days: G001 and G002 claimed on 2 March end with the
  // 11th, G003 claimed on the 3rd with the 13th.
  ASSERT_EQ(run({"--as", "li", "claim", "G001"}).status, kExitOk);
  ASSERT_EQ(run({"--as", "ana", "claim", "G002"}).status, kExitOk);
  now = "2026-03-03T09:00:00Z";
  ASSERT_EQ(run({"--as", "li", "claim", "G003"}).status, kExitOk);
  now = "2026-03-10T12:00:00Z";
  const Outcome team = run({"--as", "admin", "at-risk"});
  ASSERT_EQ(team.status, kExitOk) << team.err;
  EXPECT_NE(team.out.find("3 of the team's holdings return by 2026-03-14T00:00:00Z"),
            std::string::npos)
      << team.out;
  EXPECT_LT(team.out.find("G001"), team.out.find("G002")) << team.out;
  EXPECT_LT(team.out.find("G002"), team.out.find("G003")) << team.out;
  EXPECT_NE(team.out.find("period"), std::string::npos) << team.out;
  const Outcome li = run({"--as", "li", "at-risk", "--within", "1d", "--user", "li"});
  ASSERT_EQ(li.status, kExitOk) << li.err;
  EXPECT_NE(li.out.find("G001"), std::string::npos) << li.out;
  EXPECT_EQ(li.out.find("G003"), std::string::npos) << li.out;
  const nlohmann::json page = run_json({"--as", "ana", "at-risk", "--limit", "1"});
  ASSERT_EQ(page["customers"].size(), 1U);
  EXPECT_EQ(page["customers"][0]["id"], "G001");
  EXPECT_EQ(page["customers"][0]["deadline_reason"], "period");
  EXPECT_EQ(page["customers"][0]["time_left_seconds"], 36 * 3600);
  EXPECT_EQ(page["next"]["id"], "G001");
  EXPECT_EQ(page["until"], "2026-03-14T00:00:00Z");
  const Outcome none = run({"--as", "ana", "at-risk", "--within", "12h", "--user", "ana"});
  EXPECT_NE(none.out.find("none of ana's holdings returns by"), std::string::npos) << none.out;
  EXPECT_EQ(run({"--as", "ana", "at-risk", "--within", "soon"}).status, kExitUsage);
}

// Issue 19 through the CLI: a Shanghai team limits takes per local day and
// rewards early releases; a refused rep reads when to try again on their
// own clock, a script reads it as JSON.
TEST_F(CliSessionTest, ADailyLimitAndAReleaseCooldownSayWhenToTryAgainInThePoolsZone) {
  now = "2025-01-10T01:00:00Z";  // 09:00 in Shanghai
  ASSERT_EQ(run({"--as", "boss", "init", "--time-zone", "Asia/Shanghai", "--cooldown", "7d",
                 "--release-cooldown", "1d", "--daily-limit", "2,A=1"})
                .status,
            kExitOk);
  for (const char* user : {"li", "ana"}) {
    ASSERT_EQ(run({"--as", "boss", "member", "set", user, "pool_user"}).status, kExitOk);
  }
  ASSERT_EQ(run({"--as", "boss", "import", std::string(HIGHSEAS_TEST_DATA) + "/customers_gbk.csv"})
                .status,
            kExitOk);
  const nlohmann::json policy = run_json({"--as", "li", "policy"});
  EXPECT_EQ(policy["policy"]["daily_limit"], "2,A=1") << policy.dump();
  EXPECT_EQ(policy["policy"]["release_cooldown"], "1d") << policy.dump();
  EXPECT_NE(run({"--as", "li", "policy"}).out.find("2,A=1"), std::string::npos);

  ASSERT_EQ(run({"--as", "li", "claim", "G001"}).status, kExitOk);  // level A
  ASSERT_EQ(run({"--as", "li", "claim", "G002"}).status, kExitOk);
  const Outcome third = run({"--as", "li", "claim", "G003"});
  EXPECT_EQ(third.status, kExitRefused);
  EXPECT_NE(
      third.err.find("refused: daily_limit: the user took 2 customers today, at most 2 a day"),
      std::string::npos)
      << third.err;
  EXPECT_NE(third.err.find("try again from 2025-01-11T00:00:00+08:00"), std::string::npos)
      << third.err;
  const Outcome json = run({"--as", "li", "claim", "G003", "--json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["retry_after"], "2025-01-11T00:00:00+08:00");

  // Released at 09:00 local: li may take it back after one day, not seven.
  ASSERT_EQ(run({"--as", "li", "release", "G001"}).status, kExitOk);
  now = "2025-01-10T17:00:00Z";  // 01:00 the next local day: a new daily count
  const Outcome back = run({"--as", "li", "claim", "G001"});
  EXPECT_EQ(back.status, kExitRefused);
  EXPECT_NE(back.err.find("refused: cooldown:"), std::string::npos) << back.err;
  EXPECT_NE(back.err.find("try again from 2025-01-11T09:00:00+08:00"), std::string::npos)
      << back.err;
  EXPECT_EQ(run({"--as", "ana", "claim", "G001"}).status, kExitOk) << "ana never held it";

  EXPECT_EQ(run({"--as", "boss", "policy", "--daily-limit", "3,3"}).status, kExitUsage);
  ASSERT_EQ(run({"--as", "boss", "policy", "--daily-limit", "none"}).status, kExitOk);
  EXPECT_EQ(run_json({"--as", "li", "policy"})["policy"]["daily_limit"], "");
}

TEST_F(CliSessionTest, RefusalsAreOneLineAndJsonForScripts) {
  const Outcome no_pool = run({"--as", "boss", "claim", "X"});
  EXPECT_EQ(no_pool.status, kExitRefused);
  EXPECT_EQ(std::count(no_pool.err.begin(), no_pool.err.end(), '\n'), 1);
  const Outcome json = run({"--as", "boss", "claim", "X", "--json"});
  EXPECT_EQ(json.status, kExitRefused);
  const nlohmann::json document = nlohmann::json::parse(json.out);
  EXPECT_EQ(document["ok"], false);
  EXPECT_EQ(document["code"], "unknown_pool");
}

// Issue 16's "done when" through the CLI: a boss sets level rules, an idle
// limit and protection in one command; a rep sees why a customer will return
// and protects it.
TEST_F(CliSessionTest, ABossSetsReturnRulesAndARepSeesWhyACustomerReturns) {
  set_up_pool();
  const Outcome set = run(
      {"--as", "boss", "policy", "--idle", "7d", "--levels", "A=60d/14d", "--protect", "3x30d"});
  ASSERT_EQ(set.status, kExitOk) << set.err;
  EXPECT_NE(set.out.find("60d, idle 14d"), std::string::npos) << set.out;
  EXPECT_NE(set.out.find("3 per user, at most 30d"), std::string::npos) << set.out;
  const nlohmann::json stored = run_json({"--as", "boss", "policy"})["policy"];
  EXPECT_EQ(stored["levels"], "A=60d/14d");
  EXPECT_EQ(stored["idle_limit"], "7d");

  // Malformed rules are usage errors; rules the policy refuses say why.
  EXPECT_EQ(run({"--as", "boss", "policy", "--levels", "A=60d/"}).status, kExitUsage);
  EXPECT_EQ(run({"--as", "boss", "policy", "--protect", "3y30d"}).status, kExitUsage);
  const Outcome business = run({"--as", "boss", "policy", "--levels", "A=10bd"});
  EXPECT_EQ(business.status, kExitRefused);
  EXPECT_NE(business.err.find("10bd from today runs into 2026, which the pool's work calendar"),
            std::string::npos)
      << business.err;

  // G001 is level A: 14 days without a follow-up; G002 (B) has the default's 7.
  ASSERT_EQ(run({"--as", "li", "claim", "G001"}).status, kExitOk);
  ASSERT_EQ(run({"--as", "li", "claim", "G002"}).status, kExitOk);
  const nlohmann::json why = run_json({"--as", "li", "explain", "G001"});
  EXPECT_EQ(why["reason"], "idle");
  EXPECT_EQ(why["deadline"], "2026-03-16T00:00:00Z");
  EXPECT_EQ(why["after_protection"], "2026-04-01T00:00:00Z");
  const Outcome told = run({"--as", "li", "explain", "G002"});
  ASSERT_EQ(told.status, kExitOk) << told.err;
  EXPECT_NE(told.out.find("returns at 2026-03-09T00:00:00Z: no follow-up"), std::string::npos)
      << told.out;
  EXPECT_NE(told.out.find("a follow-up now moves it to 2026-03-09T00:00:00Z"), std::string::npos)
      << told.out;

  now = "2026-03-05T00:00:00Z";
  ASSERT_EQ(run({"--as", "li", "follow-up", "G002", "sent the catalogue"}).status, kExitOk);
  EXPECT_EQ(pool_view("G002").deadline, *parse_time("2026-03-12T00:00:00Z"));
  const Outcome protect = run({"--as", "li", "protect", "G002", "--for", "20d"});
  ASSERT_EQ(protect.status, kExitOk) << protect.err;
  EXPECT_EQ(pool_view("G002").deadline, *parse_time("2026-03-25T00:00:00Z"));
  const Outcome again = run({"--as", "li", "protect", "G002"});
  EXPECT_EQ(again.status, kExitRefused);
  EXPECT_NE(again.err.find("already protected until 2026-03-25T00:00:00Z"), std::string::npos)
      << again.err;
  EXPECT_EQ(run({"--as", "li", "protect", "G002", "--for", "soon"}).status, kExitUsage);
  const Outcome shown = run({"--as", "ana", "show", "G002"});
  EXPECT_NE(shown.out.find("protection_ended"), std::string::npos) << shown.out;
  ASSERT_EQ(run({"--as", "li", "unprotect", "G002"}).status, kExitOk);
  EXPECT_EQ(pool_view("G002").deadline, *parse_time("2026-03-12T00:00:00Z"));
  const Outcome history = run({"--as", "li", "history", "G002"});
  EXPECT_NE(history.out.find("protection_lifted"), std::string::npos) << history.out;
}

// A boss previews a change before making it, then makes it for running
// holdings too; the preview said what happened.
TEST_F(CliSessionTest, ABossPreviewsAPolicyChangeThenAppliesItToRunningHoldings) {
  set_up_pool();
  ASSERT_EQ(run({"--as", "li", "claim", "G001"}).status, kExitOk);  // level A
  ASSERT_EQ(run({"--as", "ana", "claim", "G002"}).status, kExitOk);
  now = "2026-03-04T00:00:00Z";
  const std::vector<std::string> change = {"--idle",    "7d",        "--levels",
                                           "A=60d/14d", "--running", "recompute"};
  std::vector<std::string> preview_args = {"--as", "boss", "policy", "preview"};
  preview_args.insert(preview_args.end(), change.begin(), change.end());
  const nlohmann::json preview = run_json(preview_args);
  EXPECT_EQ(preview["version"], 2);
  EXPECT_EQ(preview["running"], "recompute");
  ASSERT_EQ(preview["holdings"].size(), 2U);
  // G002: 10 days became idle 7 from the claim; G001 (A): idle 14.
  EXPECT_EQ(preview["holdings"][0]["customer"], "G002");
  EXPECT_EQ(preview["holdings"][0]["deadline_after"], "2026-03-09T00:00:00Z");
  EXPECT_EQ(preview["holdings"][1]["deadline_after"], "2026-03-16T00:00:00Z");
  EXPECT_EQ(preview["returns_by_day"][4], 1);
  EXPECT_EQ(run_json({"--as", "boss", "policy"})["policy_version"], 1)
      << "a preview writes nothing";
  preview_args.pop_back();
  preview_args.pop_back();  // no --running: keep
  const Outcome kept = run(preview_args);
  ASSERT_EQ(kept.status, kExitOk) << kept.err;
  EXPECT_NE(kept.out.find("0 of 2 running holdings get a new deadline"), std::string::npos)
      << kept.out;
  EXPECT_EQ(run({"--as", "li", "policy", "preview", "--idle", "7d"}).status, kExitRefused);
  EXPECT_EQ(run({"--as", "boss", "policy", "preview", "--running", "later"}).status, kExitUsage);
  EXPECT_EQ(run({"--as", "boss", "policy", "set"}).status, kExitUsage);

  std::vector<std::string> set_args = {"--as", "boss", "policy", "set"};
  set_args.insert(set_args.end(), change.begin(), change.end());
  const Outcome set = run(set_args);
  ASSERT_EQ(set.status, kExitOk) << set.err;
  EXPECT_NE(set.out.find("policy version    2 since 2026-03-04T00:00:00Z"), std::string::npos)
      << set.out;
  EXPECT_EQ(pool_view("G002").deadline, *parse_time("2026-03-09T00:00:00Z"));
  EXPECT_EQ(pool_view("G001").deadline, *parse_time("2026-03-16T00:00:00Z"));
  const Outcome history = run({"--as", "li", "history", "G001"});
  EXPECT_NE(history.out.find("rules_changed"), std::string::npos) << history.out;
}

}  // namespace
}  // namespace highseas::cli
