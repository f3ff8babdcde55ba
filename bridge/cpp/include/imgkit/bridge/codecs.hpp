// imgkit::bridge codecs — the Rust PNM and PNG codecs, called in imgkit's own C++ types.
//
// Each function mirrors the imgkit::legacy function of the same name and returns a
// Status instead of throwing. Decoding is two-step across the boundary: Rust reads and
// checks the header (both DecodeLimits included, so nothing over them is allocated),
// C++ allocates the image it describes, Rust decodes into it.
//
//   imgkit::DecodedImage image{imgkit::Image(1, 1, 1)};
//   imgkit::bridge::Status s = imgkit::bridge::decode_png(bytes, {}, image);
//   if (s.code == imgkit::bridge::StatusCode::kInvalidInput) { /* s.category */ }
#pragma once

#include <cstdint>
#include <vector>

#include "imgkit/bridge/kernels.hpp"
#include "imgkit/image.hpp"
#include "imgkit/params.hpp"

namespace imgkit::bridge {

using Bytes = std::vector<std::uint8_t>;

// On kOk `out` holds the decoded image; otherwise it is unchanged.
Status decode_pnm(const Bytes& bytes, const DecodeLimits& limits, DecodedImage& out);
Status decode_png(const Bytes& bytes, const DecodeLimits& limits, DecodedImage& out);

// On kOk `out` holds the encoded file.
Status encode_pnm(const Image& image, PnmEncoding encoding, Bytes& out);
Status encode_pnm(const Image16& image, PnmEncoding encoding, Bytes& out);
Status encode_png(const Image& image, Bytes& out);
Status encode_png(const Image16& image, Bytes& out);

// The Rust codecs' own defaults (imgkit_codecs::Limits::DEFAULT), which must equal
// DecodeLimits{} (tests/bridge/decode_limits_test.cpp holds them to it). Calls through
// the functions above always pass the caller's limits.
DecodeLimits rust_default_decode_limits();

}  // namespace imgkit::bridge
