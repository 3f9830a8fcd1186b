// Shared set-up for the HighSeas benchmarks (see fixtures.hpp).
#include "fixtures.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/unordered/unordered_flat_map.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace highseas::bench {

bool smoke() {
  static const bool on = std::getenv("HIGHSEAS_BENCH_SMOKE") != nullptr;
  return on;
}

std::int64_t size(std::int64_t full, std::int64_t small) { return smoke() ? small : full; }

CustomerId customer_id(std::int64_t index) {
  char text[32];
  std::snprintf(text, sizeof text, "c%07lld", static_cast<long long>(index));
  return CustomerId(std::string_view(text));
}

UserId user_id(std::int64_t index) {
  char text[32];
  std::snprintf(text, sizeof text, "u%03lld", static_cast<long long>(index));
  return UserId(std::string_view(text));
}

namespace {

// Word lists for company_name(). No place is a prefix of another and every
// brand's first syllable has three letters, so the parts of a name never run
// into one another under name_key (which drops spaces).
constexpr std::array<std::string_view, 40> kPlaces = {
    "Ningbo",  "Shenzhen",  "Suzhou",   "Wenzhou", "Dongguan", "Foshan",    "Xiamen",  "Qingdao",
    "Tianjin", "Hangzhou",  "Wuxi",     "Jinan",   "Dalian",   "Fuzhou",    "Hefei",   "Changsha",
    "Wuhan",   "Chengdu",   "Kunming",  "Nantong", "Yiwu",     "Taizhou",   "Jiaxing", "Shaoxing",
    "Zhuhai",  "Zhongshan", "Huizhou",  "Hamburg", "Bremen",   "Rotterdam", "Antwerp", "Lyon",
    "Milano",  "Porto",     "Valencia", "Gdansk",  "Izmir",    "Santos",    "Durban",  "Mumbai"};
constexpr std::array<std::string_view, 30> kBrandHeads = {
    "Hai", "Hua", "Jin", "Xin", "Zhe", "Bao", "Fen", "Hon", "Lon", "Min",
    "Tai", "Yue", "Kan", "Sun", "Wei", "Cha", "Den", "Guo", "Hen", "Lia",
    "Mei", "Pen", "Rui", "Shu", "Ton", "Wan", "Xia", "Yon", "Zho", "Fuy"};
constexpr std::array<std::string_view, 30> kBrandTails = {
    "tian", "xing", "feng",  "sheng", "long", "da",  "hong", "mao",   "rui",  "tong",
    "yuan", "li",   "kang",  "hui",   "bo",   "jie", "neng", "wei",   "yang", "cheng",
    "de",   "fa",   "guang", "heng",  "jia",  "lun", "ming", "qiang", "shun", "tai"};
constexpr std::array<std::string_view, 40> kTrades = {"Precision Machinery",
                                                      "Electronics Trading",
                                                      "Textile Import & Export",
                                                      "Plastic Products",
                                                      "Hardware Tools",
                                                      "Chemical Industry",
                                                      "Auto Parts",
                                                      "Lighting Technology",
                                                      "Packaging Materials",
                                                      "Furniture Manufacturing",
                                                      "Medical Devices",
                                                      "Optical Instruments",
                                                      "Steel Pipe",
                                                      "Garment",
                                                      "Ceramics",
                                                      "Solar Energy",
                                                      "Valve Manufacturing",
                                                      "Electric Motor",
                                                      "Food Machinery",
                                                      "Cable & Wire",
                                                      "Bearing",
                                                      "Glassware",
                                                      "Home Appliances",
                                                      "Pump Industry",
                                                      "Mould Technology",
                                                      "Paper Products",
                                                      "Rubber & Plastics",
                                                      "Logistics Equipment",
                                                      "Kitchenware",
                                                      "Sporting Goods",
                                                      "Hydraulic Components",
                                                      "Printing Machinery",
                                                      "Fasteners",
                                                      "Pet Products",
                                                      "LED Display",
                                                      "Battery Technology",
                                                      "Filtration Systems",
                                                      "Crafts & Gifts",
                                                      "Marine Equipment",
                                                      "Agricultural Machinery"};
constexpr std::array<std::string_view, 8> kSuffixes = {" Co., Ltd.",
                                                       " Trading Co., Ltd.",
                                                       " Industrial Co., Ltd.",
                                                       " Ltd.",
                                                       " Inc.",
                                                       " Group",
                                                       " GmbH",
                                                       ""};

// Chinese names: city, a two-character brand, trade, legal form (3 bytes a character).
constexpr std::array<std::string_view, 24> kCities = {
    "深圳市", "宁波市", "苏州市", "广州市", "东莞市", "佛山市", "温州市", "青岛市",
    "厦门市", "无锡市", "杭州市", "义乌市", "泉州市", "常州市", "台州市", "绍兴市",
    "嘉兴市", "中山市", "珠海市", "惠州市", "上海",   "北京",   "天津",   "重庆"};
constexpr std::array<std::string_view, 20> kBrandFirst = {"华", "海", "金", "鑫", "宏", "长", "兴",
                                                          "盛", "恒", "泰", "瑞", "德", "隆", "安",
                                                          "新", "永", "富", "嘉", "昌", "达"};
constexpr std::array<std::string_view, 20> kBrandSecond = {"强", "天", "源", "通", "发", "丰", "利",
                                                           "信", "升", "力", "宇", "辉", "美", "誉",
                                                           "创", "科", "晟", "伟", "远", "诚"};
constexpr std::array<std::string_view, 30> kTradesZh = {
    "电子贸易", "精密机械", "纺织品",   "塑胶制品", "五金制品", "化工",     "汽车配件", "照明科技",
    "包装材料", "家具制造", "医疗器械", "光电科技", "钢管",     "服装",     "陶瓷",     "新能源",
    "阀门制造", "电机",     "食品机械", "电线电缆", "轴承",     "玻璃制品", "家用电器", "泵业",
    "模具",     "纸业",     "橡塑制品", "物流设备", "厨具",     "体育用品"};
constexpr std::array<std::string_view, 5> kLegalForms = {
    "有限公司", "进出口有限公司", "股份有限公司", "实业有限公司", "贸易有限公司"};

constexpr std::int64_t kEnglishNames = 40 * 30 * 30 * 40;  // places x brands x trades
constexpr std::int64_t kChineseNames = 24 * 20 * 20 * 30;  // cities x brands x trades
// Multiplying by a prime that divides neither count permutes 0 .. count-1, so
// neighbouring indices get unrelated names.
constexpr std::int64_t kScramble = 1'000'003;

// Appends the first suffix, counting from `pick`, that brings `name` to 30-45 bytes.
template <std::size_t N>
void append_fitting(std::string& name, const std::array<std::string_view, N>& suffixes,
                    std::uint64_t pick) {
  for (std::size_t k = 0; k < N; ++k) {
    const std::string_view suffix = suffixes[(pick + k) % N];
    const std::size_t length = name.size() + suffix.size();
    if (length >= 30 && length <= 45) {
      name += suffix;
      return;
    }
  }
  throw std::logic_error("company_name: no suffix fits " + name);
}

}  // namespace

