// The config the program ships with, read with imgkit's own catalog: it parses without a
// warning and routes what its comments say.
#include <gtest/gtest.h>

#include <chrono>

#include "imgkit/routing.hpp"
#include "switchyard/config.hpp"

namespace {

using switchyard::Mode;

TEST(BundledConfig, ParsesWithTheRealCatalogAndRoutesAsDocumented) {
  const switchyard::Catalog& catalog = imgkit::routing::router().catalog();
  const switchyard::Config config =
      switchyard::load_config_file(IMGKIT_BUNDLED_CONFIG_FILE, catalog);
  EXPECT_TRUE(config.warnings.empty());
  EXPECT_EQ(config.reload_interval, std::chrono::milliseconds(500));
  EXPECT_EQ(config.mismatch_log_size, 64u);
  EXPECT_EQ(config, switchyard::parse_config(R"(
      [switchyard]
      reload_interval_ms = 500
      mismatch_log = 64
      [components.gaussian_blur]
      mode = "shadow"
      shadow_sample = 1.0
      tolerance = 1
  )",
                                             "the documented routing", catalog))
      << "every other setting is the built-in default";
  const switchyard::ComponentSettings& blur = config.components[*catalog.find("gaussian_blur")];
  EXPECT_EQ(blur.mode, Mode::kShadow);
  EXPECT_EQ(config.components[*catalog.find("resize")].mode, Mode::kLegacy);
  EXPECT_EQ(config.program_settings, switchyard::default_config(catalog).program_settings);
  // The [promotion] table spells out the built-in rules.
  EXPECT_EQ(config.promotion, switchyard::PromotionRules{});
}

}  // namespace
