// The failpoint registry: C++ failpoint sites, evaluating their actions, and routing
// configuration by name to C++ or to a domain (another language's failpoints).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "active_failpoint.hpp"
#include "blocking_limit.hpp"
#include "switchyard/failpoint.hpp"

namespace switchyard {
namespace {

using failpoints::detail::ActiveFailpoint;
using failpoints::detail::waitable;

class Registry {
 public:
  static Registry& instance() {
    static Registry registry;
    return registry;
  }

  void add_site(const char* name) {
    const std::lock_guard lock(mutex_);
    ++sites_[name];
  }

  void remove_site(const char* name) {
    const std::lock_guard lock(mutex_);
    if (auto it = sites_.find(name); it != sites_.end() && --it->second == 0) sites_.erase(it);
  }

  void add_domain(std::shared_ptr<FailpointDomain> domain) {
    const std::lock_guard lock(mutex_);
    const std::vector<std::string> names = domain->names();
    if (names.empty() || owners_.count(names.front()) != 0) return;
    for (const std::string& name : names) owners_.emplace(name, domain.get());
    domains_.push_back(std::move(domain));
  }

  std::vector<std::string> names() const {
    const std::lock_guard lock(mutex_);
    std::set<std::string> all;
    for (const auto& [name, count] : sites_) all.insert(name);
    for (const auto& [name, domain] : owners_) all.insert(name);
    return {all.begin(), all.end()};
  }

  bool is_known(std::string_view name) const {
    const std::lock_guard lock(mutex_);
    return known_locked(name);
  }

  void configure(const std::string& name, const std::string& actions) {
    require_compiled_in();
    std::vector<FailAction> parsed = parse_failpoint_actions(actions);
    failpoints::detail::check_blocking(name, actions, parsed);
    const std::lock_guard lock(mutex_);
    require_known_locked(name);
    configure_locked(name, actions, std::move(parsed));
  }

  void configure_callback(const std::string& name, std::function<void()> callback) {
    require_compiled_in();
    const std::lock_guard lock(mutex_);
    require_known_locked(name);
    if (owners_.count(name) != 0) {
      throw FailpointError("failpoint \"" + name +
                           "\" is evaluated in another language, where a C++ callback cannot run");
    }
    activate_locked(name, std::make_shared<ActiveFailpoint>(std::move(callback)));
    configured_[name] = "callback";  // what fail-rs lists for a callback too
  }

  void remove(const std::string& name) {
    const std::lock_guard lock(mutex_);
    remove_locked(name);
  }

  void remove_all() {
    const std::lock_guard lock(mutex_);
    while (!configured_.empty()) remove_locked(configured_.begin()->first);
    environment_.clear();
    config_.clear();
  }

  void apply_spec(std::string_view spec) {
    const std::vector<FailpointSetting> settings = checked(parse_failpoint_spec(spec));
    const std::lock_guard lock(mutex_);
    for (const FailpointSetting& setting : settings) configure_locked(setting);
  }

  void set_environment_layer(std::string_view spec) {
    const std::vector<FailpointSetting> settings = checked(parse_failpoint_spec(spec));
    const std::lock_guard lock(mutex_);
    std::map<std::string, std::string> next;
    for (const FailpointSetting& setting : settings) next[setting.name] = setting.actions;
    for (const auto& [name, actions] : environment_) {
      if (next.count(name) == 0 && config_.count(name) == 0) remove_locked(name);
    }
    environment_ = std::move(next);
    for (const auto& [name, actions] : environment_) {
      if (config_.count(name) == 0) configure_locked({name, actions});
    }
  }

  void set_config_layer(const std::vector<FailpointSetting>& settings) {
    checked(settings);
    const std::lock_guard lock(mutex_);
    std::map<std::string, std::string> next;
    for (const FailpointSetting& setting : settings) next[setting.name] = setting.actions;
    for (const auto& [name, actions] : config_) {
      if (next.count(name) != 0) continue;
      if (auto base = environment_.find(name); base != environment_.end()) {
        configure_locked({name, base->second});
      } else {
        remove_locked(name);
      }
    }
    config_ = std::move(next);
    for (const auto& [name, actions] : config_) configure_locked({name, actions});
  }

  std::map<std::string, std::string> configured() const {
    const std::lock_guard lock(mutex_);
    return configured_;
  }