std::string company_name(std::int64_t index) {
  if (index < 0 || index >= kCompanyNames) throw std::out_of_range("company_name: index");
  std::string name;
  name.reserve(48);
  if (index % 4 == 3) {
    std::int64_t digits = (index / 4) * kScramble % kChineseNames;
    name += kCities[static_cast<std::size_t>(digits % 24)];
    digits /= 24;
    name += kBrandFirst[static_cast<std::size_t>(digits % 20)];
    digits /= 20;
    name += kBrandSecond[static_cast<std::size_t>(digits % 20)];
    digits /= 20;
    name += kTradesZh[static_cast<std::size_t>(digits)];
    append_fitting(name, kLegalForms, mix(static_cast<std::uint64_t>(index)));
  } else {
    std::int64_t digits = (index / 4 * 3 + index % 4) * kScramble % kEnglishNames;
    name += kPlaces[static_cast<std::size_t>(digits % 40)];
    digits /= 40;
    name += ' ';
    name += kBrandHeads[static_cast<std::size_t>(digits % 30)];
    digits /= 30;
    name += kBrandTails[static_cast<std::size_t>(digits % 30)];
    digits /= 30;
    name += ' ';
    name += kTrades[static_cast<std::size_t>(digits)];
    append_fitting(name, kSuffixes, mix(static_cast<std::uint64_t>(index)));
  }
  return name;
}

std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27U)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31U);
}

