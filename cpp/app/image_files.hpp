// Reading and writing image files for the command line, format chosen by extension:
// .png, .pgm (gray), .ppm (RGB), .pnm (gray or RGB, whichever the image is).
//
// Writes are atomic: the image goes to a temporary file beside the target, which is
// renamed over it only when complete, so a failed run never leaves a half-written or
// clobbered output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imgkit/image.hpp"

namespace imgkit::cli {

enum class FileFormat { kPng, kPgm, kPpm, kPnm };

// The format an extension names (case-insensitive). UsageError for any other.
FileFormat format_for_path(const std::string& path);

// The file's bytes. imgkit::Error naming the file when it cannot be read.
std::vector<std::uint8_t> read_bytes(const std::string& path);

// Reads and decodes the file, converting 16-bit samples to 8 bits (the operations work
// on 8-bit images). imgkit::Error naming the file on any failure.
Image read_image(const std::string& path);

// Encodes for the file's format and writes atomically. PNM formats cannot hold alpha:
// .pgm stores the luminance, .ppm and .pnm drop alpha (and .ppm expands gray to RGB).
// imgkit::Error naming the file on any failure; the target is then left untouched.
void write_image(const std::string& path, const Image& image);

// Writes `bytes` to a fresh temporary file beside `path`, then renames it over `path`.
// imgkit::Error naming the file on any failure; `path` is then untouched.
void write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes);

// "640x480 RGB" — for the summary the command prints.
std::string describe_image(const Image& image);

}  // namespace imgkit::cli
