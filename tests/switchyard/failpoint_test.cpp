// C++ failpoints as a test or an operator uses them: what each task does at a point, the
// gate, domains (the Rust side), the FAILPOINTS and config layers, and the [failpoints]
// table of a config file. The syntax has its own tests (tests/failpoints).
#include "switchyard/failpoint.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/failpoints_required.hpp"
#include "switchyard/config.hpp"
#include "switchyard/report.hpp"
#include "switchyard/router.hpp"

namespace {

using switchyard::FailAction;
using switchyard::Failpoint;
using switchyard::FailpointError;
using switchyard::FailpointPanic;
using switchyard::FailpointSetting;
using switchyard::FailTask;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;
namespace failpoints = switchyard::failpoints;

const Failpoint kAlpha("test::alpha");
const Failpoint kBeta("test::beta");

// Stands in for another language's failpoints: records what it was told.
class RecordingDomain final : public switchyard::FailpointDomain {
 public:
  std::vector<std::string> names() const override { return {"other::one", "other::two"}; }
  void configure(const std::string& name, const std::string& actions) override {
    if (actions == "refused") throw FailpointError("other: refused");
    configured[name] = actions;
  }
  void remove(const std::string& name) override { configured.erase(name); }

  std::map<std::string, std::string> configured;
};

std::shared_ptr<RecordingDomain> domain() {
  static const auto instance = [] {
    auto made = std::make_shared<RecordingDomain>();
    failpoints::add_domain(made);
    return made;
  }();
  return instance;
}

class FailpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IMGKIT_SKIP_WITHOUT_FAILPOINTS();
    domain();
  }
  void TearDown() override {
    failpoints::remove_all();
    domain()->configured.clear();
  }
};

// A build without failpoints still parses specs, but refuses to configure one.
TEST(FailpointBuildTest, ConfiguringWorksExactlyWhenCompiledIn) {
  if (failpoints::compiled_in()) {
    EXPECT_NO_THROW(failpoints::configure("test::alpha", "off"));
    failpoints::remove_all();
  } else {
    try {
      failpoints::configure("test::alpha", "off");
      ADD_FAILURE() << "configured in a build without failpoints";
    } catch (const FailpointError& e) {
      EXPECT_THAT(e.what(), HasSubstr("this build has no failpoints"));
    }
    EXPECT_FALSE(failpoints::armed());
    EXPECT_FALSE(kAlpha.fire().has_value());
  }
}

// --- Firing -----------------------------------------------------------------------------

TEST_F(FailpointTest, NothingFiresAndTheGateIsClosedUntilConfigured) {
  EXPECT_FALSE(failpoints::armed());
  EXPECT_FALSE(kAlpha.fire().has_value());
  failpoints::configure("test::alpha", "return");
  EXPECT_TRUE(failpoints::armed());
  failpoints::remove("test::alpha");
  EXPECT_FALSE(failpoints::armed());
  EXPECT_FALSE(kAlpha.fire().has_value());
}

TEST_F(FailpointTest, ReturnHandsItsArgumentToThePoint) {
  failpoints::configure("test::alpha", "return(disk on fire)");
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("disk on fire")));
  EXPECT_FALSE(kBeta.fire().has_value()) << "only the configured point fires";
  failpoints::configure("test::alpha", "return");
  EXPECT_THAT(kAlpha.fire(), Optional(std::string()));
}

TEST_F(FailpointTest, PanicThrowsFailpointPanicNamingThePoint) {
  failpoints::configure("test::alpha", "panic(kernel blew up)");
  try {
    kAlpha.fire();
    ADD_FAILURE() << "no panic";
  } catch (const FailpointPanic& e) {
    EXPECT_STREQ(e.what(), "failpoint test::alpha panicked: kernel blew up");
  }
}

TEST_F(FailpointTest, CountsAndChainsMoveOnWhenUsedUp) {
  failpoints::configure("test::alpha", "2*return(first)->1*return(second)->off");
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("first")));
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("first")));
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("second")));
  EXPECT_FALSE(kAlpha.fire().has_value());
  EXPECT_FALSE(kAlpha.fire().has_value());
}

TEST_F(FailpointTest, ProbabilityDecidesHowOftenAnActionFires) {
  failpoints::configure("test::alpha", "0%return");
  for (int i = 0; i < 100; ++i) ASSERT_FALSE(kAlpha.fire().has_value());
  failpoints::configure("test::alpha", "50%return");
  int fired = 0;
  for (int i = 0; i < 4000; ++i) fired += kAlpha.fire().has_value() ? 1 : 0;
  EXPECT_GT(fired, 1700);
  EXPECT_LT(fired, 2300);
}

