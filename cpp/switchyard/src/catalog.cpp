#include "switchyard/catalog.hpp"

#include <limits>
#include <stdexcept>
#include <utility>

namespace switchyard {

Catalog::Catalog(std::vector<ComponentInfo> components, ProgramSettings program)
    : components_(std::move(components)), program_(std::move(program)) {
  for (const ProgramSetting& setting : program_.settings) {
    if (program_.table.empty() || setting.key.empty() || setting.min > setting.max ||
        setting.default_value < setting.min || setting.default_value > setting.max) {
      throw std::invalid_argument("switchyard::Catalog: program setting '" + setting.key +
                                  "' needs a table, a name and min <= default <= max");
    }
  }
  // ComponentId is the index; one more component than it can hold would alias another.
  if (components_.size() > std::numeric_limits<ComponentId>::max()) {
    throw std::invalid_argument("switchyard::Catalog: too many components");
  }
  for (std::size_t i = 0; i < components_.size(); ++i) {
    const std::string& name = components_[i].name;
    if (name.empty()) {
      throw std::invalid_argument("switchyard::Catalog: component " + std::to_string(i) +
                                  " has an empty name");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (components_[j].name == name) {
        throw std::invalid_argument("switchyard::Catalog: component '" + name +
                                    "' is listed twice");
      }
    }
  }
}

std::optional<ComponentId> Catalog::find(std::string_view name) const noexcept {
  // A linear scan: catalogs hold tens of components and lookups happen at config load.
  for (std::size_t i = 0; i < components_.size(); ++i) {
    if (components_[i].name == name) return static_cast<ComponentId>(i);
  }
  return std::nullopt;
}

std::string Catalog::names() const {
  std::string out;
  for (const ComponentInfo& component : components_) {
    if (!out.empty()) out += ", ";
    out += component.name;
  }
  return out;
}

}  // namespace switchyard
