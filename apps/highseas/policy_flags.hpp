// The policy options of init and policy: unset ones keep their value.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <highseas/claim_policy.hpp>
#include <highseas/return_rules.hpp>
#include <optional>
#include <string>

namespace highseas::cli {

// The policy settings a command line may give; unset ones keep their value.
struct PolicyFlags {
  std::string holding_period;
  std::string idle;
  std::string remind;
  std::string levels;
  std::string protect;
  std::string extension;
  std::string cooldown;
  std::string release_cooldown;
  std::string daily_limit;
  std::string time_zone;
  std::string unknown_years;
  std::optional<std::uint32_t> cap;
  std::optional<std::uint32_t> max_extensions;

  // Registers the settings as options of `command`.
  void add_to(CLI::App* command);
  // Returns true iff any setting was given.
  bool any() const;
  // Returns the given settings as a patch (PublicPool::update_policy applies
  // it to the policy as it is when the change commits, so two bosses changing
  // different settings both keep theirs); throws UsageError for a malformed one.
  PolicyPatch patch() const;
  // Returns `policy` with the given settings applied; throws as patch().
  ClaimPolicy applied_to(const ClaimPolicy& policy) const { return patch().applied_to(policy); }
};

// What a change does to running holdings, as --running gives it.
struct RunningFlag {
  std::string running = "keep";

  // Registers --running on `command`.
  void add_to(CLI::App* command);
  // Returns the chosen mode.
  RunningHoldings value() const;
};

}  // namespace highseas::cli
