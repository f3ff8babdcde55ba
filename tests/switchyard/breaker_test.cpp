// CircuitBreaker: every state change an operator can see (in the transition log and in
// whether Rust calls go ahead), driven by a ManualClock so no test sleeps.
#include "switchyard/breaker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "switchyard/clock.hpp"
#include "switchyard/config.hpp"

namespace switchyard {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

constexpr CallResult kOk{false, false};
constexpr CallResult kFailed{true, false};
constexpr CallResult kSlow{false, true};

// Small enough to count by hand: 4 calls decide, half of them failing opens it.
BreakerSettings small_settings() {
  BreakerSettings settings;
  settings.window = 10;
  settings.min_calls = 4;
  settings.failure_rate = 0.5;
  settings.slow_call_rate = 1.0;
  settings.open = seconds(30);
  settings.half_open_calls = 3;
  return settings;
}

BreakerSettings with_override(BreakerSettings settings, BreakerOverride value) {
  settings.state = value;
  return settings;
}

std::string state_of(const CircuitBreaker& breaker) {
  return std::string(to_string(breaker.state()));
}

std::string counts_of(const CircuitBreaker& breaker) {
  const CircuitBreaker::WindowCounts counts = breaker.window_counts();
  return "calls=" + std::to_string(counts.calls) + " failures=" + std::to_string(counts.failures) +
         " slow=" + std::to_string(counts.slow);
}

// One permitted call with the given outcome.
void call(CircuitBreaker& breaker, CallResult result) {
  ASSERT_TRUE(breaker.try_acquire()) << "in state " << state_of(breaker);
  breaker.record(result);
}

void calls(CircuitBreaker& breaker, int count, CallResult result) {
  for (int i = 0; i < count; ++i) call(breaker, result);
}

class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreaker::TransitionListener log_transitions() {
    return [this](BreakerState from, BreakerState to) {
      log_.push_back(std::string(to_string(from)) + "->" + std::string(to_string(to)));
    };
  }

  // small_settings() breaker driven from CLOSED to OPEN by failures.
  void trip(CircuitBreaker& breaker) {
    calls(breaker, 4, kFailed);
    ASSERT_EQ(state_of(breaker), "open");
  }

  // From CLOSED through OPEN to HALF_OPEN; the first trial permit is taken.
  void trip_and_wait(CircuitBreaker& breaker) {
    trip(breaker);
    clock_.advance(seconds(30));
    ASSERT_TRUE(breaker.try_acquire());
    ASSERT_EQ(state_of(breaker), "half_open");
  }

  ManualClock clock_;
  std::vector<std::string> log_;
};

TEST(BreakerStateTest, NamesAreTheOnesTheReportShows) {
  EXPECT_EQ(to_string(BreakerState::kClosed), "closed");
  EXPECT_EQ(to_string(BreakerState::kOpen), "open");
  EXPECT_EQ(to_string(BreakerState::kHalfOpen), "half_open");
  EXPECT_EQ(to_string(BreakerState::kForcedOpen), "forced_open");
  EXPECT_EQ(to_string(BreakerState::kDisabled), "disabled");
}

TEST_F(CircuitBreakerTest, StartsInTheStateTheOverrideNames) {
  const BreakerSettings settings = small_settings();
  EXPECT_EQ(state_of(CircuitBreaker(with_override(settings, BreakerOverride::kAuto), clock_)),
            "closed");
  EXPECT_EQ(state_of(CircuitBreaker(with_override(settings, BreakerOverride::kForcedOpen), clock_)),
            "forced_open");
  EXPECT_EQ(state_of(CircuitBreaker(with_override(settings, BreakerOverride::kDisabled), clock_)),
            "disabled");
}

TEST_F(CircuitBreakerTest, OpensWhenFailureRateReachesThresholdExactly) {
  CircuitBreaker breaker(small_settings(), clock_, log_transitions());
  calls(breaker, 2, kOk);
  call(breaker, kFailed);
  EXPECT_EQ(state_of(breaker), "closed");  // 3 calls: under min_calls
  call(breaker, kFailed);                  // 2 of 4 = 0.5
  EXPECT_EQ(state_of(breaker), "open");
  EXPECT_FALSE(breaker.try_acquire());
  EXPECT_EQ(log_, (std::vector<std::string>{"closed->open"}));
}

