// imgkit's failpoints: switchyard's registry holds the legacy C++ ones; the Rust ones
// join it as a domain that forwards to the bridge.
#include "imgkit/failpoints.hpp"

#include <memory>
#include <mutex>
#include <utility>

#include "imgkit/bridge/kernels.hpp"

namespace imgkit::failpoints {
namespace {

class RustFailpoints final : public switchyard::FailpointDomain {
 public:
  std::vector<std::string> names() const override { return bridge::failpoint_names(); }

  void configure(const std::string& name, const std::string& actions) override {
    const bridge::Status status = bridge::configure_failpoint(name, actions);
    if (!status.ok()) throw switchyard::FailpointError(status.message);
  }

  void remove(const std::string& name) override { bridge::remove_failpoint(name); }
};

}  // namespace

bool compiled_in() noexcept {
  return switchyard::failpoints::compiled_in() && bridge::failpoints_compiled_in();
}

void install() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (compiled_in()) switchyard::failpoints::add_domain(std::make_shared<RustFailpoints>());
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
