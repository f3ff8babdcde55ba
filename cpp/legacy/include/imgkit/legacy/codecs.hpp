// imgkit::legacy codecs: PNM (netpbm) and PNG (through libpng).
//
// Decoders take the whole encoded file as bytes and return 8-bit samples when the file's
// samples fit in 8 bits, 16-bit samples otherwise. They validate everything they read:
// malformed, truncated or hostile input throws imgkit::Error.
//
// Limits (imgkit::DecodeLimits, params.hpp) are checked from the header, before anything
// of the image's size is allocated, in this order:
//   1. width * height above limits.max_pixels (default 100 M)
//   2. width * height * channels * bytes per sample of the *decoded* image (the layouts
//      below: a palette file counts 3 or 4 channels, 1-bit gray one byte a sample) above
//      limits.max_bytes (default 512 MiB): "PNG: image needs 800000000 bytes
//      (10000x10000, 4 channels, 16-bit), over the 536870912-byte limit (max_bytes)"
// both kLimitExceeded, and both before any check of the raster or image data, so a small
// file declaring a huge image is refused however little data follows its header. PNM
// reads maxval (which decides the sample size) before the byte check, so a bad maxval
// is reported before an oversized image.
//
// Peak memory of a decode, besides the input: the returned image (at most max_bytes),
// plus for PNG libpng's two row buffers (each one row of the returned image, plus 48
// bytes), ~50 KiB of zlib and libpng state, and the data of an ancillary chunk while it
// is read (no longer than the chunk is in the input). That is about max_bytes for any
// image of many rows, and at most 3 * max_bytes for an image of a single row. There is
// no other intermediate: 16-bit samples are byte-swapped in place, Adam7 passes are
// combined straight into the returned rows. (The Rust decoders hold at most ~1 MiB and
// a few rows besides: rust/imgkit-codecs/src/png/mod.rs.)
//
//   std::vector<std::uint8_t> bytes = read_file("in.png");
//   imgkit::DecodedImage image = imgkit::legacy::decode_png(bytes);
//   auto out = imgkit::legacy::encode_pnm(imgkit::to_8bit(image));
//
// Error categories:
//   kMalformedData  bad magic, bad or missing header field, truncated raster, a sample
//                   above maxval, a PNG CRC or zlib error
//   kLimitExceeded  width * height above limits.max_pixels, decoded sample bytes above
//                   limits.max_bytes, a PNM width or height above 2^32 - 1
//   kUnsupported    well-formed but outside what is implemented (PNM P1/P4/P7, a
//                   PNM encode of an RGBA image, a PNG encode wider or taller than
//                   2^31 - 1)
//   kInvalidArgument empty input
//   kInternal       libpng failing to encode (out of memory)
#pragma once

#include <cstdint>
#include <vector>

#include "imgkit/image.hpp"
#include "imgkit/params.hpp"

namespace imgkit::legacy {

using Bytes = std::vector<std::uint8_t>;

// ---- PNM ---------------------------------------------------------------------------
//
// Reads P2 (plain gray), P3 (plain RGB), P5 (binary gray) and P6 (binary RGB); only the
// first image of a multi-image file.
//
// Header: magic, width, height, maxval as ASCII decimals separated by whitespace;
// a comment runs from '#' to the end of the line (its first CR or LF) and may stand
// wherever whitespace may (between any two header tokens, and between samples of a
// plain raster). Every token must end at whitespace, a comment or the end of the data
// ("3x2" is malformed). Width and height must be >= 1, maxval 1..65535. A binary raster
// starts after exactly one whitespace byte following maxval (when a comment directly
// follows maxval, its line end is that byte); its samples are one byte each when
// maxval < 256, else two bytes big-endian. Extra bytes after the raster are ignored.
//
// Sample scaling: maxval 255 or 65535 is taken as is. Any other maxval <= 255 is scaled
// to 0..255 as (v * 255 + maxval / 2) / maxval (integer division); any other maxval
// > 255 is scaled to 0..65535 as (v * 65535 + maxval / 2) / maxval. A sample greater
// than maxval is kMalformedData.
DecodedImage decode_pnm(const Bytes& bytes, const DecodeLimits& limits = {});

// Writes P5 (1 channel) or P6 (3 channels), or P2/P3 with PnmEncoding::kPlain (at most
// 70 characters per line). maxval is 255 for Image and 65535 for Image16. A 4-channel
// image is kUnsupported (PNM has no alpha; drop it first).
Bytes encode_pnm(const Image& image, PnmEncoding encoding = PnmEncoding::kBinary);
Bytes encode_pnm(const Image16& image, PnmEncoding encoding = PnmEncoding::kBinary);

// ---- PNG ---------------------------------------------------------------------------
//
// Every colour type and bit depth of the PNG specification, interlaced or not, maps to
// 1, 3 or 4 channels:
//   gray 1/2/4/8 bit          -> 1 channel, 8-bit (low depths scaled up: v * 255 / (2^d - 1))
//   gray 16 bit               -> 1 channel, 16-bit
//   gray + alpha              -> 4 channels (gray replicated into R, G, B)
//   RGB 8 / 16                -> 3 channels, 8 / 16-bit
//   RGBA 8 / 16               -> 4 channels, 8 / 16-bit
//   palette 1/2/4/8 bit       -> 3 channels, or 4 when a tRNS chunk is present
//   gray or RGB with tRNS     -> gray becomes 4 channels, RGB 4 channels; the pixels
//                                matching the tRNS colour get alpha 0, others max
// Gamma, colour-space and text chunks are ignored (samples are returned as stored).
// A CRC error in any chunk is kMalformedData, and so is a file that ends before the end
// of its IEND chunk; bytes after IEND are ignored. Problems libpng recovers from by
// itself are not errors and print nothing: an invalid ancillary chunk is skipped, a
// palette index beyond the PLTE entries decodes as opaque black.
DecodedImage decode_png(const Bytes& bytes, const DecodeLimits& limits = {});

// Writes a non-interlaced PNG of colour type gray (1 channel), RGB (3) or RGBA (4) at
// bit depth 8 (Image) or 16 (Image16), with default zlib compression.
Bytes encode_png(const Image& image);
Bytes encode_png(const Image16& image);

}  // namespace imgkit::legacy