TEST_F(CircuitBreakerTest, OpensAtAThresholdWithNoExactBinaryFraction) {
  BreakerSettings settings = small_settings();
  settings.window = 25;
  settings.min_calls = 25;
  settings.failure_rate = 0.28;  // in doubles, 0.28 * 25 is a hair over 7
  CircuitBreaker breaker(settings, clock_);
  calls(breaker, 18, kOk);
  calls(breaker, 7, kFailed);  // 7 of 25 is exactly 0.28
  EXPECT_EQ(state_of(breaker), "open");
}

TEST_F(CircuitBreakerTest, StaysClosedJustBelowFailureRate) {
  BreakerSettings settings = small_settings();
  settings.min_calls = 10;
  CircuitBreaker breaker(settings, clock_, log_transitions());
  calls(breaker, 6, kOk);
  calls(breaker, 4, kFailed);  // 4 of 10 = 0.4
  EXPECT_EQ(state_of(breaker), "closed");
  EXPECT_EQ(counts_of(breaker), "calls=10 failures=4 slow=0");
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_TRUE(log_.empty());
}

TEST_F(CircuitBreakerTest, DecidesNothingBeforeMinCalls) {
  BreakerSettings settings = small_settings();
  settings.min_calls = 5;
  CircuitBreaker breaker(settings, clock_);
  calls(breaker, 4, kFailed);  // every call failed, but only 4 of the 5 needed
  EXPECT_EQ(state_of(breaker), "closed");
  call(breaker, kFailed);
  EXPECT_EQ(state_of(breaker), "open");
}

TEST_F(CircuitBreakerTest, MinCallsOverTheWindowSizeIsCappedAtTheWindow) {
  BreakerSettings settings = small_settings();
  settings.window = 4;
  settings.min_calls = 20;  // a window of 4 never holds 20 calls
  CircuitBreaker breaker(settings, clock_);
  calls(breaker, 3, kFailed);
  EXPECT_EQ(state_of(breaker), "closed");
  call(breaker, kFailed);
  EXPECT_EQ(state_of(breaker), "open");
}

TEST_F(CircuitBreakerTest, OpensOnSlowCallRate) {
  BreakerSettings settings = small_settings();
  settings.failure_rate = 1.0;
  settings.slow_call_rate = 0.5;
  CircuitBreaker breaker(settings, clock_, log_transitions());
  calls(breaker, 3, kOk);
  call(breaker, kSlow);
  EXPECT_EQ(state_of(breaker), "closed");  // 1 of 4 slow
  call(breaker, kSlow);
  EXPECT_EQ(state_of(breaker), "closed");  // 2 of 5 slow, just below
  call(breaker, kSlow);                    // 3 of 6 slow
  EXPECT_EQ(state_of(breaker), "open");
  EXPECT_EQ(counts_of(breaker), "calls=6 failures=0 slow=3");
  EXPECT_EQ(log_, (std::vector<std::string>{"closed->open"}));
}

TEST_F(CircuitBreakerTest, OldOutcomesLeaveTheWindow) {
  BreakerSettings settings = small_settings();
  settings.window = 4;
  CircuitBreaker breaker(settings, clock_);
  call(breaker, kFailed);
  calls(breaker, 3, kOk);
  EXPECT_EQ(counts_of(breaker), "calls=4 failures=1 slow=0");
  call(breaker, kOk);  // the failure is the oldest: it falls out
  EXPECT_EQ(counts_of(breaker), "calls=4 failures=0 slow=0");
  // Two failures among the last 4 open it, however many successes came before.
  call(breaker, kFailed);
  EXPECT_EQ(state_of(breaker), "closed");
  call(breaker, kFailed);
  EXPECT_EQ(state_of(breaker), "open");
}

TEST_F(CircuitBreakerTest, AWindowFullOfSuccessesStillCountsTheNextFailures) {
  // Successes into a full window of successes take the lock-free path; the window must
  // come out of it exactly as if each had been recorded.
  BreakerSettings settings = small_settings();
  settings.window = 4;
  CircuitBreaker breaker(settings, clock_);
  calls(breaker, 1000, kOk);
  EXPECT_EQ(counts_of(breaker), "calls=4 failures=0 slow=0");
  call(breaker, kFailed);
  EXPECT_EQ(counts_of(breaker), "calls=4 failures=1 slow=0");
  call(breaker, kSlow);
  EXPECT_EQ(counts_of(breaker), "calls=4 failures=1 slow=1");
  call(breaker, kFailed);  // 2 of the last 4 failed
  EXPECT_EQ(state_of(breaker), "open");
}

