// Wiring a pool's events to a host's own notification code.
//
// A CRM connects slots to the signals it cares about: here, a "notification
// service" that tells reps when they win or lose a customer, and an audit log.
#include <highseas/highseas.hpp>
#include <iostream>
#include <string>
#include <vector>

namespace {

// Stands in for the host's mail/IM/push service.
class NotificationService {
 public:
  void notify(const highseas::UserId& user, const std::string& text) {
    std::cout << "  [notify " << user << "] " << text << "\n";
    ++sent_;
  }
  int sent() const { return sent_; }

 private:
  int sent_ = 0;
};

}  // namespace

int main() {
  using namespace highseas;
  MemoryStorage storage;
  ManualClock clock(utc(2026, 3, 2, 9));
  PublicPool pool(PoolId("foreign-trade"), storage, clock);
  NotificationService notifications;

  // Scoped connections disconnect when they go out of scope, before `pool` dies.
  std::vector<ScopedConnection> connections;
  connections.emplace_back(pool.events().assigned.connect([&](const Assigned& e) {
    notifications.notify(*e.holder, "you were assigned " + e.customer.str() + ", win it by " +
                                        to_iso8601(e.deadline));
  }));
  connections.emplace_back(pool.events().returned.connect([&](const Returned& e) {
    notifications.notify(*e.previous_holder,
                         e.customer.str() + " went back to the pool: the deadline passed");
  }));
  connections.emplace_back(pool.events().won.connect([&](const Won& e) {
    notifications.notify(*e.holder, "congratulations, " + e.customer.str() + " is yours (" +
                                        std::string(to_string(e.kind)) + ")");
  }));

  const UserId boss("boss");
  const UserId rep("li.wei");
  if (!pool.create(boss) || !pool.set_member(boss, rep, Role::pool_user)) return 1;
  const std::vector<CustomerProfile> leads{
      {CustomerId("lead-1"), "Andes Trading S.A.", "CL", "A", {"mining"}},
      {CustomerId("lead-2"), "Lisboa Imports Lda", "PT", "B", {}},
  };
  if (!pool.import_customers(boss, leads)) return 1;

  std::cout << "Assigning two leads to " << rep << ":\n";
  if (!pool.assign(boss, CustomerId("lead-1"), rep)) return 1;
  if (!pool.assign(boss, CustomerId("lead-2"), rep)) return 1;

  std::cout << "A payment arrives for lead-1:\n";
  if (!pool.record_win(rep, CustomerId("lead-1"), WinKind::payment_received)) return 1;

  std::cout << "31 days later, the nightly sweep runs:\n";
  clock.advance(days(31));
  auto swept = pool.sweep();
  if (!swept || swept->returned.size() != 1) return 1;

  std::cout << notifications.sent() << " notifications sent\n";
  return notifications.sent() == 4 ? 0 : 1;
}
