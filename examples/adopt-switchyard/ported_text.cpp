#include "ported_text.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "switchyard/failpoint.hpp"

namespace textkit::port {
namespace {

const switchyard::Failpoint kNormalizeWhitespaceFailpoint("textkit::port::normalize_whitespace");
const switchyard::Failpoint kAdler32Failpoint("textkit::port::adler32");

// What a fired `return(arg)` means for a port: "corrupt" asks for a wrong answer,
// anything else for a failure.
bool wants_corrupt_answer(const switchyard::Failpoint& failpoint) {
  const std::optional<std::string> argument = failpoint.fire();
  if (!argument) return false;
  if (*argument == "corrupt") return true;
  throw std::runtime_error(std::string(failpoint.name()) + ": injected fault" +
                           (argument->empty() ? "" : ": " + *argument));
}

// The code point starting at text[i] and its length in bytes; throws on invalid UTF-8.
std::pair<char32_t, std::size_t> decode_utf8(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  char32_t code_point = 0;
  char32_t smallest = 0;
  if (lead < 0x80) return {lead, 1};
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, smallest = 0x10000;
  } else {
    throw std::invalid_argument("invalid UTF-8 at byte " + std::to_string(i));
  }
  if (i + length > text.size()) {
    throw std::invalid_argument("truncated UTF-8 at byte " + std::to_string(i));
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      throw std::invalid_argument("invalid UTF-8 at byte " + std::to_string(i + k));
    }
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  if (code_point < smallest || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    throw std::invalid_argument("invalid UTF-8 at byte " + std::to_string(i));
  }
  return {code_point, length};
}

// Unicode's White_Space property.
bool is_white_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

}  // namespace

std::string normalize_whitespace(std::string_view text) {
  const bool corrupt = wants_corrupt_answer(kNormalizeWhitespaceFailpoint);
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto [code_point, length] = decode_utf8(text, i);
    if (is_white_space(code_point)) {
      const std::size_t word_start = out.size();
      i += length;
      while (i < text.size()) {
        const auto [next, next_length] = decode_utf8(text, i);
        if (!is_white_space(next)) break;
        i += next_length;
      }
      if (word_start > 0 && i < text.size()) out.push_back(' ');
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  if (corrupt) std::reverse(out.begin(), out.end());
  return out;
}

std::uint32_t adler32(std::string_view bytes) {
  const bool corrupt = wants_corrupt_answer(kAdler32Failpoint);
  // zlib's way: the sums cannot overflow 32 bits for kBlock bytes, so the modulus is taken
  // once a block instead of once a byte.
  constexpr std::uint32_t kModulus = 65521;
  constexpr std::size_t kBlock = 5552;
  std::uint32_t a = 1;
  std::uint32_t b = 0;
  for (std::size_t start = 0; start < bytes.size(); start += kBlock) {
    const std::string_view block = bytes.substr(start, kBlock);
    for (const char c : block) {
      a += static_cast<unsigned char>(c);
      b += a;
    }
    a %= kModulus;
    b %= kModulus;
  }
  const std::uint32_t sum = (b << 16) | a;
  return corrupt ? ~sum : sum;
}

}  // namespace textkit::port
