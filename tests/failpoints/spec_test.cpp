// The failpoint spec as the C++ parser reads it: every part of an action, whole specs,
// and the problem a bad action is refused for. Which actions are accepted at all is the
// shared table's business (spec_table_test.cpp), against fail-rs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "switchyard/failpoint_spec.hpp"

namespace {

using switchyard::FailAction;
using switchyard::FailpointError;
using switchyard::FailpointSetting;
using switchyard::FailTask;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

TEST(FailpointSyntaxTest, ParsesEveryPartOfAnAction) {
  const std::vector<FailAction> actions =
      switchyard::parse_failpoint_actions("20%3*print(still alive!)->panic");
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].task, FailTask::kPrint);
  EXPECT_FLOAT_EQ(actions[0].probability, 0.2f);
  EXPECT_THAT(actions[0].max_count, Optional(3u));
  EXPECT_THAT(actions[0].argument, Optional(std::string("still alive!")));
  EXPECT_EQ(actions[1].task, FailTask::kPanic);
  EXPECT_FLOAT_EQ(actions[1].probability, 1.0f);
  EXPECT_FALSE(actions[1].max_count.has_value());
  EXPECT_FALSE(actions[1].argument.has_value());
}

TEST(FailpointSyntaxTest, ArgumentsMayHoldPercentAndStar) {
  const auto actions = switchyard::parse_failpoint_actions("return(50% * 2)");
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].task, FailTask::kReturn);
  EXPECT_FLOAT_EQ(actions[0].probability, 1.0f);
  EXPECT_THAT(actions[0].argument, Optional(std::string("50% * 2")));
}

TEST(FailpointSyntaxTest, SleepAndDelayTakeMilliseconds) {
  const auto actions = switchyard::parse_failpoint_actions("sleep(25)->delay(3)->yield->off");
  ASSERT_EQ(actions.size(), 4u);
  EXPECT_EQ(actions[0].task, FailTask::kSleep);
  EXPECT_EQ(actions[0].duration, std::chrono::milliseconds(25));
  EXPECT_EQ(actions[1].task, FailTask::kDelay);
  EXPECT_EQ(actions[1].duration, std::chrono::milliseconds(3));
  EXPECT_EQ(actions[2].task, FailTask::kYield);
  EXPECT_EQ(actions[3].task, FailTask::kOff);
}

TEST(FailpointSyntaxTest, BadActionsAreNamedWithTheirProblem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"explode", "unknown task \"explode\""},
      {"return(x", "parentheses do not match"},
      {"abc%return", "frequency \"abc\" is not a number"},
      {"two*return", "count \"two\" is not a whole number"},
      {"sleep", "timeout needed"},
      {"sleep(soon)", "timeout \"soon\" is not whole milliseconds"},
      {"return->", "unknown task \"\""},
  };
  for (const auto& [actions, problem] : cases) {
    try {
      switchyard::parse_failpoint_actions(actions);
      ADD_FAILURE() << actions << " was accepted";
    } catch (const FailpointError& e) {
      EXPECT_THAT(e.what(), HasSubstr(problem)) << actions;
    }
  }
}

TEST(FailpointSyntaxTest, ParsesASpecSkippingBlankEntries) {
  const auto settings =
      switchyard::parse_failpoint_spec(" a::b=panic ; ;c=1*sleep(5)->return(x=y) ;");
  EXPECT_THAT(settings, ElementsAre(FailpointSetting{"a::b", "panic"},
                                    FailpointSetting{"c", "1*sleep(5)->return(x=y)"}));
  EXPECT_THAT(switchyard::parse_failpoint_spec(""), IsEmpty());
}

TEST(FailpointSyntaxTest, ASpecEntryWithoutActionsOrWithBadOnesIsAnError) {
  EXPECT_THROW(switchyard::parse_failpoint_spec("a::b"), FailpointError);
  EXPECT_THROW(switchyard::parse_failpoint_spec("=panic"), FailpointError);
  try {
    switchyard::parse_failpoint_spec("ok=panic;bad=boom");
    ADD_FAILURE() << "accepted";
  } catch (const FailpointError& e) {
    EXPECT_THAT(e.what(), HasSubstr("bad: "));
    EXPECT_THAT(e.what(), HasSubstr("\"boom\""));
  }
}

}  // namespace