  std::optional<std::string> evaluate(const char* name) {
    std::shared_ptr<ActiveFailpoint> point;
    {
      const std::lock_guard lock(mutex_);
      auto it = active_.find(name);
      if (it == active_.end()) return std::nullopt;
      point = it->second;
    }
    // Outside the lock: a callback may configure failpoints itself.
    if (point->callback()) {
      point->callback()();
      return std::nullopt;
    }
    const FailAction* action = point->choose(name);
    if (action == nullptr) return std::nullopt;
    switch (action->task) {
      case FailTask::kOff:
        return std::nullopt;
      case FailTask::kReturn:
        return action->argument.value_or("");
      case FailTask::kPanic:
        throw FailpointPanic("failpoint " + std::string(name) + " panicked" +
                             (action->argument ? ": " + *action->argument : std::string()));
      case FailTask::kPrint:
        std::fprintf(stderr, "failpoint %s: %s\n", name,
                     action->argument ? action->argument->c_str() : "executed");
        return std::nullopt;
      case FailTask::kSleep:
        std::this_thread::sleep_for(waitable(action->duration));
        return std::nullopt;
      case FailTask::kDelay: {
        const auto until = std::chrono::steady_clock::now() + waitable(action->duration);
        while (std::chrono::steady_clock::now() < until) {
        }
        return std::nullopt;
      }
      case FailTask::kYield:
        std::this_thread::yield();
        return std::nullopt;
      case FailTask::kPause: {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] {
          auto it = active_.find(name);
          return it == active_.end() || it->second != point;
        });
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

 private:
  static void require_compiled_in() {
    if (!failpoints::compiled_in()) {
      throw FailpointError("this build has no failpoints (built with IMGKIT_FAILPOINTS=OFF)");
    }
  }

  bool known_locked(std::string_view name) const {
    return sites_.find(name) != sites_.end() || owners_.find(name) != owners_.end();
  }

  void require_known_locked(std::string_view name) const {
    if (known_locked(name)) return;
    std::string known;
    for (const auto& [site, count] : sites_) known += (known.empty() ? "" : ", ") + site;
    for (const auto& [owned, domain] : owners_) known += (known.empty() ? "" : ", ") + owned;
    throw FailpointError("unknown failpoint \"" + std::string(name) +
                         "\"; known: " + (known.empty() ? "none" : known));
  }

  std::vector<FailpointSetting> checked(std::vector<FailpointSetting> settings) const {
    if (!settings.empty()) require_compiled_in();
    for (const FailpointSetting& setting : settings) {
      failpoints::detail::check_blocking(setting.name, setting.actions,
                                         parse_failpoint_actions(setting.actions));
    }
    const std::lock_guard lock(mutex_);
    for (const FailpointSetting& setting : settings) require_known_locked(setting.name);
    return settings;
  }

  void configure_locked(const FailpointSetting& setting) {
    configure_locked(setting.name, setting.actions, parse_failpoint_actions(setting.actions));
  }

  void configure_locked(const std::string& name, const std::string& actions,
                        std::vector<FailAction> parsed) {
    if (auto owner = owners_.find(name); owner != owners_.end()) {
      owner->second->configure(name, actions);
    } else {
      activate_locked(name, std::make_shared<ActiveFailpoint>(actions, std::move(parsed)));
    }
    configured_[name] = actions;
  }

  // Caller holds mutex_.
  void activate_locked(const std::string& name, std::shared_ptr<ActiveFailpoint> point) {
    active_[name] = std::move(point);
    failpoints::detail::g_armed.store(true, std::memory_order_relaxed);
    changed_.notify_all();
  }

  void remove_locked(const std::string& name) {
    if (auto owner = owners_.find(name); owner != owners_.end()) {
      owner->second->remove(name);
    } else if (active_.erase(name) != 0) {
      failpoints::detail::g_armed.store(!active_.empty(), std::memory_order_relaxed);
      changed_.notify_all();
    }
    configured_.erase(name);
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;  // a C++ failpoint was reconfigured or removed
  std::map<std::string, int, std::less<>> sites_;
  std::vector<std::shared_ptr<FailpointDomain>> domains_;
  std::map<std::string, FailpointDomain*, std::less<>> owners_;
  std::map<std::string, std::shared_ptr<ActiveFailpoint>, std::less<>> active_;
  std::map<std::string, std::string> configured_;   // every configured name, any language
  std::map<std::string, std::string> environment_;  // the FAILPOINTS layer
  std::map<std::string, std::string> config_;       // the config file's layer
};

}  // namespace

Failpoint::Failpoint(const char* name) : name_(name) { Registry::instance().add_site(name); }

Failpoint::~Failpoint() { Registry::instance().remove_site(name_); }

std::optional<std::string> Failpoint::evaluate() const {
  return Registry::instance().evaluate(name_);
}

namespace failpoints {

void add_domain(std::shared_ptr<FailpointDomain> domain) {
  Registry::instance().add_domain(std::move(domain));
}
std::vector<std::string> names() { return Registry::instance().names(); }
bool is_known(std::string_view name) { return Registry::instance().is_known(name); }
void configure(const std::string& name, const std::string& actions) {
  Registry::instance().configure(name, actions);
}
void configure_callback(const std::string& name, std::function<void()> callback) {
  Registry::instance().configure_callback(name, std::move(callback));
}
void remove(const std::string& name) { Registry::instance().remove(name); }
void remove_all() { Registry::instance().remove_all(); }
void apply_spec(std::string_view spec) { Registry::instance().apply_spec(spec); }
void set_environment_layer(std::string_view spec) {
  Registry::instance().set_environment_layer(spec);
}
void set_config_layer(const std::vector<FailpointSetting>& settings) {
  Registry::instance().set_config_layer(settings);
}
std::map<std::string, std::string> configured() { return Registry::instance().configured(); }
}  // namespace failpoints
}  // namespace switchyard
