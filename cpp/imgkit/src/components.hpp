// The one list of imgkit's components. Each is declared once, by its port (ports/*.hpp:
// name, Rust port, comparison, tolerance, its calls and parameter sets); each family's
// header ends with its family's list, right under the ports it lists, so a new port and
// its place in the list are one edit in one file. AllComponents joins the families in
// catalog order, and everything per component folds over it: a component's id is its
// position (id<P>()), the switchyard catalog is built from the declarations (catalog()),
// the parity runner (parity.cpp), the per-component tests (tests/support/
// component_calls.hpp) and benchmarks run every port, and the Rust side learns the
// entry failpoints, imgkit::<name>, from the catalog (failpoints.cpp).
#pragma once

#include <cstddef>
#include <utility>

#include "component_list.hpp"
#include "ports/codecs.hpp"
#include "ports/filters.hpp"
#include "ports/geometry.hpp"
#include "ports/tone.hpp"
#include "switchyard/catalog.hpp"

namespace imgkit::routing {

using AllComponents =
    Join<CodecComponents, FilterComponents, GeometryComponents, ToneComponents>::type;

static_assert(each_port_listed_once(AllComponents{}), "a port is listed twice");
static_assert(names_are_valid_and_distinct(AllComponents{}),
              "component names are lower_case identifiers, each used once");
static_assert(exact_comparisons_have_no_tolerance(AllComponents{}),
              "a component compared exactly declares tolerance 0");

// P's switchyard::ComponentId: its position in the list. A port the list does not hold
// does not compile.
template <class P>
constexpr switchyard::ComponentId id() {
  constexpr std::size_t index = position<P>(AllComponents{});
  static_assert(index < AllComponents::size, "the port is not in the component list");
  return static_cast<switchyard::ComponentId>(index);
}

// Calls f(PortTag<P>{}) for every port, in catalog order.
template <class F>
void for_each_component(F&& f) {
  AllComponents::for_each(std::forward<F>(f));
}

// The catalog every facade routes through: one entry per port, in list order, and the
// settings of the imgkit program.
const switchyard::Catalog& catalog();

}  // namespace imgkit::routing