TEST_F(CircuitBreakerTest, OpenRejectsUntilTheOpenPeriodIsOver) {
  CircuitBreaker breaker(small_settings(), clock_, log_transitions());
  trip(breaker);
  clock_.advance(seconds(30) - nanoseconds(1));
  EXPECT_FALSE(breaker.try_acquire());
  EXPECT_EQ(state_of(breaker), "open");
  clock_.advance(nanoseconds(1));
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_EQ(state_of(breaker), "half_open");
  EXPECT_EQ(log_, (std::vector<std::string>{"closed->open", "open->half_open"}));
}

TEST_F(CircuitBreakerTest, HalfOpenPermitsExactlyHalfOpenCallsTrials) {
  CircuitBreaker breaker(small_settings(), clock_);
  trip_and_wait(breaker);  // trial 1
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_FALSE(breaker.try_acquire());
  // A finished trial does not make room for another: the 3 decide.
  breaker.record(kOk);
  EXPECT_FALSE(breaker.try_acquire());
  EXPECT_EQ(state_of(breaker), "half_open");
}

TEST_F(CircuitBreakerTest, SuccessfulTrialsCloseWithAFreshWindow) {
  CircuitBreaker breaker(small_settings(), clock_, log_transitions());
  trip_and_wait(breaker);
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_TRUE(breaker.try_acquire());
  breaker.record(kOk);
  breaker.record(kFailed);
  breaker.record(kOk);  // 1 of 3 failed: under 0.5
  EXPECT_EQ(state_of(breaker), "closed");
  EXPECT_EQ(counts_of(breaker), "calls=0 failures=0 slow=0");
  // The window is `window` wide again: min_calls decides, not the 3 trials.
  calls(breaker, 3, kFailed);
  EXPECT_EQ(state_of(breaker), "closed");
  EXPECT_EQ(log_,
            (std::vector<std::string>{"closed->open", "open->half_open", "half_open->closed"}));
}

TEST_F(CircuitBreakerTest, FailingTrialsReopenAndRestartTheOpenPeriod) {
  CircuitBreaker breaker(small_settings(), clock_, log_transitions());
  trip_and_wait(breaker);
  clock_.advance(seconds(100));  // long past the first open period
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_TRUE(breaker.try_acquire());
  breaker.record(kFailed);
  breaker.record(kOk);
  breaker.record(kFailed);  // 2 of 3 failed
  EXPECT_EQ(state_of(breaker), "open");
  EXPECT_FALSE(breaker.try_acquire());
  clock_.advance(seconds(30) - nanoseconds(1));
  EXPECT_FALSE(breaker.try_acquire());
  clock_.advance(nanoseconds(1));
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_EQ(log_, (std::vector<std::string>{"closed->open", "open->half_open", "half_open->open",
                                            "open->half_open"}));
}

TEST_F(CircuitBreakerTest, ReleaseInHalfOpenGivesATrialBack) {
  CircuitBreaker breaker(small_settings(), clock_);
  trip_and_wait(breaker);
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_FALSE(breaker.try_acquire());
  breaker.release();  // the caller's bad input says nothing about Rust
  EXPECT_EQ(counts_of(breaker), "calls=0 failures=0 slow=0");
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_FALSE(breaker.try_acquire());
  breaker.record(kOk);
  breaker.record(kOk);
  EXPECT_EQ(state_of(breaker), "half_open");  // 2 of 3 trials in
  breaker.record(kOk);
  EXPECT_EQ(state_of(breaker), "closed");
}

TEST_F(CircuitBreakerTest, OutcomesOfCallsFromAnEarlierStateAreIgnored) {
  CircuitBreaker breaker(small_settings(), clock_);
  ASSERT_TRUE(breaker.try_acquire());  // permitted while CLOSED, finishes while OPEN
  trip(breaker);
  breaker.record(kOk);
  breaker.release();
  EXPECT_EQ(counts_of(breaker), "calls=4 failures=4 slow=0");

  clock_.advance(seconds(30));
  ASSERT_TRUE(breaker.try_acquire());
  breaker.record(kOk);  // the one outstanding trial
  // No trial is outstanding now: these must not count nor give back a permit.
  breaker.record(kOk);
  breaker.release();
  EXPECT_EQ(counts_of(breaker), "calls=1 failures=0 slow=0");
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_FALSE(breaker.try_acquire());
}

