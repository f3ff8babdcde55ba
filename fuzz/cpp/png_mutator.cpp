#include "png_mutator.hpp"

#include <zlib.h>

#include <cstring>
#include <random>
#include <vector>

namespace imgkit::fuzz {
namespace {

constexpr std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

// A chunk: 4-byte length, 4-byte type, `length` data bytes, 4-byte CRC of type + data.
constexpr std::size_t kChunkOverhead = 12;

std::uint32_t load_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

void store_be32(std::uint8_t* p, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}

bool has_signature(const std::uint8_t* data, std::size_t size) {
  return size >= sizeof kSignature && std::memcmp(data, kSignature, sizeof kSignature) == 0;
}

using Bytes = std::vector<std::uint8_t>;

// Chunk types a decoder treats specially, plus an unknown critical and an unknown
// ancillary one (the case of the first letter says which).
constexpr const char* kChunkTypes[] = {
    "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "hIST",
    "pHYs", "sPLT", "tIME", "tEXt", "zTXt", "iTXt", "eXIf", "acTL", "fcTL", "fdAT", "QzXw", "qzXw"};

Bytes make_chunk(const char* type, const Bytes& data) {
  Bytes chunk(kChunkOverhead + data.size());
  store_be32(chunk.data(), static_cast<std::uint32_t>(data.size()));
  std::memcpy(chunk.data() + 4, type, 4);
  if (!data.empty()) std::memcpy(chunk.data() + 8, data.data(), data.size());
  return chunk;
}

}  // namespace

bool fix_png_crcs(std::uint8_t* data, std::size_t size) {
  if (!has_signature(data, size)) return false;
  std::size_t at = sizeof kSignature;
  while (size - at >= kChunkOverhead) {
    const std::uint32_t length = load_be32(data + at);
    if (length > size - at - kChunkOverhead) break;
    store_be32(data + at + 8 + length,
               static_cast<std::uint32_t>(::crc32_z(0, data + at + 4, std::size_t{length} + 4)));
    at += std::size_t{length} + kChunkOverhead;
  }
  return true;
}

std::size_t mutate_png_chunks(std::uint8_t* data, std::size_t size, std::size_t max_size,
                              unsigned int seed) {
  if (!has_signature(data, size)) return 0;
  // Split into whole chunks; whatever follows the last complete one is kept as a tail.
  std::vector<Bytes> chunks;
  std::size_t at = sizeof kSignature;
  while (size - at >= kChunkOverhead) {
    const std::uint32_t length = load_be32(data + at);
    if (length > size - at - kChunkOverhead) break;
    const std::size_t chunk_size = std::size_t{length} + kChunkOverhead;
    chunks.emplace_back(data + at, data + at + chunk_size);
    at += chunk_size;
  }
  if (chunks.empty()) return 0;
  const Bytes tail(data + at, data + size);

  std::minstd_rand random(seed);
  const auto pick = [&random](std::size_t count) {
    return static_cast<std::size_t>(random() % count);
  };
  const std::size_t i = pick(chunks.size());
  switch (pick(5)) {
    case 0:  // delete
      chunks.erase(chunks.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    case 1: {  // duplicate, at a random place
      const Bytes copy = chunks[i];
      chunks.insert(chunks.begin() + static_cast<std::ptrdiff_t>(pick(chunks.size() + 1)), copy);
      break;
    }
    case 2: {  // move
      Bytes moved = std::move(chunks[i]);
      chunks.erase(chunks.begin() + static_cast<std::ptrdiff_t>(i));
      chunks.insert(chunks.begin() + static_cast<std::ptrdiff_t>(pick(chunks.size() + 1)),
                    std::move(moved));
      break;
    }
    case 3: {  // declare another length, often a huge one, leaving the bytes as they are
      static constexpr std::uint32_t kLengths[] = {0x7fffffffu, 0x80000000u, 0xffffffffu,
                                                   0x40000000u, 0x01000000u};
      const std::uint32_t length =
          pick(2) == 0 ? kLengths[pick(std::size(kLengths))] : static_cast<std::uint32_t>(random());
      store_be32(chunks[i].data(), length);
      break;
    }
    default: {  // insert a chunk of a chosen type, with another chunk's data or a few bytes
      const char* type = kChunkTypes[pick(std::size(kChunkTypes))];
      Bytes payload;
      if (pick(2) == 0) {
        payload.assign(chunks[i].begin() + 8, chunks[i].end() - 4);
      } else {
        payload.resize(pick(17));
        for (std::uint8_t& byte : payload) byte = static_cast<std::uint8_t>(random());
      }
      chunks.insert(chunks.begin() + static_cast<std::ptrdiff_t>(pick(chunks.size() + 1)),
                    make_chunk(type, payload));
      break;
    }
  }

  std::size_t new_size = sizeof kSignature + tail.size();
  for (const Bytes& chunk : chunks) new_size += chunk.size();
  if (new_size > max_size) return 0;
  std::uint8_t* out = data + sizeof kSignature;
  for (const Bytes& chunk : chunks) {
    std::memcpy(out, chunk.data(), chunk.size());
    out += chunk.size();
  }
  if (!tail.empty()) std::memcpy(out, tail.data(), tail.size());
  return new_size;
}

}  // namespace imgkit::fuzz

// libFuzzer's hooks (declared by libFuzzer, defined here with C linkage).
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  std::minstd_rand random(seed);
  std::size_t mutated = size;
  if (random() % 4 == 0) {
    mutated =
        imgkit::fuzz::mutate_png_chunks(data, size, max_size, static_cast<unsigned>(random()));
  }
  if (mutated == size) mutated = LLVMFuzzerMutate(data, size, max_size);
  if (random() % 8 != 0) imgkit::fuzz::fix_png_crcs(data, mutated);
  return mutated;
}
