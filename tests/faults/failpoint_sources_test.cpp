// The three ways to configure failpoints, end to end through the facades: FAILPOINTS in
// the environment, the config file's [failpoints] table (hot-reloaded: the test reloads
// the file itself rather than wait for the reload thread), and the test API. Each reaches
// both languages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "imgkit/failpoints.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/routing_testing.hpp"
#include "support/routing_config.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::Image;
using imgkit::testing::ConfigFile;
using imgkit::testing::generated_image;
using switchyard::FallbackCause;
using ::testing::HasSubstr;

const std::string kRustBlur =
    "[components.gaussian_blur]\nmode = \"rust\"\nbreaker = { state = \"disabled\" }\n";

class FailpointSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override { file_.write(kRustBlur); }
  void TearDown() override {
    ::unsetenv("FAILPOINTS");
    imgkit::routing::start(file_.path(), /*watch=*/false);  // stops the reload thread
    imgkit::failpoints::remove_all();
  }

  // Calls gaussian_blur, checks legacy's answer came back, returns what routing did.
  std::optional<FallbackCause> blur() {
    EXPECT_EQ(imgkit::gaussian_blur(input_, 2.0f), imgkit::legacy::gaussian_blur(input_, 2.0f));
    return switchyard::Router::last_decision().fallback;
  }

  // Rewrites the file and has routing reload it now (the reload thread's own schedule is
  // the config watcher's tests' business).
  void reload(const std::string& toml) {
    const std::uint64_t before = imgkit::routing::router().version();
    file_.write(toml);
    imgkit::routing::testing::reload_now();
    ASSERT_EQ(imgkit::routing::router().version(), before + 1) << "the reload was not published";
  }

  ConfigFile file_;
  const Image input_ = generated_image(20, 10, 3);
};

TEST_F(FailpointSourcesTest, TheEnvironmentConfiguresBothLanguagesWhenRoutingStarts) {
  ::setenv("FAILPOINTS", "imgkit::gaussian_blur=panic;imgkit::legacy::sobel=return(from env)", 1);
  file_.write(kRustBlur);
  imgkit::routing::start(file_.path(), /*watch=*/false);
  EXPECT_EQ(blur(), FallbackCause::kPanic);
  EXPECT_THROW(imgkit::legacy::sobel(input_), imgkit::Error);

  ::unsetenv("FAILPOINTS");
  imgkit::routing::start(file_.path(), /*watch=*/false);
  EXPECT_EQ(blur(), std::nullopt);
  EXPECT_NO_THROW(imgkit::legacy::sobel(input_));
}

TEST_F(FailpointSourcesTest, ABadEnvironmentSpecIsRefusedAndChangesNothing) {
  file_.write(kRustBlur);
  imgkit::routing::start(file_.path(), /*watch=*/false);
  for (const char* spec :
       {"imgkit::gaussian_blur=explode", "imgkit::gausian_blur=panic", "imgkit::gaussian_blur"}) {
    SCOPED_TRACE(spec);
    ::setenv("FAILPOINTS", spec, 1);
    try {
      imgkit::routing::start(file_.path(), /*watch=*/false);
      ADD_FAILURE() << "accepted";
    } catch (const switchyard::FailpointError& e) {
      EXPECT_THAT(e.what(), HasSubstr("FAILPOINTS: "));
    }
    EXPECT_EQ(blur(), std::nullopt);
  }
}

TEST_F(FailpointSourcesTest, TheConfigTableIsHotReloadedOverTheEnvironment) {
  ::setenv("FAILPOINTS", "imgkit::gaussian_blur=return(env)", 1);
  file_.write(kRustBlur);
  imgkit::routing::start(file_.path(), /*watch=*/true);
  EXPECT_EQ(blur(), FallbackCause::kError);

  reload(kRustBlur + "\n[failpoints]\n\"imgkit::gaussian_blur\" = \"panic\"\n");
  EXPECT_EQ(blur(), FallbackCause::kPanic);

  // A broken file is refused; the last good one, failpoints included, stays in force.
  const std::uint64_t failed_before = imgkit::routing::router().report().reloads.failed;
  const std::uint64_t version_before = imgkit::routing::router().version();
  file_.write(kRustBlur + "\n[failpoints]\n\"imgkit::gaussian_blur\" = \"explode\"\n");
  imgkit::routing::testing::reload_now();
  EXPECT_EQ(imgkit::routing::router().report().reloads.failed, failed_before + 1);
  EXPECT_EQ(imgkit::routing::router().version(), version_before);
  EXPECT_THAT(imgkit::routing::router().report().last_reload_error, HasSubstr("explode"));
  EXPECT_EQ(blur(), FallbackCause::kPanic);

  // The table loses the entry: back to the environment's setting.
  reload(kRustBlur);
  EXPECT_EQ(blur(), FallbackCause::kError);
}

TEST_F(FailpointSourcesTest, TheTestApiScopesAFault) {
  file_.write(kRustBlur);
  imgkit::routing::start(file_.path(), /*watch=*/false);
  {
    const imgkit::failpoints::Scoped fault("imgkit::gaussian_blur", "1*panic->return");
    EXPECT_EQ(blur(), FallbackCause::kPanic);
    EXPECT_EQ(blur(), FallbackCause::kError);
  }
  EXPECT_EQ(blur(), std::nullopt);
  EXPECT_THROW(imgkit::failpoints::Scoped("imgkit::nothing_here", "panic"),
               switchyard::FailpointError);
}

TEST_F(FailpointSourcesTest, EveryComponentHasAFailpointInEachLanguage) {
  const std::vector<std::string> names = imgkit::failpoints::names();
  for (const auto& component : imgkit::routing::router().catalog().components()) {
    EXPECT_THAT(names, ::testing::Contains("imgkit::" + component.name));
    EXPECT_THAT(names, ::testing::Contains("imgkit::legacy::" + component.name));
  }
}

}  // namespace
