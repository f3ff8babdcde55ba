// Editing the chunks of an encoded PNG file in tests: find a chunk, change a field and
// keep its CRC valid (so only the field's meaning is wrong), insert a chunk.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace imgkit::testing {

using Bytes = std::vector<std::uint8_t>;

inline std::uint32_t read_be32(const Bytes& bytes, std::size_t offset) {
  return std::uint32_t{bytes[offset]} << 24 | std::uint32_t{bytes[offset + 1]} << 16 |
         std::uint32_t{bytes[offset + 2]} << 8 | bytes[offset + 3];
}

inline void write_be32(Bytes& bytes, std::size_t offset, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    bytes[offset + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
  }
}

// Offset of the chunk's length field; the first chunk of that type.
inline std::size_t find_chunk(const Bytes& png, std::string_view type) {
  for (std::size_t offset = 8; offset + 12 <= png.size();) {
    const std::uint32_t length = read_be32(png, offset);
    if (std::string_view(reinterpret_cast<const char*>(&png[offset + 4]), 4) == type) {
      return offset;
    }
    offset += 12 + std::size_t{length};
  }
  ADD_FAILURE() << "no " << type << " chunk";
  return 0;
}

// zlib's CRC-32, the one libpng checks chunks with.
inline std::uint32_t crc32_of(const std::uint8_t* data, std::size_t length) {
  return static_cast<std::uint32_t>(::crc32_z(0, data, length));
}

inline void update_crc(Bytes& png, std::size_t chunk_offset) {
  const std::uint32_t length = read_be32(png, chunk_offset);
  write_be32(png, chunk_offset + 8 + length, crc32_of(&png[chunk_offset + 4], 4 + length));
}

// Rewrites a field of the chunk's data and keeps its CRC valid, so that only the
// field's meaning is wrong.
inline void patch_chunk_byte(Bytes& png, std::string_view type, std::size_t data_index,
                             std::uint8_t value) {
  const std::size_t offset = find_chunk(png, type);
  png[offset + 8 + data_index] = value;
  update_crc(png, offset);
}

inline void patch_ihdr_size(Bytes& png, std::uint32_t width, std::uint32_t height) {
  const std::size_t offset = find_chunk(png, "IHDR");
  write_be32(png, offset + 8, width);
  write_be32(png, offset + 12, height);
  update_crc(png, offset);
}

inline Bytes insert_chunk_before(const Bytes& png, std::string_view before, std::string_view type,
                                 std::string_view data) {
  Bytes chunk(12 + data.size());
  write_be32(chunk, 0, static_cast<std::uint32_t>(data.size()));
  std::copy(type.begin(), type.end(), chunk.begin() + 4);
  std::copy(data.begin(), data.end(), chunk.begin() + 8);
  update_crc(chunk, 0);
  Bytes out = png;
  const std::size_t at = find_chunk(png, before);
  out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), chunk.begin(), chunk.end());
  return out;
}

}  // namespace imgkit::testing
