// What the facade benchmarks share: routing every component by one mode, and the
// generated input images, made once per size and channel count.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "imgkit/image.hpp"
#include "imgkit/routing.hpp"
#include "support/test_images.hpp"

namespace imgkit::bench {

// Routes every component by one mode, from a config file written once per mode.
inline void route_everything(bool rust) {
  static int current = -1;
  if (current == static_cast<int>(rust)) return;
  const auto path = std::filesystem::temp_directory_path() /
                    ("imgkit-components-benchmark-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[defaults]\nmode = \"" << (rust ? "rust" : "legacy")
                      << "\"\nbreaker = { state = \"disabled\" }\n";
  imgkit::routing::start(path.string(), /*watch=*/false);
  std::filesystem::remove(path);
  current = static_cast<int>(rust);
}

inline const imgkit::Image& input(std::int64_t size, std::uint32_t channels) {
  static std::vector<std::pair<std::int64_t, imgkit::Image>> cache;
  const std::int64_t key = size * 8 + channels;
  for (const auto& [k, image] : cache) {
    if (k == key) return image;
  }
  const auto side = static_cast<std::uint32_t>(size);
  cache.emplace_back(key, side == 4096 ? imgkit::testing::generated_image(3840, 2160, channels)
                                       : imgkit::testing::generated_image(side, side, channels));
  return cache.back().second;
}

}  // namespace imgkit::bench
