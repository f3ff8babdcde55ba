// switchyard::SpinLock — a lock for critical sections a few dozen instructions long.
//
// The breaker's window update is such a section, taken on every Rust call. A std::mutex
// that finds it held puts the thread to sleep in the kernel and wakes it again, which
// costs microseconds for a wait of nanoseconds; spinning costs one cache-line transfer.
// After a short spin the waiter yields its core, so a holder that was preempted can
// finish (the section never blocks, allocates only on reconfiguration, and never calls
// out). Satisfies BasicLockable, for std::lock_guard.
#pragma once

#include <atomic>
#include <thread>

namespace switchyard {

class SpinLock {
 public:
  void lock() noexcept {
    for (int spins = 0;; ++spins) {
      // Test before test-and-set: waiters read a shared line instead of bouncing it.
      if (!locked_.load(std::memory_order_relaxed) &&
          !locked_.exchange(true, std::memory_order_acquire)) {
        return;
      }
      if (spins < kSpinsBeforeYield) {
        pause();
      } else {
        std::this_thread::yield();
      }
    }
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  static constexpr int kSpinsBeforeYield = 64;

  // Tells the core it is spinning: saves power and frees the sibling hyperthread.
  static void pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  std::atomic<bool> locked_{false};
};

}  // namespace switchyard