// fail-rs takes any float: it draws only below 1, so more (or NaN) always fires, and its
// draw panics on a negative probability.
TEST_F(FailpointTest, AProbabilityOutsideZeroToOneActsAsInFailRs) {
  for (const char* always : {"150%return(x)", "nan%return(x)", "inf%return(x)"}) {
    failpoints::configure("test::alpha", always);
    for (int i = 0; i < 100; ++i) ASSERT_THAT(kAlpha.fire(), Optional(std::string("x"))) << always;
  }
  failpoints::configure("test::alpha", "-5%return(x)");
  try {
    kAlpha.fire();
    ADD_FAILURE() << "a negative probability was drawn";
  } catch (const FailpointPanic& e) {
    EXPECT_THAT(e.what(), HasSubstr("failpoint test::alpha panicked: frequency -0.05"));
  }
  failpoints::configure("test::alpha", "-0%return(x)");
  for (int i = 0; i < 100; ++i) ASSERT_FALSE(kAlpha.fire().has_value()) << "-0 is 0";
}

// sleep and delay are taken (their counts are used up) and the point then goes on as if
// nothing fired. How long they hold the thread is the parsed value (spec_test) handed to
// the standard library; no test times it.
TEST_F(FailpointTest, SleepAndDelayAreTakenAndThePointGoesOn) {
  failpoints::configure("test::alpha", "1*sleep(1)->1*delay(1)->return(after both)");
  EXPECT_FALSE(kAlpha.fire().has_value()) << "sleep";
  EXPECT_FALSE(kAlpha.fire().has_value()) << "delay";
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("after both")));
}

TEST_F(FailpointTest, PrintWritesToStderr) {
  failpoints::configure("test::alpha", "print(hello)");
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(kAlpha.fire().has_value());
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "failpoint test::alpha: hello\n");
}

TEST_F(FailpointTest, PauseBlocksUntilThePointIsReconfigured) {
  failpoints::configure("test::alpha", "pause");
  auto paused = std::async(std::launch::async, [] { return kAlpha.fire(); });
  EXPECT_EQ(paused.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  failpoints::configure("test::alpha", "off");
  ASSERT_EQ(paused.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_FALSE(paused.get().has_value());
}

// --- Names and domains ------------------------------------------------------------------

TEST_F(FailpointTest, NamesListEveryLanguage) {
  const std::vector<std::string> names = failpoints::names();
  for (const char* name : {"test::alpha", "test::beta", "other::one", "other::two"}) {
    EXPECT_THAT(names, ::testing::Contains(std::string(name)));
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST_F(FailpointTest, AnUnknownNameIsRefusedWithTheKnownOnes) {
  try {
    failpoints::configure("test::alhpa", "panic");
    ADD_FAILURE() << "accepted";
  } catch (const FailpointError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown failpoint \"test::alhpa\""));
    EXPECT_THAT(e.what(), HasSubstr("test::alpha"));
    EXPECT_THAT(e.what(), HasSubstr("other::one"));
  }
  EXPECT_FALSE(failpoints::armed());
}

TEST_F(FailpointTest, ADomainsNamesAreConfiguredThroughIt) {
  failpoints::configure("other::one", "panic");
  EXPECT_EQ(domain()->configured, (std::map<std::string, std::string>{{"other::one", "panic"}}));
  EXPECT_FALSE(failpoints::armed()) << "the C++ gate stays closed for another language";
  failpoints::remove("other::one");
  EXPECT_THAT(domain()->configured, IsEmpty());
}

TEST_F(FailpointTest, ASpecIsCheckedWholeBeforeAnythingChanges) {
  EXPECT_THROW(failpoints::apply_spec("test::alpha=return;nobody::here=panic"), FailpointError);
  EXPECT_THROW(failpoints::apply_spec("test::alpha=return;other::one=boom"), FailpointError);
  EXPECT_FALSE(kAlpha.fire().has_value());
  EXPECT_THAT(failpoints::configured(), IsEmpty());

  failpoints::apply_spec("test::alpha=return(a);other::two=sleep(1)");
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("a")));
  EXPECT_EQ(domain()->configured.at("other::two"), "sleep(1)");
}

TEST_F(FailpointTest, ADomainRefusalReachesTheCaller) {
  EXPECT_THROW(failpoints::configure("other::one", "refused"), FailpointError);
  EXPECT_THAT(failpoints::configured(), IsEmpty());
}

// --- Layers -----------------------------------------------------------------------------

