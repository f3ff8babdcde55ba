// The blocking limit of failpoints, as a one-shot run sets it: nothing there reconfigures
// failpoints, so `pause` would block forever and a long sleep nearly so. While the limit
// is set every way of configuring them refuses such actions; lifted, they are accepted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/failpoints_required.hpp"
#include "switchyard/config.hpp"
#include "switchyard/failpoint.hpp"

namespace {

using std::chrono::milliseconds;
using switchyard::Failpoint;
using switchyard::FailpointError;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace failpoints = switchyard::failpoints;

const Failpoint kPoint("limit::point");

// Another language's failpoints: the limit holds for them too, since the spec is checked
// in C++ before any domain is told.
class SilentDomain final : public switchyard::FailpointDomain {
 public:
  std::vector<std::string> names() const override { return {"limit::rust"}; }
  void configure(const std::string&, const std::string&) override { ++configured; }
  void remove(const std::string&) override {}
  int configured = 0;
};

std::shared_ptr<SilentDomain> domain() {
  static const auto instance = [] {
    auto made = std::make_shared<SilentDomain>();
    failpoints::add_domain(made);
    return made;
  }();
  return instance;
}

class FailpointLimitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IMGKIT_SKIP_WITHOUT_FAILPOINTS();
    domain();
    failpoints::set_blocking_limit(milliseconds(60000));
  }
  void TearDown() override {
    failpoints::set_blocking_limit(std::nullopt);
    failpoints::remove_all();
  }

  // What configuring `actions` at `name` through the test API says ("" when accepted).
  static std::string refusal(const std::string& name, const std::string& actions) {
    try {
      failpoints::configure(name, actions);
    } catch (const FailpointError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(FailpointLimitTest, PauseIsRefusedNamingThePointAndWhatToUseInstead) {
  EXPECT_EQ(failpoints::blocking_limit(), milliseconds(60000));
  EXPECT_EQ(refusal("limit::point", "pause"),
            "limit::point=pause: pause would block this run forever (its failpoints are set "
            "once, never reconfigured); use sleep(ms) up to 60000");
  // Wherever it sits in a chain, whatever its probability or count.
  EXPECT_THAT(refusal("limit::point", "1*return->50%pause"), HasSubstr("pause would block"));
  EXPECT_THAT(refusal("limit::point", "1*pause"), HasSubstr("pause would block"));
  EXPECT_THAT(refusal("limit::rust", "pause"), HasSubstr("limit::rust=pause"));
  EXPECT_EQ(domain()->configured, 0);
  EXPECT_THAT(failpoints::configured(), IsEmpty());
}

TEST_F(FailpointLimitTest, SleepAndDelayUpToTheLimitAreAcceptedLongerOnesRefused) {
  EXPECT_EQ(refusal("limit::point", "sleep(60000)"), "");
  EXPECT_EQ(refusal("limit::point", "delay(1)"), "");
  EXPECT_EQ(refusal("limit::point", "sleep(60001)"),
            "limit::point=sleep(60001): sleep(60001) would block 60001 ms, over this run's "
            "limit of 60000 ms; use sleep(ms) up to 60000");
  EXPECT_THAT(refusal("limit::point", "return->delay(90000)"),
              HasSubstr("delay(90000) would block 90000 ms"));
  // The refused ones changed nothing: the accepted delay(1) is still in force.
  EXPECT_EQ(failpoints::configured().at("limit::point"), "delay(1)");
}

TEST_F(FailpointLimitTest, EveryOtherWayOfConfiguringIsHeldToItToo) {
  EXPECT_THROW(failpoints::apply_spec("limit::point=return;limit::rust=pause"), FailpointError);
  EXPECT_THROW(failpoints::set_environment_layer("limit::point=sleep(120000)"), FailpointError);
  EXPECT_THROW(failpoints::set_config_layer({{"limit::rust", "pause"}}), FailpointError);
  EXPECT_THAT(failpoints::configured(), IsEmpty()) << "a refused spec changes nothing";
  EXPECT_EQ(domain()->configured, 0);
}

TEST_F(FailpointLimitTest, AConfigFilesFailpointsTableWithPauseIsAConfigError) {
  const switchyard::Catalog catalog(
      {{"blur", switchyard::RustPort::kAvailable, switchyard::Comparison::kExact, 0}});
  try {
    switchyard::parse_config("[failpoints]\n\"limit::rust\" = \"pause\"\n", "t.toml", catalog);
    ADD_FAILURE() << "accepted";
  } catch (const switchyard::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("t.toml:2:17: failpoints.\"limit::rust\": limit::rust=pause: "
                                    "pause would block this run forever"));
  }
  EXPECT_NO_THROW(switchyard::parse_config("[failpoints]\n\"limit::rust\" = \"sleep(10)\"\n",
                                           "t.toml", catalog));
}

TEST_F(FailpointLimitTest, LiftedTheLimitAcceptsPauseAgain) {
  failpoints::set_blocking_limit(std::nullopt);
  EXPECT_EQ(failpoints::blocking_limit(), std::nullopt);
  EXPECT_EQ(refusal("limit::point", "pause"), "");
  EXPECT_EQ(refusal("limit::point", "sleep(3600000)"), "");
  EXPECT_NO_THROW(failpoints::check_blocking_limit("limit::point", "pause"));
}

}  // namespace
