// imgkit's failpoints: switchyard's registry holds the legacy C++ ones; the Rust ones
// join it as a domain that forwards to the bridge, once the catalog's components are
// declared to it.
#include "imgkit/failpoints.hpp"

#include <memory>
#include <mutex>
#include <utility>

#include "components.hpp"
#include "imgkit_ffi_cxx/status.h"
#include "rust_call.hpp"

namespace imgkit::failpoints {
namespace {

using routing::str_of;

// The Rust side's failpoints (imgkit-failpoints), reached through the bridge.
class RustFailpoints final : public switchyard::FailpointDomain {
 public:
  std::vector<std::string> names() const override {
    std::vector<std::string> names;
    for (const rust::String& name : ffi::failpoint_names()) names.emplace_back(name);
    return names;
  }

  void configure(const std::string& name, const std::string& actions) override {
    const ffi::KernelStatus status = ffi::configure_failpoint(str_of(name), str_of(actions));
    if (!routing::ok(status)) throw switchyard::FailpointError(std::string(status.message));
  }

  void remove(const std::string& name) override { ffi::remove_failpoint(str_of(name)); }
};

}  // namespace

bool compiled_in() noexcept {
  return switchyard::failpoints::compiled_in() && ffi::failpoints_compiled_in();
}

void install() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!compiled_in()) return;
    // The Rust entry failpoints, imgkit::<component>, are those of the catalog's
    // components: the component list names them, not a second list on the Rust side.
    for (const switchyard::ComponentInfo& component : routing::catalog().components()) {
      const ffi::KernelStatus status = ffi::declare_component_failpoint(str_of(component.name));
      if (!routing::ok(status)) throw switchyard::FailpointError(std::string(status.message));
    }
    switchyard::failpoints::add_domain(std::make_shared<RustFailpoints>());
  });
}

std::vector<std::string> names() {
  install();
  return switchyard::failpoints::names();
}

void configure(const std::string& name, const std::string& actions) {
  install();
  switchyard::failpoints::configure(name, actions);
}

void remove(const std::string& name) {
  install();
  switchyard::failpoints::remove(name);
}

void remove_all() {
  install();
  switchyard::failpoints::remove_all();
}

void apply_spec(std::string_view spec) {
  install();
  switchyard::failpoints::apply_spec(spec);
}

Scoped::Scoped(std::string name, const std::string& actions) : name_(std::move(name)) {
  configure(name_, actions);
}

Scoped::~Scoped() { remove(name_); }

}  // namespace imgkit::failpoints
