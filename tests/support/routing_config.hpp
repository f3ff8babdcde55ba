// Driving the process-wide router behind the imgkit facades from a test: write a
// config file, start routing by it, read counts back.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "imgkit/routing.hpp"

namespace imgkit::testing {

// A config file in a fresh temporary directory, removed with the object.
class ConfigFile {
 public:
  ConfigFile() {
    static std::atomic<int> sequence{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("imgkit-routing-" + std::to_string(::getpid()) + "-" + std::to_string(sequence++));
    std::filesystem::create_directories(dir_);
  }
  ~ConfigFile() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  ConfigFile(const ConfigFile&) = delete;
  ConfigFile& operator=(const ConfigFile&) = delete;

  std::string path() const { return (dir_ / "switchyard.toml").string(); }

  // Replaces the file the way editors do: write a temporary file, rename it over.
  void write(const std::string& toml) const {
    const auto temporary = dir_ / "switchyard.toml.tmp";
    std::ofstream(temporary, std::ios::binary) << toml;
    std::filesystem::rename(temporary, path());
  }

 private:
  std::filesystem::path dir_;
};

// Routes every facade by `toml` (without a reload thread) for the rest of the test.
inline void route_by(const ConfigFile& file, const std::string& toml) {
  file.write(toml);
  imgkit::routing::start(file.path(), /*watch=*/false);
}

// Count of one component's calls, fallbacks or slow calls since the process started.
inline std::uint64_t calls(const std::string& component, switchyard::Route route) {
  for (const auto& c : imgkit::routing::router().report().components) {
    if (c.name == component) return c.counts.calls[static_cast<std::size_t>(route)];
  }
  return 0;
}

inline std::uint64_t fallbacks(const std::string& component, switchyard::FallbackCause cause) {
  for (const auto& c : imgkit::routing::router().report().components) {
    if (c.name == component) return c.counts.fallbacks[static_cast<std::size_t>(cause)];
  }
  return 0;
}

inline std::uint64_t slow_calls(const std::string& component) {
  for (const auto& c : imgkit::routing::router().report().components) {
    if (c.name == component) return c.counts.slow_calls;
  }
  return 0;
}

}  // namespace imgkit::testing
