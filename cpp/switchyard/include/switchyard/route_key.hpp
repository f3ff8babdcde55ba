// switchyard::RouteKeyScope — makes canary routing sticky for a caller's key.
//
// In canary mode a call takes the Rust route when a hash of (component, key) falls
// under canary_percent, so the same request id, user or file always takes the same
// route for a given percent, and raising the percent only moves more keys to Rust.
// The key applies to every routed call the current thread makes inside the scope:
//
//   switchyard::RouteKeyScope key(request.id());
//   imgkit::gaussian_blur(image, 2.0f);   // routed by request.id()
//
// Without a key, each call gets a deterministic per-thread hash instead.
#pragma once

#include <cstdint>
#include <string_view>

namespace switchyard {

// A well-mixed 64-bit hash (FNV-1a folded through a finalizer); stable across runs and
// machines, so a key's route does not change on restart.
std::uint64_t stable_hash(std::string_view bytes) noexcept;

class RouteKeyScope {
 public:
  explicit RouteKeyScope(std::string_view key) noexcept;
  ~RouteKeyScope();
  RouteKeyScope(const RouteKeyScope&) = delete;
  RouteKeyScope& operator=(const RouteKeyScope&) = delete;

  // The hash of the innermost key in scope on this thread, if any.
  static bool active() noexcept;
  static std::uint64_t current_hash() noexcept;

 private:
  bool had_previous_;
  std::uint64_t previous_hash_;
};

}  // namespace switchyard
