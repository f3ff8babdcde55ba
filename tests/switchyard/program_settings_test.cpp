// A program's own settings in the same config file as its routing: imgkit's limits sit in
// an [imgkit] table, validated and reported like switchyard's own keys.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "switchyard/catalog.hpp"
#include "switchyard/config.hpp"
#include "switchyard/report.hpp"

namespace {

using switchyard::Catalog;
using switchyard::Comparison;
using switchyard::Config;
using switchyard::ConfigError;
using switchyard::RustPort;
using ::testing::HasSubstr;

const Catalog& catalog_with_limits() {
  static const Catalog catalog(
      {{"resize", RustPort::kAvailable, Comparison::kExact, 0}},
      {"myapp", {{"max_image_mb", 1, 4096, 512}, {"max_input_mb", 1, 4096, 256}}});
  return catalog;
}

Config parse(const std::string& text) {
  return switchyard::parse_config(text, "app.toml", catalog_with_limits());
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ProgramSettings, UnsetKeysHaveTheirDefaults) {
  const Config config = parse("");
  EXPECT_EQ(config.program_settings.at("max_image_mb"), 512);
  EXPECT_EQ(config.program_settings.at("max_input_mb"), 256);
  EXPECT_EQ(switchyard::default_config(catalog_with_limits()).program_settings,
            config.program_settings);
}

TEST(ProgramSettings, TheProgramsTableSetsThem) {
  const Config config = parse("[myapp]\nmax_image_mb = 64\n");
  EXPECT_EQ(config.program_settings.at("max_image_mb"), 64);
  EXPECT_EQ(config.program_settings.at("max_input_mb"), 256);
  EXPECT_NE(config, parse("")) << "a changed setting is a changed config (it is republished)";
}

TEST(ProgramSettings, MistakesAreNamedLikeAnyOtherKey) {
  EXPECT_EQ(error_of("[myapp]\nmax_image_mb = 0\n"),
            "app.toml:2:16: myapp.max_image_mb: must be between 1 and 4096, got 0");
  EXPECT_EQ(error_of("[myapp]\nmax_pixels = 5\n"),
            "app.toml:2:1: myapp.max_pixels: unknown key 'max_pixels'; expected one of "
            "max_image_mb, max_input_mb");
  EXPECT_THAT(error_of("[myapp]\nmax_image_mb = \"big\"\n"), HasSubstr("expected an integer"));
  EXPECT_THAT(error_of("[otherapp]\n"),
              HasSubstr("unknown section 'otherapp'; expected one of switchyard, defaults, "
                        "components, failpoints, promotion, myapp"));
}

TEST(ProgramSettings, AProgramWithoutSettingsHasNoSuchTable) {
  const Catalog plain({{"resize", RustPort::kAvailable, Comparison::kExact, 0}});
  EXPECT_THROW(switchyard::parse_config("[myapp]\nmax_image_mb = 1\n", "a.toml", plain),
               ConfigError);
}

TEST(ProgramSettings, ADeclarationThatCannotHoldItsDefaultIsRefused) {
  EXPECT_THROW(Catalog({}, {"app", {{"limit", 10, 20, 5}}}), std::invalid_argument);
  EXPECT_THROW(Catalog({}, {"", {{"limit", 1, 20, 5}}}), std::invalid_argument);
}

TEST(ProgramSettings, TheReportCarriesThemUnderTheirTable) {
  switchyard::Report report;
  report.program_table = "myapp";
  report.program_settings = {{"max_image_mb", 64}};
  EXPECT_THAT(switchyard::to_json(report, -1), HasSubstr("\"myapp\":{\"max_image_mb\":64}"));
}

}  // namespace
