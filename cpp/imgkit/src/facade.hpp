// The one routing shape every facade shares: a port's call goes through the
// process-wide switchyard router, which picks legacy or Rust as the config says,
// compares the two in shadow mode and judges a Rust call slow by the port's size of it;
// the call's input and arguments describe a mismatch and fill its capture file.
#pragma once

#include <cstdint>
#include <optional>

#include "capture.hpp"
#include "components.hpp"
#include "imgkit/routing.hpp"
#include "switchyard/router.hpp"

namespace imgkit::routing {

template <class P, class Input, class... Args>
typename P::Answer route(const Input& input, const Args&... args) {
  using Answer = typename P::Answer;
  return router().call<Answer>(
      id<P>(), [&] { return P::legacy(input, args...); }, [&] { return P::rust(input, args...); },
      [&](const Answer& legacy_answer, const Answer& rust_answer, std::uint32_t tolerance) {
        return P::compare(legacy_answer, rust_answer, tolerance);
      },
      [&](const Answer& rust_answer) { return P::pixels(input, rust_answer); },
      PortCallInput<Input, Args...>(input, args...));
}

}  // namespace imgkit::routing