std::vector<std::int64_t> shuffled(std::int64_t n, std::uint64_t seed) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  for (std::int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<std::int64_t>(mix(seed + static_cast<std::uint64_t>(i)) %
                                             static_cast<std::uint64_t>(i + 1));
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
  }
  return order;
}

double thread_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec);
}

std::int64_t resident_bytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  long long total = 0;
  long long resident = 0;
  const int read = std::fscanf(statm, "%lld %lld", &total, &resident);
  std::fclose(statm);
  return read == 2 ? resident * sysconf(_SC_PAGESIZE) : 0;
}

Floor::Floor(std::int64_t pool_size) : pool_size_(pool_size) {
  ids_.reserve(static_cast<std::size_t>(pool_size));
  for (std::int64_t i = 0; i < pool_size; ++i) ids_.push_back(customer_id(i).str());
  // Half the pool is held, so both structures have the size of a busy pool.
  for (std::int64_t i = 0; i < pool_size; i += 2) {
    holders_.emplace(ids_[static_cast<std::size_t>(i)], "u001");
    deadlines_.emplace(i, &ids_[static_cast<std::size_t>(i)]);
  }
}

void Floor::claim_release() {
  const std::string& id = ids_[static_cast<std::size_t>(next_)];
  holders_.emplace(id, holder_);
  // New deadlines are the latest, as in a pool: insert at the end.
  const auto position = deadlines_.emplace_hint(deadlines_.end(), pool_size_ + ++round_, &id);
  benchmark::DoNotOptimize(holders_.size());
  holders_.erase(id);
  deadlines_.erase(position);
  next_ += 2;
  if (next_ >= pool_size_) next_ = 1;
}

namespace {

// Imports `count` customers in batches, so the profiles never all sit in memory.
void import_customers(MemoryFixture& fixture, std::int64_t count) {
  constexpr std::int64_t kBatch = 10'000;
  std::vector<CustomerProfile> batch;
  for (std::int64_t first = 0; first < count; first += kBatch) {
    batch.clear();
    for (std::int64_t i = first; i < std::min(count, first + kBatch); ++i) {
      batch.push_back({customer_id(i), company_name(i), i % 4 == 3 ? "CN" : "DE", "A", {}});
    }
    const ImportReport& report =
        expect(fixture.pool.import_customers(fixture.boss, batch), "import");
    if (!report.problems.empty()) throw std::runtime_error("import: rows refused");
  }
}

std::unique_ptr<MemoryFixture> build_fixture(std::int64_t customers) {
  auto fixture = std::make_unique<MemoryFixture>();
  ClaimPolicy policy;
  policy.max_holdings = ClaimPolicy::kLargestCount;  // cap pressure benches lower it
  policy.reclaim_cooldown = Duration(0, 0, 0);
  policy.release_cooldown = Duration(0, 0, 0);
  expect(fixture->pool.create(fixture->boss, policy), "create");
  // u000..u063 for the sweeps, u064 for claim + release, u065 for it under a daily limit
  fixture->users = 66;
  for (std::int64_t user = 0; user < fixture->users; ++user) {
    expect(fixture->pool.set_member(fixture->boss, user_id(user), Role::pool_user), "member");
  }
  for (std::int64_t k = 0; k < MemoryFixture::kOtherUsers; ++k) {
    const UserId other = user_id(MemoryFixture::kFirstOtherUser + k);
    expect(fixture->pool.set_member(fixture->boss, other, Role::pool_user), "member");
  }
  fixture->customers = customers;
  fixture->order = shuffled(customers, 0x4869676853656173ULL);
  const std::int64_t before = resident_bytes();
  import_customers(*fixture, customers);
  fixture->import_resident_bytes = resident_bytes() - before;
  return fixture;
}

}  // namespace

MemoryFixture& memory_fixture(std::int64_t customers) {
  static std::mutex mutex;
  static std::map<std::int64_t, std::unique_ptr<MemoryFixture>> fixtures;
  const std::lock_guard lock(mutex);
  auto& fixture = fixtures[customers];
  if (!fixture) fixture = build_fixture(customers);
  return *fixture;
}

namespace {

UserId other_user(std::int64_t k) {
  return user_id(MemoryFixture::kFirstOtherUser + k % MemoryFixture::kOtherUsers);
}

}  // namespace

