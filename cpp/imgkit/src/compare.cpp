#include "compare.hpp"

#include <cstdio>
#include <string_view>

#include "imgkit/error.hpp"
#include "switchyard/route_key.hpp"

namespace imgkit::routing {
namespace {

std::string hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

std::uint64_t hash_bytes(const void* data, std::size_t size) {
  // SAFETY: a read-only view of `size` bytes the caller owns for this call.
  return switchyard::stable_hash(std::string_view(static_cast<const char*>(data), size));
}

const char* depth_name(const DecodedImage& image) {
  return std::holds_alternative<Image>(image) ? "8-bit" : "16-bit";
}

switchyard::MismatchRecord with_detail(std::string detail, std::uint32_t max_difference = 0) {
  switchyard::MismatchRecord record;
  record.detail = std::move(detail);
  record.max_difference = max_difference;
  return record;
}

}  // namespace

template <class Sample>
std::string digest(const Raster<Sample>& image) {
  const std::string shape = std::to_string(image.width()) + "x" + std::to_string(image.height()) +
                            "x" + std::to_string(image.channels());
  return hex(hash_bytes(image.data(), image.size() * sizeof(Sample)) ^
             switchyard::stable_hash(shape));
}
template std::string digest(const Image&);
template std::string digest(const Image16&);

std::string digest(const legacy::Bytes& bytes) {
  return hex(hash_bytes(bytes.data(), bytes.size()));
}

void describe_input(switchyard::MismatchRecord& record, const legacy::Bytes& input) {
  record.input_digest = digest(input);
}

std::optional<switchyard::MismatchRecord> compare_answers(const DecodedImage& legacy,
                                                          const DecodedImage& rust,
                                                          std::uint32_t tolerance) {
  if (legacy.index() != rust.index()) {
    return with_detail(std::string("sample depths differ: legacy ") + depth_name(legacy) +
                       ", rust " + depth_name(rust));
  }
  if (const auto* eight = std::get_if<Image>(&legacy)) {
    return compare_answers(*eight, std::get<Image>(rust), tolerance);
  }
  return compare_answers(std::get<Image16>(legacy), std::get<Image16>(rust), tolerance);
}

std::optional<switchyard::MismatchRecord> compare_answers(const legacy::Bytes& legacy,
                                                          const legacy::Bytes& rust,
                                                          std::uint32_t /*tolerance*/) {
  if (legacy == rust) return std::nullopt;
  const auto first = std::mismatch(legacy.begin(), legacy.end(), rust.begin(), rust.end());
  const auto offset = static_cast<std::size_t>(first.first - legacy.begin());
  return with_detail("encoded bytes differ from offset " + std::to_string(offset) + " (legacy " +
                     std::to_string(legacy.size()) + " bytes, rust " + std::to_string(rust.size()) +
                     " bytes)");
}

std::optional<switchyard::MismatchRecord> compare_png_files(const legacy::Bytes& legacy,
                                                            const legacy::Bytes& rust,
                                                            std::uint32_t tolerance) {
  DecodedImage rust_pixels{Image(1, 1, 1)};
  try {
    rust_pixels = legacy::decode_png(rust);
  } catch (const Error& error) {
    return with_detail(std::string("the rust encoder's file does not decode: ") + error.what());
  }
  return compare_answers(legacy::decode_png(legacy), rust_pixels, tolerance);
}

std::optional<switchyard::MismatchRecord> compare_answers(
    const std::vector<legacy::Histogram>& legacy, const std::vector<legacy::Histogram>& rust,
    std::uint32_t /*tolerance*/) {
  if (legacy.size() != rust.size()) {
    return with_detail("histogram channel counts differ: legacy " + std::to_string(legacy.size()) +
                       ", rust " + std::to_string(rust.size()));
  }
  for (std::size_t c = 0; c < legacy.size(); ++c) {
    for (std::size_t v = 0; v < 256; ++v) {
      if (legacy[c][v] != rust[c][v]) {
        const std::uint64_t a = legacy[c][v];
        const std::uint64_t b = rust[c][v];
        const std::uint64_t difference = a > b ? a - b : b - a;
        auto record = with_detail(
            "channel " + std::to_string(c) + " bin " + std::to_string(v) + ": legacy " +
                std::to_string(a) + ", rust " + std::to_string(b),
            static_cast<std::uint32_t>(std::min<std::uint64_t>(difference, UINT32_MAX)));
        record.channel = static_cast<std::uint32_t>(c);
        return record;
      }
    }
  }
  return std::nullopt;
}

std::optional<switchyard::MismatchRecord> compare_answers(std::uint8_t legacy, std::uint8_t rust,
                                                          std::uint32_t tolerance) {
  const std::uint32_t difference = legacy > rust ? legacy - rust : rust - legacy;
  if (difference <= tolerance) return std::nullopt;
  return with_detail(
      "levels differ: legacy " + std::to_string(legacy) + ", rust " + std::to_string(rust),
      difference);
}

}  // namespace imgkit::routing
