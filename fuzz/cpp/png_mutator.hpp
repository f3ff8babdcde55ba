// A libFuzzer custom mutator for PNG inputs, linked into the C++ fuzz targets.
//
// A PNG decoder checks each chunk's CRC first, so nearly every plain byte mutation of a
// PNG is rejected there and never reaches the chunk parsers, zlib or the unfilter code.
// This mutator takes libFuzzer's own mutation or, for one PNG input in four, a chunk-level
// one (delete, duplicate or move a chunk, insert a chunk of a known or unknown type,
// declare a chunk's length as something else, often huge), and then recomputes every
// chunk's CRC, except for one mutation in eight, so that the CRC checks themselves stay
// fuzzed. Inputs that do not start with the PNG signature (PNM seeds, random bytes) get
// libFuzzer's mutation only.
//
//   std::vector<std::uint8_t> file = ...;
//   imgkit::fuzz::fix_png_crcs(file.data(), file.size());
#pragma once

#include <cstddef>
#include <cstdint>

namespace imgkit::fuzz {

// Recomputes the CRC of every complete chunk after the 8-byte signature, in place; stops
// at the first chunk whose declared length runs past `size`. Returns false (changing
// nothing) when `data` does not start with the PNG signature.
bool fix_png_crcs(std::uint8_t* data, std::size_t size);

// One chunk-level mutation of the PNG in data[0, size), chosen by `seed`, written back
// in place; returns the new size (at most `max_size`), or 0, changing nothing, when the
// input is not a PNG with a complete chunk or the result would not fit. CRCs are left as
// they are.
std::size_t mutate_png_chunks(std::uint8_t* data, std::size_t size, std::size_t max_size,
                              unsigned int seed);

}  // namespace imgkit::fuzz