void hold_half_by_others(MemoryFixture& fixture) {
  if (fixture.others_hold_half) return;
  // A claim dated before the same user's release of the same customer would
  // meet that release's cooldown (it runs until the release, the cooldown
  // being 0): start a month after the last release.
  if (!fixture.released_at.is_not_a_date_time() &&
      fixture.clock.now() - days(30) <= fixture.released_at) {
    fixture.clock.set(fixture.released_at + days(31));
  }
  // Their claims are spread evenly over the 30 days before the clock's time,
  // as in a pool in use. A 30-day holding ends at the midnight after its 30th
  // day (TeamCalendar), so their deadlines fall on the 30 midnights that
  // follow, a thirtieth of them on each, and a claim made now shares its
  // deadline with the others claimed on its day: the deadline index orders
  // those by id, as it does in a real pool.
  const Time now = fixture.clock.now();
  const std::int64_t count = fixture.customers / 2;
  constexpr std::int64_t kMonth = 30LL * 24 * 3600;
  for (std::int64_t k = 0; k < count; ++k) {
    // One second on, so the first deadline is after now, not at it (due).
    fixture.clock.set(now - seconds(kMonth) + seconds(1 + k * kMonth / count));
    const CustomerId id = customer_id(fixture.order[static_cast<std::size_t>(k)]);
    expect(fixture.pool.claim(other_user(k), id), "claim by another user");
  }
  fixture.clock.set(now);
  fixture.others_hold_half = true;
}

void release_others(MemoryFixture& fixture) {
  if (!fixture.others_hold_half) return;
  for (std::int64_t k = 0; k < fixture.customers / 2; ++k) {
    const CustomerId id = customer_id(fixture.order[static_cast<std::size_t>(k)]);
    expect(fixture.pool.release(other_user(k), id), "release by another user");
  }
  fixture.released_at = fixture.clock.now();
  fixture.others_hold_half = false;
}

std::vector<Reminder> escalating_reminders() {
  return {Reminder{.before = Span::time(days(7)), .audience = ReminderAudience::holder},
          Reminder{.before = Span::time(days(3)), .audience = ReminderAudience::admins},
          Reminder{.before = Span::time(days(1)), .audience = ReminderAudience::boss}};
}

Time hold_in_reminder_layout(PublicPool& pool, ManualClock& clock,
                             const std::vector<std::int64_t>& order, std::int64_t batch,
                             std::int64_t holders, Time day0) {
  const auto n = static_cast<std::int64_t>(order.size());
  auto claim = [&](std::int64_t k) {
    const CustomerId id = customer_id(order[static_cast<std::size_t>(k)]);
    expect(pool.claim(user_id(k % holders), id), "claim");
  };
  clock.set(day0 + hours(1));
  for (std::int64_t k = 0; k < batch; ++k) claim(k);
  // Spread over two weeks, as a pool in use claims, so the reminder index
  // holds many distinct times; none in the week after day 0, so none of
  // these has a reminder due before the batch's last.
  const Time spread_from = day0 + days(7) + hours(1);
  constexpr std::int64_t kTwoWeeks = 14LL * 24 * 3600;
  const std::int64_t others = n - batch;
  for (std::int64_t j = 0; j < others; ++j) {
    clock.set(spread_from + seconds(j * kTwoWeeks / others));
    claim(batch + j);
  }
  return spread_from + days(14);
}

namespace {

double measure_floor_ns(std::int64_t pool_size) {
  Floor floor(pool_size);
  const std::int64_t rounds = smoke() ? 1000 : 2'000'000;
  const double start = thread_cpu_ns();
  for (std::int64_t round = 0; round < rounds; ++round) floor.claim_release();
  return (thread_cpu_ns() - start) / static_cast<double>(rounds);
}

}  // namespace

double floor_ns(std::int64_t pool_size) {
  static std::mutex mutex;
  static std::map<std::int64_t, double> measured;
  const std::lock_guard lock(mutex);
  auto [position, inserted] = measured.try_emplace(pool_size, 0.0);
  if (inserted) position->second = measure_floor_ns(pool_size);
  return position->second;
}

void report_ratio_to_floor(benchmark::State& state, double ns_per_item, std::int64_t pool_size) {
  const double floor = floor_ns(pool_size);
  state.counters["floor_ns"] = floor;
  state.counters["x_floor"] = floor > 0 ? ns_per_item / floor : 0.0;
}

}  // namespace highseas::bench