TEST_F(CircuitBreakerTest, ForcedOpenRejectsEveryCall) {
  CircuitBreaker breaker(with_override(small_settings(), BreakerOverride::kForcedOpen), clock_);
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(breaker.try_acquire());
    clock_.advance(seconds(60));  // no open period ends a forced open
  }
  breaker.record(kFailed);
  EXPECT_EQ(state_of(breaker), "forced_open");
  EXPECT_EQ(counts_of(breaker), "calls=0 failures=0 slow=0");
}

TEST_F(CircuitBreakerTest, DisabledPermitsEveryCallAndNeverOpens) {
  CircuitBreaker breaker(with_override(small_settings(), BreakerOverride::kDisabled), clock_,
                         log_transitions());
  calls(breaker, 1000, CallResult{true, true});
  breaker.release();
  EXPECT_EQ(state_of(breaker), "disabled");
  EXPECT_EQ(counts_of(breaker), "calls=0 failures=0 slow=0");
  EXPECT_TRUE(log_.empty());
}

TEST_F(CircuitBreakerTest, ReconfigureMovesToEachOverrideAndBackToAuto) {
  const BreakerSettings settings = small_settings();
  CircuitBreaker breaker(settings, clock_, log_transitions());
  trip(breaker);
  breaker.reconfigure(with_override(settings, BreakerOverride::kForcedOpen));
  EXPECT_EQ(state_of(breaker), "forced_open");
  EXPECT_FALSE(breaker.try_acquire());
  breaker.reconfigure(with_override(settings, BreakerOverride::kDisabled));
  EXPECT_EQ(state_of(breaker), "disabled");
  EXPECT_TRUE(breaker.try_acquire());
  breaker.reconfigure(settings);
  EXPECT_EQ(state_of(breaker), "closed");
  EXPECT_EQ(counts_of(breaker), "calls=0 failures=0 slow=0");
  EXPECT_EQ(log_, (std::vector<std::string>{"closed->open", "open->forced_open",
                                            "forced_open->disabled", "disabled->closed"}));
}

TEST_F(CircuitBreakerTest, ReconfigureWithChangedAutoSettingsClosesWithAFreshWindow) {
  CircuitBreaker breaker(small_settings(), clock_, log_transitions());
  trip(breaker);
  BreakerSettings wider = small_settings();
  wider.window = 20;
  breaker.reconfigure(wider);
  EXPECT_EQ(state_of(breaker), "closed");
  EXPECT_EQ(counts_of(breaker), "calls=0 failures=0 slow=0");

  call(breaker, kFailed);
  BreakerSettings stricter = wider;
  stricter.min_calls = 2;
  breaker.reconfigure(stricter);  // still closed: a fresh window, and nobody is told
  EXPECT_EQ(counts_of(breaker), "calls=0 failures=0 slow=0");
  call(breaker, kFailed);
  EXPECT_EQ(state_of(breaker), "closed");  // 1 call: the old failure is gone
  call(breaker, kFailed);
  EXPECT_EQ(state_of(breaker), "open");
  EXPECT_EQ(log_, (std::vector<std::string>{"closed->open", "open->closed", "closed->open"}));
}

TEST_F(CircuitBreakerTest, ReconfigureWithEqualSettingsKeepsStateAndWindow) {
  CircuitBreaker breaker(small_settings(), clock_, log_transitions());
  call(breaker, kFailed);
  breaker.reconfigure(small_settings());
  EXPECT_EQ(counts_of(breaker), "calls=1 failures=1 slow=0");

  calls(breaker, 3, kFailed);
  ASSERT_EQ(state_of(breaker), "open");
  breaker.reconfigure(small_settings());
  EXPECT_EQ(state_of(breaker), "open");
  EXPECT_EQ(counts_of(breaker), "calls=4 failures=4 slow=0");
  EXPECT_EQ(log_, (std::vector<std::string>{"closed->open"}));
}

