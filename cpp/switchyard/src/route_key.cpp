#include "switchyard/route_key.hpp"

namespace switchyard {
namespace {

struct KeyState {
  bool active = false;
  std::uint64_t hash = 0;
};
thread_local KeyState tls_key{};

}  // namespace

std::uint64_t stable_hash(std::string_view bytes) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;  // FNV-1a prime
  }
  // FNV-1a's low bits are weak for short keys; the murmur3 finalizer spreads them.
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  hash *= 0xc4ceb9fe1a85ec53ULL;
  hash ^= hash >> 33;
  return hash;
}

RouteKeyScope::RouteKeyScope(std::string_view key) noexcept
    : had_previous_(tls_key.active), previous_hash_(tls_key.hash) {
  tls_key = KeyState{true, stable_hash(key)};
}

RouteKeyScope::~RouteKeyScope() { tls_key = KeyState{had_previous_, previous_hash_}; }

bool RouteKeyScope::active() noexcept { return tls_key.active; }

std::uint64_t RouteKeyScope::current_hash() noexcept { return tls_key.hash; }

}  // namespace switchyard
