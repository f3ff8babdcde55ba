// imgkit::failpoints — inject faults into imgkit, on both sides of the language
// boundary, by name, to rehearse what happens when something breaks.
//
// Every failpoint has a name: imgkit::<component> at each Rust entry (the bridge),
// finer ones inside the Rust kernels and codecs, and imgkit::legacy::<function> at each
// legacy C++ entry. The README lists them all. Actions use fail-rs's syntax
// (switchyard/failpoint.hpp): `panic`, `return`, `return(corrupt)` (Rust entries only:
// the call succeeds with a wrong answer), `sleep(ms)`, `50%return`, `2*panic->off`, ...
//
// Three ways to configure them, all reaching both languages:
//   * FAILPOINTS="imgkit::gaussian_blur=panic;imgkit::legacy::sobel=return" in the
//     environment, read when routing starts;
//   * a [failpoints] table in the switchyard config file, applied over FAILPOINTS and
//     re-applied on every reload;
//   * this API, from tests:
//
//   imgkit::failpoints::Scoped fault("imgkit::gaussian_blur", "panic");
//   imgkit::gaussian_blur(image, 2.0f);  // in rust mode: Rust panics, legacy answers
//
// A build configured with -DIMGKIT_FAILPOINTS=OFF has none: configuring one throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "switchyard/failpoint.hpp"

namespace imgkit::failpoints {

// Whether this build has failpoints (C++ and Rust are built with them, or neither).
bool compiled_in() noexcept;

// Every failpoint name, sorted.
std::vector<std::string> names();

// Configures one failpoint. Throws switchyard::FailpointError for an unknown name or
// actions that do not parse.
void configure(const std::string& name, const std::string& actions);
// Removes one failpoint's configuration (no-op if unset).
void remove(const std::string& name);
// Removes every failpoint's configuration, whatever set it.
void remove_all();
// Applies "name=actions;name=actions" (FAILPOINTS syntax); a bad spec changes nothing.
void apply_spec(std::string_view spec);

// Configures a failpoint for the scope's lifetime, then removes it.
class Scoped {
 public:
  Scoped(std::string name, const std::string& actions);
  ~Scoped();
  Scoped(const Scoped&) = delete;
  Scoped& operator=(const Scoped&) = delete;

 private:
  std::string name_;
};

// Makes the Rust side's failpoints known to switchyard's registry (idempotent). Called
// by everything above and when routing starts; programs need not call it.
void install();

}  // namespace imgkit::failpoints
