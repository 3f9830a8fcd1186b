// The pool-wide records the rules read: the pool's settings and its members.
//
// Thread-safety: plain values.
#pragma once

#include "highseas/claim_policy.hpp"
#include "highseas/ids.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// The pool-wide settings.
struct PoolRecord {
  bool enabled = true;
  ClaimPolicy policy;
  Time created_at;
  /// When the pool was switched off; not_a_date_time while enabled.
  Time paused_since;

  friend bool operator==(const PoolRecord&, const PoolRecord&) = default;
};

/// A member of a pool and their role.
struct Member {
  UserId user;
  Role role = Role::pool_user;

  friend bool operator==(const Member&, const Member&) = default;
};

}  // namespace highseas
