// The machinery behind the public enums' name tables (to_string,
// <enum>_from_string, kAll<Enums>): one constexpr check that a table is
// complete, and one parser over it. Internal: included by the headers that
// declare the enums.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace highseas::detail {

// Returns true iff `all` lists every value of E in declaration order (value i
// at index i), each has a name of its own, and the value after the last one
// has none ("unknown"). A static_assert on it makes an enumerator added
// without its name, or without its place in the array, a compile error.
template <class E, std::size_t N>
constexpr bool is_enum_table(const std::array<E, N>& all) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(all[i]) != i) return false;
    const std::string_view name = to_string(all[i]);
    if (name.empty() || name == "unknown") return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (to_string(all[j]) == name) return false;
    }
  }
  return to_string(static_cast<E>(N)) == "unknown";
}

// Returns the value of `all` whose to_string is `name`, or nothing.
template <class E, std::size_t N>
constexpr std::optional<E> enum_from_string(std::string_view name,
                                            const std::array<E, N>& all) noexcept {
  for (const E value : all) {
    if (to_string(value) == name) return value;
  }
  return std::nullopt;
}

}  // namespace highseas::detail
