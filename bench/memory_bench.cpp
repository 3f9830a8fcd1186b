// PublicPool on MemoryStorage: claim + release pairs, claims under cap
// pressure, two threads on one pool, the at-risk list, sweeps (of returns,
// and of reminders: none due, and per reminder sent), resident bytes per
// customer.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "fixtures.hpp"
#include "registry.hpp"

namespace highseas::bench {
namespace {

using Clock = std::chrono::steady_clock;

double nanoseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

// Disconnects a slot when destroyed. Generic over the connection type, so the
// same source builds against revisions whose signals are Boost.Signals2's.
template <class Connection>
class Disconnector {
 public:
  explicit Disconnector(Connection connection) : connection_(std::move(connection)) {}
  Disconnector(const Disconnector&) = delete;
  Disconnector& operator=(const Disconnector&) = delete;
  ~Disconnector() { connection_.disconnect(); }

 private:
  Connection connection_;
};

// Connects `slot` to `signal` if `wanted`; returns what disconnects it (or null).
template <class Signal, class Slot>
auto connect_if(bool wanted, Signal& signal, Slot slot) {
  using Connected = Disconnector<decltype(signal.connect(slot))>;
  return wanted ? std::make_unique<Connected>(signal.connect(std::move(slot))) : nullptr;
}

// The user BM_MemoryClaimRelease claims with: a member no other benchmark
// uses, so no cooldown or holding of theirs is in the way.
UserId claimer() { return user_id(64); }

// Resident bytes per customer after importing the 1M-customer fixture. Runs
// first, so the import is the process's first big allocation.
void BM_MemoryResidentBytes(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(fixture.customers);
  state.counters["bytes_per_customer"] =
      static_cast<double>(fixture.import_resident_bytes) / static_cast<double>(fixture.customers);
  state.counters["customers"] = static_cast<double>(fixture.customers);
}

// The floor itself, so the table shows it beside what is read against it.
void BM_Floor(benchmark::State& state) {
  Floor floor(state.range(0));
  for (auto _ : state) floor.claim_release();
  state.SetItemsProcessed(state.iterations());
}

// One claim and its release through PublicPool by a user who holds nothing
// else, while the other users hold half the pool (hold_half_by_others). The
// working set is every available customer, in a pseudo-random order over the
// whole pool, so a big pool is not read from a warm corner. Arguments: pool
// size, 0 or 1 subscribers (a slot on claimed and on released that counts the
// events), and the clock: 0 the fixture's ManualClock, 1 a SystemClock (a
// second PublicPool on the same storage), which adds reading the real time.
void BM_MemoryClaimRelease(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  hold_half_by_others(fixture);
  SystemClock system_clock;
  PublicPool system_pool(fixture.pool.id(), fixture.storage, system_clock);
  PublicPool& pool = state.range(2) != 0 ? system_pool : fixture.pool;
  std::int64_t heard = 0;
  const bool listen = state.range(1) > 0;
  const auto on_claim = connect_if(listen, pool.events().claimed, [&](const Claimed&) { ++heard; });
  const auto on_release =
      connect_if(listen, pool.events().released, [&](const Released&) { ++heard; });
  std::vector<CustomerId> ids;
  ids.reserve(fixture.order.size() - fixture.order.size() / 2);
  for (std::size_t k = fixture.order.size() / 2; k < fixture.order.size(); ++k) {
    ids.push_back(customer_id(fixture.order[k]));
  }
  const UserId user = claimer();
  std::size_t next = 0;
  const std::int64_t allocations_before = thread_allocations();
  const double start = thread_cpu_ns();
  for (auto _ : state) {
    const CustomerId& id = ids[next];
    if (!pool.claim(user, id)) state.SkipWithError("claim refused");
    if (!pool.release(user, id)) state.SkipWithError("release refused");
    if (++next == ids.size()) next = 0;
  }
  const double ns = (thread_cpu_ns() - start) / static_cast<double>(state.iterations());
  state.counters["allocations_per_pair"] =
      static_cast<double>(thread_allocations() - allocations_before) /
      static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.counters["heard"] = static_cast<double>(heard);
  state.counters["held_by_others"] = static_cast<double>(fixture.customers / 2);
  report_ratio_to_floor(state, ns, fixture.customers);
}

// One claim and its release as BM_MemoryClaimRelease (ManualClock, no
// subscribers), under a daily limit of 1 000 000 overall and as much for
// level A, so no claim is refused but every one reads the claimer's tally,
// reads the customer's level, and writes the tally back. After the timed
// pairs the same number (at most 20 000) run without a limit, untimed by the
// framework, so `x_without_limit` is the limit's cost in the same run.
void BM_MemoryClaimReleaseDailyLimit(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  hold_half_by_others(fixture);
  const ClaimPolicy unlimited = expect(fixture.pool.info(fixture.boss), "info").policy;
  ClaimPolicy limited = unlimited;
  limited.daily_limit =
      DailyLimit{ClaimPolicy::kLargestCount, {{"A", ClaimPolicy::kLargestCount}}, false};
  expect(fixture.pool.set_policy(fixture.boss, limited), "set_policy");
  std::vector<CustomerId> ids;
  ids.reserve(fixture.order.size() - fixture.order.size() / 2);
  for (std::size_t k = fixture.order.size() / 2; k < fixture.order.size(); ++k) {
    ids.push_back(customer_id(fixture.order[k]));
  }
  // A user of its own: the tally starts empty and no earlier cooldown binds.
  const UserId user = user_id(65);
  std::size_t next = 0;
  auto pair = [&] {
    const CustomerId& id = ids[next];
    const bool claimed = fixture.pool.claim(user, id).ok();
    const bool released = fixture.pool.release(user, id).ok();
    if (++next == ids.size()) next = 0;
    return claimed && released;
  };
  const std::int64_t allocations_before = thread_allocations();
  const double start = thread_cpu_ns();
  for (auto _ : state) {
    if (!pair()) state.SkipWithError("claim or release refused");
  }
  const double limited_ns = (thread_cpu_ns() - start) / static_cast<double>(state.iterations());
  state.counters["allocations_per_pair"] =
      static_cast<double>(thread_allocations() - allocations_before) /
      static_cast<double>(state.iterations());
  expect(fixture.pool.set_policy(fixture.boss, unlimited), "set_policy");
  const std::int64_t plain_pairs = std::min<std::int64_t>(state.iterations(), 20'000);
  const double plain_start = thread_cpu_ns();
  for (std::int64_t i = 0; i < plain_pairs; ++i) {
    if (!pair()) state.SkipWithError("claim or release refused");
  }
  const double plain_ns = (thread_cpu_ns() - plain_start) / static_cast<double>(plain_pairs);
  state.SetItemsProcessed(state.iterations());
  state.counters["ns_per_pair"] = limited_ns;
  state.counters["ns_per_pair_without_limit"] = plain_ns;
  state.counters["x_without_limit"] = limited_ns / plain_ns;
}

// Claims under cap pressure: the claimer is at the cap, so 15 of 16 claims
// are refused (cap_reached); every 16th round it releases one and claims.
void BM_MemoryClaimUnderCap(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  release_others(fixture);
  constexpr std::uint32_t kCap = 20;
  ClaimPolicy policy = expect(fixture.pool.info(fixture.boss), "info").policy;
  const ClaimPolicy unlimited = policy;
  policy.max_holdings = kCap;
  expect(fixture.pool.set_policy(fixture.boss, policy), "set_policy");
  const UserId user = user_id(2);
  std::deque<CustomerId> held;
  std::int64_t next = 0;
  auto next_id = [&] {
    next = (next + 1) % fixture.customers;
    return customer_id(next);
  };
  while (held.size() < kCap) {
    held.push_back(next_id());
    expect(fixture.pool.claim(user, held.back()), "claim");
  }
  std::int64_t refused = 0;
  std::int64_t round = 0;
  std::vector<CustomerId> candidates;
  for (std::int64_t i = 0; i < 4096; ++i) candidates.push_back(next_id());
  for (auto _ : state) {
    if (++round % 16 == 0) {
      if (!fixture.pool.release(user, held.front())) state.SkipWithError("release refused");
      held.pop_front();
    }
    const CustomerId& id = candidates[static_cast<std::size_t>(round % 4096)];
    if (fixture.pool.claim(user, id)) {
      held.push_back(id);
    } else {
      ++refused;
    }
  }
  for (const CustomerId& id : held) expect(fixture.pool.release(user, id), "release");
  expect(fixture.pool.set_policy(fixture.boss, unlimited), "set_policy");
  state.SetItemsProcessed(state.iterations());
  state.counters["refused_share"] =
      static_cast<double>(refused) / static_cast<double>(state.iterations());
}

// Claim + release pairs from two threads on one pool, disjoint customers.
void BM_MemoryClaimReleaseThreads(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  if (state.thread_index() == 0) release_others(fixture);
  const UserId user = user_id(10 + state.thread_index());
  std::vector<CustomerId> ids;
  for (std::int64_t i = state.thread_index(); i < fixture.customers; i += state.threads()) {
    ids.push_back(customer_id(i));
  }
  std::size_t next = 0;
  for (auto _ : state) {
    const CustomerId& id = ids[next];
    if (!fixture.pool.claim(user, id)) state.SkipWithError("claim refused");
    if (!fixture.pool.release(user, id)) state.SkipWithError("release refused");
    if (++next == ids.size()) next = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// Returns a midnight a year after the last one it returned (2030-01-01
// first): the sweep benchmarks' holdings start there, after everything an
// earlier run dated, so nobody is in cooldown from it.
Time fresh_start() {
  static Time next = utc(2030, 1, 1);
  const Time start = next;
  next += days(366);
  return start;
}

// sweep() over n held customers of which `due` are due. Set-up claims all n
// (the due ones at T0, the others an hour later); after each sweep the due
// ones are claimed again at T0 by the next of the 64 users (each rep who
// gave a customer back keeps their own cooldown, and the clock goes back to
// T0, so no user takes the same customer twice in one run), untimed. One sweep before the timed
// ones warms the caches and is not counted. Everything is released at the end.
void BM_MemorySweep(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  release_others(fixture);
  const std::int64_t n = fixture.customers;
  const std::int64_t due = n * state.range(1) / 1000;
  const Time t0 = fresh_start();
  const Duration period =
      expect(fixture.pool.info(fixture.boss), "info").policy.default_rule.holding_period.length();
  auto holder = [](std::int64_t customer, std::int64_t round) {
    return user_id((customer + round) % 64);
  };
  for (std::int64_t i = 0; i < n; ++i) {
    fixture.clock.set(i < due ? t0 : t0 + hours(1));
    expect(fixture.pool.claim(holder(i, 0), customer_id(i)), "claim");
  }
  std::int64_t round = 0;
  // Returns `due` holdings (untimed), then holds them again at T0.
  auto sweep_and_hold_again = [&] {
    fixture.clock.set(t0 + period);
    const Result<SweepReport> report = fixture.pool.sweep();
    if (!report || static_cast<std::int64_t>(report->returned.size()) != due) return false;
    ++round;
    fixture.clock.set(t0);
    for (std::int64_t i = 0; i < due; ++i) {
      expect(fixture.pool.claim(holder(i, round), customer_id(i)), "claim");
    }
    fixture.clock.set(t0 + period);
    return true;
  };
  std::int64_t returned = 0;
  double swept_ns = 0;  // wall time, to compare with the scan-style jobs'
  double swept_cpu_ns = 0;
  std::int64_t allocations = 0;  // inside sweep() only
  if (!sweep_and_hold_again()) state.SkipWithError("warm-up sweep returned the wrong holdings");
  if (due == 0) {
    // Nothing to put back between sweeps: time them back to back.
    const auto start = Clock::now();
    const double cpu_start = thread_cpu_ns();
    for (auto _ : state) {
      if (!fixture.pool.sweep()) state.SkipWithError("sweep refused");
    }
    swept_cpu_ns = thread_cpu_ns() - cpu_start;
    swept_ns = nanoseconds_since(start);
  } else {
    for (auto _ : state) {
      const std::int64_t allocations_before = thread_allocations();
      const auto start = Clock::now();
      const double cpu_start = thread_cpu_ns();
      const Result<SweepReport> report = fixture.pool.sweep();
      swept_cpu_ns += thread_cpu_ns() - cpu_start;
      swept_ns += nanoseconds_since(start);
      allocations += thread_allocations() - allocations_before;
      state.PauseTiming();
      if (!report || static_cast<std::int64_t>(report->returned.size()) != due) {
        state.SkipWithError("sweep returned the wrong holdings");
        break;
      }
      returned += due;
      ++round;
      fixture.clock.set(t0);
      for (std::int64_t i = 0; i < due; ++i) {
        expect(fixture.pool.claim(holder(i, round), customer_id(i)), "claim");
      }
      fixture.clock.set(t0 + period);
      state.ResumeTiming();
    }
  }
  fixture.clock.set(t0 + hours(2));
  for (std::int64_t i = 0; i < n; ++i) {
    expect(fixture.pool.release(holder(i, i < due ? round : 0), customer_id(i)), "release");
  }
  state.SetItemsProcessed(returned);
  const auto sweeps = static_cast<double>(state.iterations());
  // CPU time per sweep and per returned holding: steady on a shared machine.
  state.counters["ns_per_sweep"] = swept_cpu_ns / sweeps;
  if (due > 0) {
    state.counters["ns_per_returned"] = swept_cpu_ns / static_cast<double>(returned);
    state.counters["allocations_per_returned"] =
        static_cast<double>(allocations) / static_cast<double>(returned);
  }
  // The scan-style jobs over the same customers and due set (none, or 10k of 1M).
  if (state.range(1) <= 10) report_scan_ratios(state, n, due, swept_ns / sweeps);
}

// Every customer of a memory fixture held in the reminder layout
// (hold_in_reminder_layout) by u000..u063, under the fixture's policy with
// escalating_reminders() added, or without (`armed` false: the return sweep
// to read the reminders against, over the same holdings). The batch is the
// first `batch` customers of fixture.order, so it is spread over the pool.
// Set up untimed; give_back() releases every holding (at the clock's time,
// before any deadline) and puts the policy back.
class HeldWithReminders {
 public:
  HeldWithReminders(MemoryFixture& fixture, bool armed, std::int64_t batch)
      : fixture_(fixture), policy_(expect(fixture.pool.info(fixture.boss), "info").policy) {
    release_others(fixture);
    const Time day0 = fresh_start();
    fixture.clock.set(day0);
    if (armed) {
      ClaimPolicy reminding = policy_;
      reminding.default_rule.reminders = escalating_reminders();
      expect(fixture.pool.set_policy(fixture.boss, reminding), "set_policy");
    }
    const std::int64_t allocations_before = thread_allocations();
    quiet_ =
        hold_in_reminder_layout(fixture.pool, fixture.clock, fixture.order, batch, kHolders, day0);
    allocations_per_claim_ = static_cast<double>(thread_allocations() - allocations_before) /
                             static_cast<double>(fixture.customers);
    for (std::int64_t k = 0; k < batch; ++k) {
      batch_.push_back(customer_id(fixture.order[static_cast<std::size_t>(k)]));
    }
  }
  HeldWithReminders(const HeldWithReminders&) = delete;
  HeldWithReminders& operator=(const HeldWithReminders&) = delete;

  // Gives every holding back and puts the policy back: the next benchmark
  // finds the fixture as this one found it.
  void give_back() {
    for (std::int64_t k = 0; k < fixture_.customers; ++k) {
      const CustomerId id = customer_id(fixture_.order[static_cast<std::size_t>(k)]);
      expect(fixture_.pool.release(user_id(k % kHolders), id), "release");
    }
    expect(fixture_.pool.set_policy(fixture_.boss, policy_), "set_policy");
  }

  // The first time after the claims: nothing is due.
  Time quiet() const { return quiet_; }
  // operator new calls per claim while setting up (claims and their history).
  double allocations_per_claim() const { return allocations_per_claim_; }

  // Returns how many holdings have a reminder armed (reminder_due set), read
  // from the storage: a check that the set-up armed what it says.
  std::int64_t count_armed() {
    auto tx = fixture_.storage.begin(fixture_.pool.id(), TransactionMode::read_only);
    std::int64_t armed = 0;
    for (const std::int64_t index : fixture_.order) {
      const std::optional<CustomerRecord> record = tx->find_customer(customer_id(index));
      if (record && !record->reminder_due.is_special()) ++armed;
    }
    return armed;
  }
  // Returns when the batch's next reminder falls due, as its record says.
  Time batch_reminder_due() {
    auto tx = fixture_.storage.begin(fixture_.pool.id(), TransactionMode::read_only);
    return expect_record(*tx, batch_.front()).reminder_due;
  }
  // Keeps the batch's records as they are now, so restore_batch() can arm
  // them again.
  void save_batch() {
    auto tx = fixture_.storage.begin(fixture_.pool.id(), TransactionMode::read_only);
    saved_.clear();
    for (const CustomerId& id : batch_) saved_.push_back(expect_record(*tx, id));
  }
  // Writes the saved records back through the storage (untimed set-up): the
  // batch is armed again exactly as the library armed it, while the history
  // keeps the reminders it recorded.
  void restore_batch() {
    auto tx = fixture_.storage.begin(fixture_.pool.id(), TransactionMode::read_write);
    for (std::size_t k = 0; k < batch_.size(); ++k) tx->update_customer(batch_[k], saved_[k]);
    tx->commit();
  }

  static constexpr std::int64_t kHolders = 64;  // u000..u063, as BM_MemorySweep

 private:
  static CustomerRecord expect_record(Transaction& tx, const CustomerId& id) {
    std::optional<CustomerRecord> record = tx.find_customer(id);
    if (!record) throw std::runtime_error("reminder fixture: no record for " + id.str());
    return std::move(*record);
  }

  MemoryFixture& fixture_;
  ClaimPolicy policy_;
  Time quiet_;
  double allocations_per_claim_ = 0;
  std::vector<CustomerId> batch_;
  std::vector<CustomerRecord> saved_;
};

// sweep() with nothing due over n holdings: `reminders` 0 under a policy
// without reminders (the return sweep alone; the reminder index is empty),
// 1 with every holding armed with escalating_reminders() (each reminder
// index entry is in the future). Either way a sweep is one transaction that
// probes the deadline index and the reminder index once. Timed back to back
// after one untimed sweep. x_return_sweep is CPU time per sweep over the
// reminders-0 run's at the same size, when that ran earlier in this process.
void BM_MemoryReminderSweep(benchmark::State& state) {
  static std::map<std::int64_t, double> return_sweep_ns;
  MemoryFixture& fixture = memory_fixture(state.range(0));
  const bool armed = state.range(1) != 0;
  HeldWithReminders held(fixture, armed, 0);
  const std::int64_t reminders_armed = held.count_armed();
  if (reminders_armed != (armed ? fixture.customers : 0)) {
    state.SkipWithError("set-up armed the wrong number of holdings");
  }
  fixture.clock.set(held.quiet());
  auto quiet_sweep = [&] {
    const Result<SweepReport> report = fixture.pool.sweep();
    return report && report->returned.empty() && report->reminded.empty();
  };
  if (!quiet_sweep()) state.SkipWithError("warm-up sweep found something due");
  const std::int64_t allocations_before = thread_allocations();
  const double cpu_start = thread_cpu_ns();
  for (auto _ : state) {
    if (!quiet_sweep()) {
      state.SkipWithError("sweep found something due");
      break;
    }
  }
  const auto sweeps = static_cast<double>(state.iterations());
  const double ns = (thread_cpu_ns() - cpu_start) / sweeps;
  state.counters["ns_per_sweep"] = ns;
  state.counters["allocations_per_sweep"] =
      static_cast<double>(thread_allocations() - allocations_before) / sweeps;
  state.counters["holdings"] = static_cast<double>(fixture.customers);
  state.counters["reminders_armed"] = static_cast<double>(reminders_armed);
  state.counters["setup_allocations_per_claim"] = held.allocations_per_claim();
  if (!armed) {
    return_sweep_ns[fixture.customers] = ns;
  } else if (const auto plain = return_sweep_ns.find(fixture.customers);
             plain != return_sweep_ns.end() && plain->second > 0) {
    state.counters["x_return_sweep"] = ns / plain->second;
  }
  held.give_back();
}

// One sweep that sends a reminder to each of 512 holdings out of n held,
// every holding armed with escalating_reminders(): one full sweep batch, one
// transaction (a full batch makes the sweep look again, in a second
// transaction that finds nothing). `reminder` picks which of the batch's reminders the
// timed sweep sends: 0 the 7-day one (audience: the holder), 2 the 1-day one
// (holder, admins and boss: the pool's 1 066 members are read through for
// each; the sweep reads the member list once per batch whatever the
// audience); the batch's earlier ones are sent first, untimed. `subscribers` 1
// connects a slot to reminder_due that counts the events, as a host that
// passes them on would. After each sweep the batch's records are written back
// as they were before it (untimed, paused), so every sweep sends the same
// reminders. CPU time per reminder in ns_per_reminder.
void BM_MemoryRemindersSent(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  const std::int64_t reminder = state.range(1);
  const bool listen = state.range(2) != 0;
  const std::int64_t batch = size(static_cast<std::int64_t>(PublicPool::kSweepBatch), 64);
  HeldWithReminders held(fixture, true, batch);
  auto sweep_sends_batch = [&] {
    fixture.clock.set(held.batch_reminder_due());
    const Result<SweepReport> report = fixture.pool.sweep();
    return report && report->returned.empty() &&
           static_cast<std::int64_t>(report->reminded.size()) == batch;
  };
  for (std::int64_t earlier = 0; earlier < reminder; ++earlier) {
    if (!sweep_sends_batch()) state.SkipWithError("an earlier reminder was not sent to the batch");
  }
  std::int64_t heard = 0;
  const auto on_reminder =
      connect_if(listen, fixture.pool.events().reminder_due, [&](const ReminderDue&) { ++heard; });
  held.save_batch();
  const Time at = held.batch_reminder_due();
  fixture.clock.set(at);
  if (!sweep_sends_batch()) state.SkipWithError("warm-up sweep did not remind the batch");
  held.restore_batch();
  std::int64_t sent = 0;
  std::int64_t allocations = 0;
  double cpu_ns = 0;
  for (auto _ : state) {
    const std::int64_t allocations_before = thread_allocations();
    const double cpu_start = thread_cpu_ns();
    const Result<SweepReport> report = fixture.pool.sweep();
    cpu_ns += thread_cpu_ns() - cpu_start;
    allocations += thread_allocations() - allocations_before;
    state.PauseTiming();
    if (!report || static_cast<std::int64_t>(report->reminded.size()) != batch) {
      state.SkipWithError("sweep did not remind the batch");
      break;
    }
    sent += batch;
    held.restore_batch();
    state.ResumeTiming();
  }
  if (listen && heard != sent + batch) state.SkipWithError("a reminder went unheard");
  state.SetItemsProcessed(sent);
  if (sent > 0) {
    state.counters["ns_per_reminder"] = cpu_ns / static_cast<double>(sent);
    state.counters["allocations_per_reminder"] =
        static_cast<double>(allocations) / static_cast<double>(sent);
  }
  state.counters["reminders_per_sweep"] = static_cast<double>(batch);
  state.counters["heard"] = static_cast<double>(heard);
  held.give_back();
}

// at_risk in a pool where the other users hold half the customers, their
// deadlines on the 30 midnights ahead: one page (50) of the holdings due
// within 3 days, the team's (`holder` 0: a range of the deadline index) or
// one rep's (1: u100, who holds 500 at 1M, read and filtered).
void BM_MemoryAtRisk(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  hold_half_by_others(fixture);
  AtRiskQuery query;
  if (state.range(1) == 1) query.holder = user_id(MemoryFixture::kFirstOtherUser);
  std::int64_t listed = 0;
  const double cpu_start = thread_cpu_ns();
  for (auto _ : state) {
    const Result<AtRiskPage> page = fixture.pool.at_risk(fixture.boss, query);
    if (!page) {
      state.SkipWithError("at_risk refused");
      break;
    }
    listed += static_cast<std::int64_t>(page->customers.size());
    benchmark::DoNotOptimize(page);
  }
  const auto pages = static_cast<double>(state.iterations());
  state.counters["listed_per_page"] = static_cast<double>(listed) / pages;
  // CPU time per page: steady on a shared machine.
  state.counters["ns_per_page"] = (thread_cpu_ns() - cpu_start) / pages;
}

}  // namespace

void register_memory_benchmarks() {
  const std::int64_t big = size(1'000'000, 2'000);
  const std::int64_t small = size(10'000, 500);
  benchmark::RegisterBenchmark("BM_MemoryResidentBytes", BM_MemoryResidentBytes)
      ->Arg(big)
      ->Iterations(1);
  benchmark::RegisterBenchmark("BM_Floor", BM_Floor)->Arg(small)->Arg(big);
  benchmark::RegisterBenchmark("BM_MemoryClaimRelease", BM_MemoryClaimRelease)
      ->ArgNames({"customers", "subscribers", "system_clock"})
      ->Args({small, 0, 0})
      ->Args({small, 1, 0})
      ->Args({small, 0, 1})
      ->Args({big, 0, 0})
      ->Args({big, 1, 0})
      ->Args({big, 0, 1});
  benchmark::RegisterBenchmark("BM_MemoryClaimReleaseDailyLimit", BM_MemoryClaimReleaseDailyLimit)
      ->ArgNames({"customers"})
      ->Arg(small)
      ->Arg(big);
  benchmark::RegisterBenchmark("BM_MemoryClaimUnderCap", BM_MemoryClaimUnderCap)->Arg(small);
  benchmark::RegisterBenchmark("BM_MemoryAtRisk", BM_MemoryAtRisk)
      ->ArgNames({"customers", "holder"})
      ->Args({small, 0})
      ->Args({big, 0})
      ->Args({big, 1});
  benchmark::RegisterBenchmark("BM_MemoryClaimReleaseThreads", BM_MemoryClaimReleaseThreads)
      ->Arg(small)
      ->Threads(1)
      ->Threads(2)
      ->UseRealTime();
}

void register_memory_sweep_benchmarks() {
  const std::int64_t big = size(1'000'000, 2'000);
  // Permille of n due: 0, 1% (10k of 1M) and 100%.
  benchmark::RegisterBenchmark("BM_MemorySweep", BM_MemorySweep)
      ->ArgNames({"customers", "due_permille"})
      ->Args({big, 0})
      ->Iterations(smoke() ? 1 : 20'000);
  benchmark::RegisterBenchmark("BM_MemorySweep", BM_MemorySweep)
      ->ArgNames({"customers", "due_permille"})
      ->Args({big, 10})
      ->Iterations(smoke() ? 1 : 20);
  benchmark::RegisterBenchmark("BM_MemorySweep", BM_MemorySweep)
      ->ArgNames({"customers", "due_permille"})
      ->Args({big, 1000})
      ->Iterations(smoke() ? 1 : 2);
  // Beside BM_MemorySweep/customers:1000000/due_permille:0, the empty return
  // sweep the issue reads the empty reminder sweep against.
  const std::int64_t small = size(10'000, 500);
  benchmark::RegisterBenchmark("BM_MemoryReminderSweep", BM_MemoryReminderSweep)
      ->ArgNames({"customers", "reminders"})
      ->Args({small, 0})
      ->Args({small, 1})
      ->Args({big, 0})
      ->Args({big, 1})
      ->Iterations(smoke() ? 1 : 20'000);
  benchmark::RegisterBenchmark("BM_MemoryRemindersSent", BM_MemoryRemindersSent)
      ->ArgNames({"customers", "reminder", "subscribers"})
      ->Args({small, 0, 0})
      ->Args({big, 0, 0})
      ->Args({big, 0, 1})
      ->Args({big, 2, 0})
      ->Iterations(smoke() ? 1 : 200);
}

}  // namespace highseas::bench
