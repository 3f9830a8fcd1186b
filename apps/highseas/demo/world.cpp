// Regions, company names and the team of the demo.
#include "world.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <string_view>

namespace highseas::demo {

namespace {

struct Region {
  std::string_view tag;
  std::vector<std::string_view> countries;
  std::vector<std::string_view> suffixes;
};

const std::vector<Region>& regions() {
  static const std::vector<Region> kRegions{
      {"south-america", {"BR", "AR", "CL", "CO", "PE"}, {"Ltda", "S.A.", "SpA", "S.A.C."}},
      {"europe", {"DE", "FR", "IT", "ES", "PL", "NL"}, {"GmbH", "SARL", "S.r.l.", "B.V."}},
      {"north-america", {"US", "CA", "MX"}, {"Inc.", "LLC", "Corp.", "S. de R.L."}},
      {"oceania", {"AU", "NZ"}, {"Pty Ltd", "Ltd"}},
      {"south-east-asia", {"SG", "MY", "TH", "VN", "ID", "PH"}, {"Pte Ltd", "Sdn Bhd", "Co., Ltd"}},
  };
  return kRegions;
}

constexpr std::array<std::string_view, 16> kStems{
    "Atlas",  "Boreal", "Cobalt",  "Delta", "Ember",    "Fjord", "Granite", "Harbor",
    "Indigo", "Jade",   "Kestrel", "Lumen", "Meridian", "Nova",  "Orchid",  "Pioneer"};
constexpr std::array<std::string_view, 12> kTrades{
    "Trading",   "Imports", "Industrial",  "Foods", "Textiles",  "Machinery",
    "Logistics", "Steel",   "Electronics", "Agro",  "Chemicals", "Retail"};
constexpr std::array<std::string_view, 6> kProducts{"steel",     "textiles", "electronics",
                                                    "machinery", "food",     "chemicals"};

// Another spelling of `name` that normalises to the same key.
std::string respelled(Dice& dice, std::string name) {
  switch (dice.pick(3)) {
    case 0:
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return name;
    case 1:
      return "  " + name + ".";
    default:
      for (char& c : name) {
        if (c == ' ') c = '-';
      }
      return name;
  }
}

}  // namespace

std::vector<Rep> demo_team() {
  const auto& r = regions();
  auto countries = [&](std::size_t index) {
    return std::vector<std::string>(r[index].countries.begin(), r[index].countries.end());
  };
  // Skill and diligence go together; the weaker reps are the greedier ones,
  // which is exactly what the deadline and the cap are there for.
  return {
      {UserId("ana.silva"), 0.80, 0.85, 2, countries(0)},
      {UserId("li.wei"), 0.75, 0.80, 2, countries(4)},
      {UserId("emma.weber"), 0.65, 0.70, 2, countries(1)},
      {UserId("jack.miller"), 0.55, 0.60, 3, countries(2)},
      {UserId("priya.nair"), 0.45, 0.55, 3, countries(4)},
      {UserId("oliver.brown"), 0.35, 0.45, 3, countries(3)},
      {UserId("lucas.gomez"), 0.25, 0.35, 4, countries(0)},
      {UserId("sofia.rossi"), 0.15, 0.25, 4, countries(1)},
  };
}

std::string customer_csv(Dice& dice, std::size_t first_id, std::size_t count, double repeat_share,
                         std::vector<std::string>& names_so_far) {
  std::string csv = "编号,客户名称,国家,客户级别,标签\n";
  for (std::size_t n = 0; n < count; ++n) {
    const Region& region = regions()[dice.pick(regions().size())];
    const std::string_view country = region.countries[dice.pick(region.countries.size())];
    const double roll = dice.unit();
    const char* level = roll < 0.15 ? "A" : roll < 0.50 ? "B" : "C";
    std::string name;
    if (!names_so_far.empty() && dice.chance(repeat_share)) {
      name = respelled(dice, names_so_far[dice.pick(names_so_far.size())]);
    } else {
      name = std::string(kStems[dice.pick(kStems.size())]) + " " +
             std::string(kTrades[dice.pick(kTrades.size())]) + " " + std::to_string(first_id + n) +
             " " + std::string(region.suffixes[dice.pick(region.suffixes.size())]);
      names_so_far.push_back(name);
    }
    std::array<char, 32> id{};
    std::snprintf(id.data(), id.size(), "CU%05zu", first_id + n);
    csv += std::string(id.data()) + ",\"" + name + "\"," + std::string(country) + "," + level +
           "," + std::string(region.tag) + ";" +
           std::string(kProducts[dice.pick(kProducts.size())]) + "\n";
  }
  return csv;
}

}  // namespace highseas::demo
