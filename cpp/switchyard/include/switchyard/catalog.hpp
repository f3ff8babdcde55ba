// switchyard::Catalog — the components a program routes, known once.
//
// A program lists its components once (imgkit does it in cpp/imgkit/src/components.cpp);
// the config loader validates names against the catalog, and the router, breaker and
// metrics index everything by the dense ComponentId it hands out. A program may also
// declare settings of its own, which the same config file sets in a table named after the
// program (imgkit's limits: `[imgkit] max_image_mb = 256`), validated like the rest.
//
//   switchyard::Catalog catalog({
//       {"gaussian_blur", switchyard::RustPort::kAvailable, switchyard::Comparison::kTolerance},
//       {"encode_png", switchyard::RustPort::kNone, switchyard::Comparison::kExact},
//   });
//   std::optional<switchyard::ComponentId> id = catalog.find("gaussian_blur");
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

using ComponentId = std::uint16_t;

enum class RustPort : std::uint8_t {
  kNone,       // only legacy exists; every mode routes to legacy (with a warning)
  kAvailable,  // the Rust kernel is linked and can be routed to
};

// How shadow mode compares legacy's output with Rust's.
enum class Comparison : std::uint8_t {
  kExact,      // integer outputs and codecs: every sample must match
  kTolerance,  // float-accumulating filters: per-sample difference up to `tolerance`
};

struct ComponentInfo {
  std::string name;
  RustPort rust_port = RustPort::kNone;
  Comparison comparison = Comparison::kExact;
  // The tolerance a kTolerance component gets when the config does not set one.
  std::uint32_t default_tolerance = 0;
};

// A setting of the program's own: an integer in [min, max], `default_value` when the
// file does not set it.
struct ProgramSetting {
  std::string key;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::int64_t default_value = 0;
};

// The table of the config file that holds the program's own settings.
struct ProgramSettings {
  std::string table;  // e.g. "imgkit"; empty: the program has none
  std::vector<ProgramSetting> settings;
};

class Catalog {
 public:
  explicit Catalog(std::vector<ComponentInfo> components, ProgramSettings program = {});

  std::size_t size() const noexcept { return components_.size(); }
  const ComponentInfo& info(ComponentId id) const { return components_.at(id); }
  const std::vector<ComponentInfo>& components() const noexcept { return components_; }
  std::optional<ComponentId> find(std::string_view name) const noexcept;
  // "a, b, c": for error messages that list what would have been accepted.
  std::string names() const;
  const ProgramSettings& program() const noexcept { return program_; }

 private:
  std::vector<ComponentInfo> components_;
  ProgramSettings program_;
};

}  // namespace switchyard