TEST_F(FailpointTest, TheConfigLayerOverridesTheEnvironmentAndFallsBackToIt) {
  failpoints::set_environment_layer("test::alpha=return(env);other::one=panic");
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("env")));

  failpoints::set_config_layer({{"test::alpha", "return(file)"}, {"test::beta", "return"}});
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("file")));
  EXPECT_TRUE(kBeta.fire().has_value());

  // The file drops both: alpha goes back to the environment's setting, beta to off.
  failpoints::set_config_layer({});
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("env")));
  EXPECT_FALSE(kBeta.fire().has_value());
  EXPECT_EQ(domain()->configured.at("other::one"), "panic");

  failpoints::set_environment_layer("");
  EXPECT_FALSE(kAlpha.fire().has_value());
  EXPECT_THAT(domain()->configured, IsEmpty());
  EXPECT_FALSE(failpoints::armed());
}

TEST_F(FailpointTest, ABadLayerChangesNothing) {
  failpoints::set_config_layer({{"test::alpha", "return(kept)"}});
  EXPECT_THROW(failpoints::set_config_layer({{"test::alpha", "nonsense"}}), FailpointError);
  EXPECT_THROW(failpoints::set_environment_layer("test::beta"), FailpointError);
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("kept")));
  EXPECT_FALSE(kBeta.fire().has_value());
}

// --- The [failpoints] table of a config file --------------------------------------------

const switchyard::Catalog& catalog() {
  static const switchyard::Catalog instance(
      {{"blur", switchyard::RustPort::kAvailable, switchyard::Comparison::kExact, 0}});
  return instance;
}

TEST_F(FailpointTest, AConfigFileCarriesAFailpointsTable) {
  const switchyard::Config config = switchyard::parse_config(
      "[failpoints]\n\"test::alpha\" = \"50%return\"\n\"other::one\" = \"panic\"\n", "t.toml",
      catalog());
  EXPECT_THAT(config.failpoints,
              ::testing::UnorderedElementsAre(FailpointSetting{"test::alpha", "50%return"},
                                              FailpointSetting{"other::one", "panic"}));
  EXPECT_THAT(failpoints::configured(), IsEmpty()) << "parsing applies nothing";
}

TEST_F(FailpointTest, TheFailpointsTableReportsWhereItIsWrong) {
  const auto error_of = [](const std::string& text) -> std::string {
    try {
      switchyard::parse_config(text, "t.toml", catalog());
    } catch (const switchyard::ConfigError& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_THAT(error_of("[failpoints]\n\"test::alhpa\" = \"panic\"\n"),
              HasSubstr("t.toml:2:1: failpoints.\"test::alhpa\": unknown failpoint"));
  EXPECT_THAT(error_of("[failpoints]\n\"test::alpha\" = \"explode\"\n"),
              HasSubstr("t.toml:2:17: failpoints.\"test::alpha\": failpoint action \"explode\""));
  EXPECT_THAT(error_of("[failpoints]\n\"test::alpha\" = 3\n"),
              HasSubstr("expected a string of actions, got an integer"));
}

TEST_F(FailpointTest, TheRouterThatOwnsFailpointsAppliesEachPublishedTable) {
  switchyard::RouterOptions options;
  options.owns_failpoints = true;
  options.log = [](const std::string&) {};
  switchyard::Config config = switchyard::default_config(catalog());
  config.failpoints = {{"test::alpha", "return(first)"}};
  switchyard::Router router(catalog(), config, options);
  EXPECT_THAT(kAlpha.fire(), Optional(std::string("first")));

  config.failpoints = {{"test::beta", "return"}};
  router.publish(config);
  EXPECT_FALSE(kAlpha.fire().has_value());
  EXPECT_TRUE(kBeta.fire().has_value());

  router.reject("t.toml:1:1: broken");  // a bad reload keeps the last good table
  EXPECT_TRUE(kBeta.fire().has_value());

  // The report says which faults are in force, so a rehearsal's metrics record them.
  const switchyard::Report report = router.report();
  EXPECT_EQ(report.failpoints, (std::map<std::string, std::string>{{"test::beta", "return"}}));
  EXPECT_THAT(switchyard::to_json(report, -1),
              HasSubstr(R"("failpoints":{"test::beta":"return"})"));
  EXPECT_THAT(
      switchyard::to_prometheus(report),
      HasSubstr(R"(switchyard_failpoint_configured{name="test::beta",actions="return"} 1)"));
}

TEST_F(FailpointTest, ARouterThatDoesNotOwnFailpointsLeavesThemAlone) {
  switchyard::Config config = switchyard::default_config(catalog());
  config.failpoints = {{"test::alpha", "return"}};
  switchyard::RouterOptions options;
  options.log = [](const std::string&) {};
  switchyard::Router router(catalog(), config, options);
  EXPECT_FALSE(kAlpha.fire().has_value());
}

}  // namespace
