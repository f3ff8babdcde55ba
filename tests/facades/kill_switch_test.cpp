// The kill switch as imgkit reads it from the environment: the words operators write,
// and a value it does not know, which fails safe toward legacy and says so. (That the
// switch then routes the facades to legacy is the CLI suite's: the process-wide router
// reads it once per process.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include "imgkit/routing.hpp"

namespace {

using ::testing::HasSubstr;

// Sets IMGKIT_FORCE_LEGACY (or unsets it, for nullopt) for the scope, then restores it.
class ForceLegacyScope {
 public:
  explicit ForceLegacyScope(const std::optional<std::string>& value) {
    if (const char* before = std::getenv(kName)) before_ = before;
    if (value) {
      ::setenv(kName, value->c_str(), 1);
    } else {
      ::unsetenv(kName);
    }
  }
  ~ForceLegacyScope() {
    if (before_) {
      ::setenv(kName, before_->c_str(), 1);
    } else {
      ::unsetenv(kName);
    }
  }
  ForceLegacyScope(const ForceLegacyScope&) = delete;
  ForceLegacyScope& operator=(const ForceLegacyScope&) = delete;

 private:
  static constexpr const char* kName = "IMGKIT_FORCE_LEGACY";
  std::optional<std::string> before_;
};

TEST(KillSwitch, TheEnvironmentsWordsForOnAndOff) {
  struct Case {
    std::optional<std::string> value;  // nullopt: unset
    std::optional<bool> expected;
  };
  const Case cases[] = {
      {std::nullopt, false}, {"1", true},  {"true", true},          {" Yes ", true},
      {"ON", true},          {"0", false}, {"False", false},        {"no", false},
      {"off", false},        {"", false},  {"maybe", std::nullopt}, {"2", std::nullopt},
  };
  for (const Case& c : cases) {
    const ForceLegacyScope scope(c.value);
    const std::string shown = c.value ? '"' + *c.value + '"' : "unset";
    EXPECT_EQ(imgkit::routing::force_legacy_from_environment(), c.expected) << shown;
    if (c.expected) {
      EXPECT_EQ(imgkit::routing::force_legacy_requested(), *c.expected) << shown;
    }
  }
}

TEST(KillSwitch, AValueItDoesNotKnowFailsSafeTowardLegacyAndSaysSo) {
  const ForceLegacyScope scope(std::string("enabled"));
  ::testing::internal::CaptureStderr();
  const bool requested = imgkit::routing::force_legacy_requested();
  const std::string logged = ::testing::internal::GetCapturedStderr();

  EXPECT_TRUE(requested);
  EXPECT_THAT(logged, HasSubstr("IMGKIT_FORCE_LEGACY=\"enabled\""));
  EXPECT_THAT(logged, HasSubstr(std::string(imgkit::routing::kForceLegacyAccepted)));
  EXPECT_EQ(std::count(logged.begin(), logged.end(), '\n'), 1) << logged;
}

}  // namespace