TEST_F(CircuitBreakerTest, ListenerSeesTheWholeLifeCycleInOrder) {
  const BreakerSettings settings = small_settings();
  CircuitBreaker breaker(settings, clock_, log_transitions());
  trip_and_wait(breaker);
  breaker.record(kFailed);
  calls(breaker, 2, kFailed);  // trials fail: open again
  clock_.advance(seconds(30));
  calls(breaker, 3, kOk);  // trials pass: closed
  breaker.reconfigure(with_override(settings, BreakerOverride::kForcedOpen));
  breaker.reconfigure(with_override(settings, BreakerOverride::kDisabled));
  breaker.reconfigure(settings);
  EXPECT_EQ(log_,
            (std::vector<std::string>{"closed->open", "open->half_open", "half_open->open",
                                      "open->half_open", "half_open->closed", "closed->forced_open",
                                      "forced_open->disabled", "disabled->closed"}));
}

TEST_F(CircuitBreakerTest, ListenerMayCallBackIntoTheBreaker) {
  std::vector<std::string> seen;
  CircuitBreaker* self = nullptr;
  CircuitBreaker breaker(small_settings(), clock_, [&](BreakerState, BreakerState) {
    // Would deadlock if the listener ran under the breaker's lock.
    seen.push_back(state_of(*self) + " " + counts_of(*self));
  });
  self = &breaker;
  trip(breaker);
  EXPECT_EQ(seen, (std::vector<std::string>{"open calls=4 failures=4 slow=0"}));
}

// Two callers and an operator reloading the config at once. Run under TSan in CI; here
// it checks the breaker comes out whole: counts in range and the machine still working.
TEST_F(CircuitBreakerTest, SurvivesConcurrentCallsAndReconfiguration) {
  BreakerSettings settings = small_settings();
  settings.open = milliseconds(1);
  std::mutex log_mutex;
  std::vector<std::pair<BreakerState, BreakerState>> transitions;
  CircuitBreaker breaker(settings, clock_, [&](BreakerState from, BreakerState to) {
    std::lock_guard<std::mutex> lock(log_mutex);
    transitions.emplace_back(from, to);
  });

  std::atomic<bool> callers_done{false};
  auto caller = [&](int seed) {
    for (int i = 0; i < 100000; ++i) {
      if (i % 8 == 0) clock_.advance(milliseconds(1));  // open periods end mid-run
      if (!breaker.try_acquire()) continue;
      if ((i + seed) % 11 == 0) {
        breaker.release();
      } else {
        // Runs of 16 failures then 16 successes: the breaker opens and closes by itself.
        breaker.record(CallResult{(i / 16 + seed) % 2 == 0, (i + seed) % 5 == 0});
      }
    }
  };
  std::thread first(caller, 0);
  std::thread second(caller, 1);
  std::thread operator_thread([&] {
    const BreakerOverride cycle[] = {BreakerOverride::kForcedOpen, BreakerOverride::kAuto,
                                     BreakerOverride::kDisabled, BreakerOverride::kAuto};
    std::uint32_t i = 0;
    do {  // at least one round, however fast the callers are
      BreakerSettings next = with_override(settings, cycle[i % 4]);
      next.min_calls = 2 + i % 3;  // a real change even when the override repeats
      breaker.reconfigure(next);
      ++i;
      std::this_thread::yield();
    } while (!callers_done.load());
  });
  first.join();
  second.join();
  callers_done.store(true);
  operator_thread.join();

  const CircuitBreaker::WindowCounts counts = breaker.window_counts();
  EXPECT_LE(counts.calls, settings.window);
  EXPECT_LE(counts.failures, counts.calls);
  EXPECT_LE(counts.slow, counts.calls);
  {
    std::lock_guard<std::mutex> lock(log_mutex);
    EXPECT_FALSE(transitions.empty());
    for (const auto& [from, to] : transitions) EXPECT_NE(from, to);
  }

  // Still a working breaker: closes on new settings, opens, and half-opens on time.
  breaker.reconfigure(small_settings());
  EXPECT_EQ(state_of(breaker), "closed");
  EXPECT_EQ(counts_of(breaker), "calls=0 failures=0 slow=0");
  trip_and_wait(breaker);
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_TRUE(breaker.try_acquire());
  EXPECT_FALSE(breaker.try_acquire());
}

}  // namespace
}  // namespace switchyard
