// The component list as a type: Components<DecodePnm, EncodePnm, ...> names each
// component's port once, in catalog order, and everything that is per component is a
// fold over it — the ids (a port's position), the catalog, the parity runner, the
// per-component test suites and benchmarks. Why a type list rather than a table: the
// ports differ in their calls' parameters and answer types, which a table of values
// could only hold type-erased, while a fold instantiates each port's own code; and a
// port missing from the list, listed twice, or declared inconsistently is a compile
// error (the checks below, and id<P>() of a port the list does not hold).
//
//   using Codecs = Components<DecodePnm, EncodePnm>;
//   Codecs::for_each([](auto port) { using P = typename decltype(port)::type; ... });
//   constexpr std::size_t box_blur = position<BoxBlur>(AllComponents{});
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "port.hpp"

namespace imgkit::routing {

// A port type passed to a fold's callable, as a value.
template <class P>
struct PortTag {
  using type = P;
};

template <class... Ports>
struct Components {
  static constexpr std::size_t size = sizeof...(Ports);

  // Calls f(PortTag<P>{}) for every port P, in list order.
  template <class F>
  static void for_each(F&& f) {
    (f(PortTag<Ports>{}), ...);
  }
};

// Several lists as one, in order.
template <class... Lists>
struct Join;
template <class... Ports>
struct Join<Components<Ports...>> {
  using type = Components<Ports...>;
};
template <class... First, class... Second, class... Rest>
struct Join<Components<First...>, Components<Second...>, Rest...>
    : Join<Components<First..., Second...>, Rest...> {};

// P's position in the list; the list's size when it is not there.
template <class P, class... Ports>
constexpr std::size_t position(Components<Ports...> /*list*/) {
  constexpr bool is_p[] = {std::is_same_v<P, Ports>..., false};
  std::size_t index = 0;
  while (index < sizeof...(Ports) && !is_p[index]) ++index;
  return index;
}

// A name the config file can hold in a table key and a failpoint name can end with:
// lower-case letters, digits and underscores, starting with a letter.
constexpr bool is_component_name(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// How many times P is in the list.
template <class P, class... Ports>
constexpr std::size_t count_of(Components<Ports...> /*list*/) {
  return (std::size_t{0} + ... + (std::is_same_v<P, Ports> ? 1 : 0));
}

// The checks every list must pass, each a static_assert where the list is defined.
template <class... Ports>
constexpr bool each_port_listed_once(Components<Ports...> list) {
  return ((count_of<Ports>(list) == 1) && ...);
}

template <class... Ports>
constexpr bool names_are_valid_and_distinct(Components<Ports...> /*list*/) {
  constexpr std::string_view names[] = {Ports::declaration.name..., {}};
  for (std::size_t i = 0; i < sizeof...(Ports); ++i) {
    if (!is_component_name(names[i])) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (names[i] == names[j]) return false;
    }
  }
  return true;
}

template <class... Ports>
constexpr bool exact_comparisons_have_no_tolerance(Components<Ports...> /*list*/) {
  return ((Ports::declaration.comparison != switchyard::Comparison::kExact ||
           Ports::declaration.tolerance == 0) &&
          ...);
}

}  // namespace imgkit::routing
