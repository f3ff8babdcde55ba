#include "image_files.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <variant>

#include "imgkit/imgkit.hpp"
#include "usage_error.hpp"

namespace imgkit::cli {
namespace {

constexpr std::uint8_t kPngSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

enum class Codec { kPng, kPnm };

// What the first bytes say the data is.
std::optional<Codec> sniff(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() >= sizeof kPngSignature &&
      std::equal(std::begin(kPngSignature), std::end(kPngSignature), bytes.begin())) {
    return Codec::kPng;
  }
  // P1..P6: netpbm's magic numbers (plain and binary bitmap, graymap, pixmap).
  if (bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '6') {
    return Codec::kPnm;
  }
  return std::nullopt;
}

const char* codec_name(Codec codec) { return codec == Codec::kPng ? "PNG" : "PNM"; }

const char* format_name(FileFormat format) {
  switch (format) {
    case FileFormat::kPng:
      return "PNG";
    case FileFormat::kPgm:
      return "PGM";
    case FileFormat::kPpm:
      return "PPM";
    case FileFormat::kPnm:
      return "PNM";
  }
  return "?";
}

const char* channel_name(std::uint32_t channels) {
  switch (channels) {
    case 1:
      return "gray";
    case 3:
      return "RGB";
    case 4:
      return "RGBA";
    default:
      return "?";
  }
}

Error file_error(ErrorCategory category, const std::string& path, const std::string& what) {
  return Error(category, path + ": " + what);
}

std::string lower_extension(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// Gray replicated into R, G, B; RGBA keeps R, G, B.
Image to_rgb(const Image& image) {
  Image rgb(image.width(), image.height(), 3);
  for (std::size_t i = 0; i < image.pixel_count(); ++i) {
    for (std::uint32_t c = 0; c < 3; ++c) {
      const std::size_t from = image.channels() == 1 ? i : i * image.channels() + c;
      rgb.data()[i * 3 + c] = image.data()[from];
    }
  }
  return rgb;
}

// The image a PNM of `format` holds, and how it differs from `image`, if it does.
std::pair<Image, std::string> for_pnm(const Image& image, FileFormat format) {
  const std::string from = channel_name(image.channels());
  if (format == FileFormat::kPgm) {
    if (image.channels() == 1) return {image, ""};
    return {to_grayscale(image),
            image.channels() == 4 ? "luminance of RGBA, alpha dropped" : "luminance of " + from};
  }
  if (image.channels() == 3) return {image, ""};
  if (image.channels() == 4) return {to_rgb(image), "alpha dropped"};
  if (format == FileFormat::kPpm) return {to_rgb(image), "gray expanded to RGB"};
  return {image, ""};  // .pnm keeps gray
}

}  // namespace

std::optional<FileFormat> format_for_extension(const std::string& path) {
  const std::string extension = lower_extension(path);
  if (extension == ".png") return FileFormat::kPng;
  if (extension == ".pgm") return FileFormat::kPgm;
  if (extension == ".ppm") return FileFormat::kPpm;
  if (extension == ".pnm") return FileFormat::kPnm;
  return std::nullopt;
}

FileFormat parse_format(std::string_view name) {
  if (name == "png") return FileFormat::kPng;
  if (name == "pgm") return FileFormat::kPgm;
  if (name == "ppm") return FileFormat::kPpm;
  if (name == "pnm") return FileFormat::kPnm;
  throw UsageError("--format " + std::string(name) + ": unknown format (use png, pnm, pgm or ppm)");
}

FileFormat output_format(const std::string& path, std::optional<FileFormat> chosen) {
  if (chosen) return *chosen;
  if (auto format = format_for_extension(path)) return *format;
  throw UsageError(path + ": unknown image format '" + lower_extension(path) +
                   "' (use .png, .pgm, .ppm or .pnm, or --format)");
}

DecodedInput decode_input(const std::string& name, const std::vector<std::uint8_t>& bytes,
                          const DecodeLimits& limits) {
  const std::optional<Codec> codec = sniff(bytes);
  if (!codec) {
    throw file_error(ErrorCategory::kMalformedData, name,
                     bytes.empty() ? "empty, not an image"
                                   : "not a PNG or PNM image (unrecognised first bytes)");
  }
  DecodedInput input{
      Image(1, 1, 1), "", *codec == Codec::kPng ? FileFormat::kPng : FileFormat::kPnm, {}};
  if (const std::optional<FileFormat> named = format_for_extension(name)) {
    const bool named_png = *named == FileFormat::kPng;
    if (named_png != (*codec == Codec::kPng)) {
      input.notes.push_back(name + " holds a " + codec_name(*codec) + " image despite its name; " +
                            "decoding it as " + codec_name(*codec));
    }
  }
  DecodedImage decoded{Image(1, 1, 1)};
  try {
    decoded = *codec == Codec::kPng ? decode_png(bytes, limits) : decode_pnm(bytes, limits);
  } catch (const Error& e) {
    throw file_error(e.category(), name, e.what());
  }
  const bool deep = std::holds_alternative<Image16>(decoded);
  input.image = to_8bit(std::move(decoded));
  input.description = describe_image(input.image) + (deep ? " 16-bit " : " ") + codec_name(*codec);
  if (deep) input.description += ", reduced to 8 bits";
  return input;
}

EncodedOutput encode_output(const std::string& name, const Image& image, FileFormat format) {
  try {
    if (format == FileFormat::kPng) {
      return {encode_png(image), describe_image(image) + " PNG"};
    }
    auto [stored, change] = for_pnm(image, format);
    std::string description = describe_image(stored) + " " + format_name(format);
    if (!change.empty()) description += ", " + change;
    return {encode_pnm(stored), std::move(description)};
  } catch (const Error& e) {
    throw file_error(e.category(), name, e.what());
  }
}

std::string describe_image(const Image& image) {
  return std::to_string(image.width()) + "x" + std::to_string(image.height()) + " " +
         channel_name(image.channels());
}

}  // namespace imgkit::cli
