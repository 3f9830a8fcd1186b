// Opening storage, clock and pool for one CLI invocation.
#include "session.hpp"

#include "format.hpp"

namespace highseas::cli {

UserId Session::actor() const {
  if (actor_name.empty()) throw UsageError{"--as USER is required (or set HIGHSEAS_AS)"};
  return UserId(actor_name);
}

const Clock& Session::clock() {
  if (clock_ != nullptr) return *clock_;
  if (!now_text.empty()) {
    const auto at = parse_time(now_text);
    if (!at) throw UsageError{"--now must be an ISO 8601 UTC time, e.g. 2026-03-02T09:00:00Z"};
    own_clock_ = std::make_unique<ManualClock>(*at);
    clock_ = own_clock_.get();
  } else if (environment_.clock != nullptr) {
    clock_ = environment_.clock;
  } else {
    own_clock_ = std::make_unique<SystemClock>();
    clock_ = own_clock_.get();
  }
  return *clock_;
}

PublicPool& Session::pool() {
  if (!pool_) {
    const Clock& time = clock();
    StorageRequest request{db_path, false, std::nullopt};
    if (wait_seconds > 0) {
      request.wait = std::chrono::milliseconds(static_cast<std::int64_t>(wait_seconds * 1000));
    }
    storage_ = opener()(request);
    pool_ = std::make_unique<PublicPool>(PoolId(pool_id), *storage_, time);
    // Text shows times in the pool's zone: read it once, as the actor (a
    // pool not made yet, or an actor who may not read it, shows UTC).
    if (!utc && !actor_name.empty()) {
      if (const auto info = pool_->info(UserId(actor_name)); info) {
        show_times_in(TimeZone::named(info->policy.time_zone));
      }
    }
  }
  return *pool_;
}

int Session::refused(const Refusal& refusal) const {
  if (json) {
    nlohmann::json document{{"ok", false},
                            {"code", std::string(to_string(refusal.code))},
                            {"message", refusal.message}};
    if (refusal.retry_after) document["retry_after"] = time_text(*refusal.retry_after);
    print_json(document);
  }
  err() << "refused: " << refusal.to_string() << "\n";
  // The message names the instant in UTC; people read their pool's clock.
  if (refusal.retry_after) err() << "try again from " << time_text(*refusal.retry_after) << "\n";
  return kExitRefused;
}

int Session::print_json(const nlohmann::json& document) const {
  out() << document.dump(2) << "\n";
  return kExitOk;
}

}  // namespace highseas::cli
