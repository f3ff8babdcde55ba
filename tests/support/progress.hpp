// A count one thread bumps and another waits on: how a test knows another thread got
// somewhere without sleeping for it.
//
//   Progress done;
//   std::thread worker([&] { while (...) { work(); done.bump(); } });
//   ASSERT_TRUE(done.wait_for_count(done.count() + 2));   // two more rounds ran
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace imgkit::testing {

class Progress {
 public:
  void bump() {
    {
      const std::lock_guard lock(mutex_);
      ++count_;
    }
    changed_.notify_all();
  }

  std::uint64_t count() const {
    const std::lock_guard lock(mutex_);
    return count_;
  }

  // Waits until the count reaches `target`. False if it has not within `patience`: a
  // guard that turns a stuck thread into a failure instead of a hung suite, never a
  // measure (a working run is nowhere near it, under valgrind too).
  bool wait_for_count(std::uint64_t target,
                      std::chrono::seconds patience = std::chrono::seconds(120)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, patience, [&] { return count_ >= target; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t count_ = 0;
};

}  // namespace imgkit::testing
