// textkit::legacy — the code being migrated: the implementations every caller has today,
// and the ones switchyard falls back to.
//
//   std::string tidy = textkit::legacy::normalize_whitespace("  a \t b\n");  // "a b"
//   std::uint32_t sum = textkit::legacy::adler32("Wikipedia");              // 0x11E60398
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace textkit::legacy {

// Collapses every run of ASCII white space (space, \t, \n, \v, \f, \r) into one space and
// drops it at both ends. Other bytes pass through untouched, whatever their encoding.
std::string normalize_whitespace(std::string_view text);

// The Adler-32 checksum of `bytes` (RFC 1950).
std::uint32_t adler32(std::string_view bytes);

}  // namespace textkit::legacy
