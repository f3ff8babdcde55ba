// Images in and out of the command line.
//
// Input is decoded by its content: the first bytes say PNG or PNM, whatever the file is
// called (a PNG named .ppm decodes as PNG, with a note). Output is encoded in the format
// --format names, else the one its extension names: .png, .pgm (gray), .ppm (RGB),
// .pnm (gray or RGB, whichever the image is). PNM cannot hold alpha: .pgm stores the
// luminance, .ppm and .pnm drop alpha (and .ppm expands gray to RGB); the description
// of what was written says so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imgkit/image.hpp"
#include "imgkit/params.hpp"

namespace imgkit::cli {

enum class FileFormat { kPng, kPgm, kPpm, kPnm };

// The format an extension names (case-insensitive), or nullopt.
std::optional<FileFormat> format_for_extension(const std::string& path);

// A --format value: png, pnm, pgm or ppm. UsageError for anything else.
FileFormat parse_format(std::string_view name);

// The format to write `path` in: `chosen` (from --format) when given, else the
// extension's. UsageError naming the path when neither says.
FileFormat output_format(const std::string& path, std::optional<FileFormat> chosen);

struct DecodedInput {
  Image image;              // 8-bit: 16-bit inputs are reduced
  std::string description;  // "640x480 RGB PNG", "64x64 gray 16-bit PNM, reduced to 8 bits"
  // The format the input came in (kPng or kPnm): what "-" as an output is written in
  // when --format does not say.
  FileFormat natural_format;
  std::vector<std::string> notes;  // worth telling the user, e.g. a misleading extension
};

// Decodes `bytes`, read from `name`, by their content. imgkit::Error naming the file
// (and saying the bytes are neither PNG nor PNM, when they are not).
DecodedInput decode_input(const std::string& name, const std::vector<std::uint8_t>& bytes,
                          const DecodeLimits& limits);

struct EncodedOutput {
  std::vector<std::uint8_t> bytes;
  // What the file holds: "160x120 gray PGM, luminance of RGBA, alpha dropped".
  std::string description;
};

// Encodes `image` in `format`. imgkit::Error naming `name` on failure.
EncodedOutput encode_output(const std::string& name, const Image& image, FileFormat format);

// "640x480 RGB" — shape and channels.
std::string describe_image(const Image& image);

}  // namespace imgkit::cli
