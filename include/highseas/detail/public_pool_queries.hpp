// PublicPool's queries. Internal: included by public_pool.hpp only.
#pragma once

#include "highseas/detail/public_pool_impl.hpp"

namespace highseas {

inline CustomerView PublicPool::view_of(const CustomerProfile& profile,
                                        const CustomerRecord& record,
                                        const Context& context) const {
  CustomerView view;
  view.profile = profile;
  view.state = record.state;
  view.holder = record.holder;
  view.since = record.since;
  view.paused = !context.pool.enabled;
  view.last_follow_up = record.last_follow_up;
  if (record.state == CustomerState::held) {
    view.deadline = record.deadline;
    // While the pool is off the countdown stands still at the moment it paused.
    const Time counted_at = view.paused ? context.pool.paused_since : context.now;
    view.time_left = record.deadline - counted_at;
    view.extensions_used = record.extensions_used;
    const std::uint32_t max = context.pool.policy.max_extensions;
    view.extensions_left = record.extensions_used < max ? max - record.extensions_used : 0;
  }
  return view;
}

inline Result<PoolInfo> PublicPool::info(const UserId& actor) {
  if (!actor.valid()) return detail::bad_id("actor id");
  return run<PoolInfo>(
      TransactionMode::read_only, [&](Transaction& tx, Pending&) -> Result<PoolInfo> {
        auto context = enter(tx, actor, Action::view, clock_->now());
        if (!context) return context.refusal();
        const PoolRecord& pool = context->pool;
        return PoolInfo{pool_,           pool.enabled,      pool.policy,
                        pool.created_at, pool.paused_since, tx.list_members().size()};
      });
}

inline Result<std::vector<Member>> PublicPool::members(const UserId& actor) {
  if (!actor.valid()) return detail::bad_id("actor id");
  return run<std::vector<Member>>(TransactionMode::read_only,
                                  [&](Transaction& tx, Pending&) -> Result<std::vector<Member>> {
                                    auto context = enter(tx, actor, Action::view, clock_->now());
                                    if (!context) return context.refusal();
                                    return tx.list_members();
                                  });
}

inline Result<CustomerView> PublicPool::customer(const UserId& actor, const CustomerId& customer) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return run<CustomerView>(
      TransactionMode::read_only, [&](Transaction& tx, Pending&) -> Result<CustomerView> {
        auto context = enter(tx, actor, Action::view, clock_->now());
        if (!context) return context.refusal();
        const std::optional<CustomerRecord> record = tx.find_customer(customer);
        const std::optional<CustomerProfile> profile = tx.find_profile(customer);
        if (!record || !profile) {
          return refuse(RefusalCode::unknown_customer, "no customer '" + customer.str() + "'");
        }
        return view_of(*profile, *record, *context);
      });
}

inline Result<std::vector<CustomerView>> PublicPool::holdings(const UserId& actor,
                                                              const UserId& user) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!user.valid()) return detail::bad_id("user id");
  return run<std::vector<CustomerView>>(
      TransactionMode::read_only,
      [&](Transaction& tx, Pending&) -> Result<std::vector<CustomerView>> {
        auto context = enter(tx, actor, Action::view, clock_->now());
        if (!context) return context.refusal();
        std::vector<CustomerView> views;
        for (const StoredCustomer& held : tx.list_holdings(user)) {
          views.push_back(view_of(held.profile, held.record, *context));
        }
        return views;
      });
}

inline Result<AvailablePage> PublicPool::available(const UserId& actor,
                                                   const AvailableQuery& query) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (query.limit == 0 || query.limit > kMaxPage) {
    return refuse(RefusalCode::invalid_argument, "page limit must be 1..1000");
  }
  if (query.after && !query.after->valid()) return detail::bad_id("cursor");
  return run<AvailablePage>(
      TransactionMode::read_only, [&](Transaction& tx, Pending&) -> Result<AvailablePage> {
        auto context = enter(tx, actor, Action::view, clock_->now());
        if (!context) return context.refusal();
        // Ask for one more than the page to learn whether a next page exists.
        AvailableQuery probe = query;
        probe.limit = query.limit + 1;
        std::vector<StoredCustomer> rows = tx.list_available(probe);
        AvailablePage page;
        const bool more = rows.size() > query.limit;
        if (more) rows.resize(query.limit);
        for (const StoredCustomer& row : rows)
          page.customers.push_back(view_of(row.profile, row.record, *context));
        if (more) page.next = page.customers.back().profile.id;
        return page;
      });
}

inline Result<std::vector<HistoryEntry>> PublicPool::history(const UserId& actor,
                                                             const CustomerId& customer) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return run<std::vector<HistoryEntry>>(
      TransactionMode::read_only,
      [&](Transaction& tx, Pending&) -> Result<std::vector<HistoryEntry>> {
        auto context = enter(tx, actor, Action::view, clock_->now());
        if (!context) return context.refusal();
        if (!tx.find_customer(customer)) {
          return refuse(RefusalCode::unknown_customer, "no customer '" + customer.str() + "'");
        }
        return tx.list_history(customer);
      });
}

}  // namespace highseas
