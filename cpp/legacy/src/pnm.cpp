#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "decode_limits.hpp"
#include "failpoint.hpp"
#include "imgkit/error.hpp"
#include "imgkit/legacy/codecs.hpp"

namespace imgkit::legacy {
namespace {

const switchyard::Failpoint kDecodePnmFailpoint("imgkit::legacy::decode_pnm");
const switchyard::Failpoint kEncodePnmFailpoint("imgkit::legacy::encode_pnm");

constexpr std::uint64_t kMaxMaxval = 65535;
constexpr std::uint64_t kMaxDimension = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kMaxPlainLineLength = 70;

[[noreturn]] void throw_malformed(const std::string& message) {
  throw Error(ErrorCategory::kMalformedData, "PNM: " + message);
}

bool is_pnm_whitespace(std::uint8_t byte) {
  return byte == ' ' || byte == '\t' || byte == '\n' || byte == '\v' || byte == '\f' ||
         byte == '\r';
}

bool is_line_end(std::uint8_t byte) { return byte == '\n' || byte == '\r'; }

bool is_digit(std::uint8_t byte) { return byte >= '0' && byte <= '9'; }

std::string describe_byte(std::uint8_t byte) {
  if (byte >= 0x21 && byte <= 0x7e) {
    return std::string("'") + static_cast<char>(byte) + "'";
  }
  return "byte " + std::to_string(byte);
}

// Walks the encoded file. Plain rasters and the header share one tokenizer so that
// comments are accepted in exactly the same places in both.
class PnmCursor {
 public:
  explicit PnmCursor(const Bytes& bytes) : bytes_(bytes) {}

  std::size_t position() const { return position_; }
  std::size_t remaining() const { return bytes_.size() - position_; }
  const std::uint8_t* current() const { return bytes_.data() + position_; }

  void skip_bytes(std::size_t count) { position_ += count; }

  // A comment counts as whitespace; it ends with its line terminator, which it consumes.
  void skip_comment() {
    while (position_ < bytes_.size() && !is_line_end(bytes_[position_])) {
      ++position_;
    }
    if (position_ < bytes_.size()) {
      ++position_;
    }
  }

  void skip_separators() {
    while (position_ < bytes_.size()) {
      if (bytes_[position_] == '#') {
        skip_comment();
      } else if (is_pnm_whitespace(bytes_[position_])) {
        ++position_;
      } else {
        return;
      }
    }
  }

  // Returns nullopt when the data ends before a number starts. Values too large for
  // uint64 saturate; every caller range-checks what it gets.
  std::optional<std::uint64_t> read_decimal(const char* field) {
    skip_separators();
    if (position_ == bytes_.size()) {
      return std::nullopt;
    }
    if (!is_digit(bytes_[position_])) {
      throw_malformed(std::string("expected a decimal ") + field + ", found " +
                      describe_byte(bytes_[position_]));
    }
    std::uint64_t value = 0;
    constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();
    while (position_ < bytes_.size() && is_digit(bytes_[position_])) {
      const std::uint64_t digit = bytes_[position_] - '0';
      value = value > (kSaturated - digit) / 10 ? kSaturated : value * 10 + digit;
      ++position_;
    }
    if (position_ < bytes_.size() && !is_pnm_whitespace(bytes_[position_]) &&
        bytes_[position_] != '#') {
      throw_malformed(std::string("unexpected ") + describe_byte(bytes_[position_]) + " after " +
                      field);
    }
    return value;
  }

  // The single whitespace byte that separates maxval from a binary raster; a comment in
  // its place ends with its line terminator, which then serves as that byte.
  void skip_raster_separator() {
    if (position_ == bytes_.size()) {
      throw_malformed("truncated header: no whitespace after maxval");
    }
    if (bytes_[position_] == '#') {
      skip_comment();
    } else {
      ++position_;
    }
  }

 private:
  const Bytes& bytes_;
  std::size_t position_ = 0;
};

struct PnmHeader {
  char format = '\0';  // the digit after 'P'
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t maxval = 0;

  bool is_plain() const { return format == '2' || format == '3'; }
  std::uint32_t channels() const { return format == '3' || format == '6' ? 3 : 1; }
};

char read_magic(const Bytes& bytes) {
  if (bytes[0] != 'P') {
    throw_malformed("bad magic number: file starts with " + describe_byte(bytes[0]) + ", not 'P'");
  }
  if (bytes.size() < 2) {
    throw_malformed("truncated header: magic number cut off");
  }
  const auto format = static_cast<char>(bytes[1]);
  switch (format) {
    case '2':
    case '3':
    case '5':
    case '6':
      break;
    case '1':
    case '4':
      throw Error(ErrorCategory::kUnsupported,
                  std::string("PNM: P") + format + " (bitmap) is not supported");
    case '7':
      throw Error(ErrorCategory::kUnsupported, "PNM: P7 (PAM) is not supported");
    default:
      throw_malformed("bad magic number P" + describe_byte(bytes[1]));
  }
  if (bytes.size() > 2 && !is_pnm_whitespace(bytes[2]) && bytes[2] != '#') {
    throw_malformed(std::string("unexpected ") + describe_byte(bytes[2]) + " after P" + format);
  }
  return format;
}

std::uint64_t read_header_field(PnmCursor& cursor, const char* field) {
  const std::optional<std::uint64_t> value = cursor.read_decimal(field);
  if (!value) {
    throw_malformed(std::string("truncated header: missing ") + field);
  }
  return *value;
}

std::uint32_t read_dimension(PnmCursor& cursor, const char* field) {
  const std::uint64_t value = read_header_field(cursor, field);
  if (value == 0) {
    throw_malformed(std::string(field) + " 0 must be at least 1");
  }
  if (value > kMaxDimension) {
    throw Error(ErrorCategory::kLimitExceeded, "PNM: " + std::string(field) + " " +
                                                   std::to_string(value) + " exceeds " +
                                                   std::to_string(kMaxDimension));
  }
  return static_cast<std::uint32_t>(value);
}

PnmHeader read_header(PnmCursor& cursor, const Bytes& bytes, const DecodeLimits& limits) {
  PnmHeader header;
  header.format = read_magic(bytes);
  cursor.skip_bytes(2);
  header.width = read_dimension(cursor, "width");
  header.height = read_dimension(cursor, "height");
  detail::check_pixel_limit("PNM", header.width, header.height, limits);
  const std::uint64_t maxval = read_header_field(cursor, "maxval");
  if (maxval < 1 || maxval > kMaxMaxval) {
    throw_malformed("maxval " + std::to_string(maxval) + " out of range 1..65535");
  }
  header.maxval = static_cast<std::uint32_t>(maxval);
  // Before the "file too short" check, so that the verdict on a header does not depend
  // on how much of the raster came with it.
  detail::check_byte_limit("PNM", header.width, header.height, header.channels(),
                           header.maxval <= 255 ? 8 : 16, limits);
  return header;
}

// Maps file samples onto the full range of the output sample type (see codecs.hpp).
class SampleScaler {
 public:
  explicit SampleScaler(std::uint32_t maxval)
      : maxval_(maxval), full_scale_(maxval <= 255 ? 255 : 65535) {}

  std::uint32_t scale(std::uint64_t value, std::size_t index) const {
    if (value > maxval_) {
      throw_malformed("sample " + std::to_string(value) + " at index " + std::to_string(index) +
                      " exceeds maxval " + std::to_string(maxval_));
    }
    if (maxval_ == full_scale_) {
      return static_cast<std::uint32_t>(value);
    }
    return static_cast<std::uint32_t>((value * full_scale_ + maxval_ / 2) / maxval_);
  }

 private:
  std::uint32_t maxval_;
  std::uint32_t full_scale_;
};

template <typename Sample>
Raster<Sample> read_binary_raster(PnmCursor& cursor, const PnmHeader& header) {
  const std::size_t bytes_per_sample = header.maxval < 256 ? 1 : 2;
  const std::uint64_t samples = std::uint64_t{header.width} * header.height * header.channels();
  // Checked before allocating so a tiny file cannot make us reserve a huge raster.
  if (samples > cursor.remaining() / bytes_per_sample) {
    throw_malformed("truncated raster: expected " + std::to_string(samples * bytes_per_sample) +
                    " bytes, found " + std::to_string(cursor.remaining()));
  }
  Raster<Sample> image(header.width, header.height, header.channels());
  const SampleScaler scaler(header.maxval);
  const std::uint8_t* in = cursor.current();
  Sample* out = image.data();
  for (std::size_t i = 0; i < image.size(); ++i) {
    const std::uint32_t value =
        bytes_per_sample == 1 ? in[i] : (std::uint32_t{in[2 * i]} << 8) | in[2 * i + 1];
    out[i] = static_cast<Sample>(scaler.scale(value, i));
  }
  return image;
}

template <typename Sample>
Raster<Sample> read_plain_raster(PnmCursor& cursor, const PnmHeader& header) {
  const std::uint64_t samples = std::uint64_t{header.width} * header.height * header.channels();
  // Every sample takes at least one byte: a cheap bound that keeps a tiny file from
  // making us reserve a huge raster.
  if (samples > cursor.remaining()) {
    throw_malformed("truncated raster: expected " + std::to_string(samples) +
                    " samples, but only " + std::to_string(cursor.remaining()) + " bytes remain");
  }
  Raster<Sample> image(header.width, header.height, header.channels());
  const SampleScaler scaler(header.maxval);
  Sample* out = image.data();
  for (std::size_t i = 0; i < image.size(); ++i) {
    const std::optional<std::uint64_t> value = cursor.read_decimal("sample");
    if (!value) {
      throw_malformed("truncated raster: expected " + std::to_string(image.size()) +
                      " samples, found " + std::to_string(i));
    }
    out[i] = static_cast<Sample>(scaler.scale(*value, i));
  }
  return image;
}

template <typename Sample>
Raster<Sample> read_raster(PnmCursor& cursor, const PnmHeader& header) {
  if (header.is_plain()) {
    return read_plain_raster<Sample>(cursor, header);
  }
  cursor.skip_raster_separator();
  return read_binary_raster<Sample>(cursor, header);
}

void append_text(Bytes& out, const std::string& text) {
  out.insert(out.end(), text.begin(), text.end());
}

template <typename Sample>
void append_plain_raster(Bytes& out, const Raster<Sample>& image) {
  const std::size_t row_stride = image.row_stride();
  for (std::size_t row_start = 0; row_start < image.size(); row_start += row_stride) {
    std::size_t line_length = 0;
    for (std::size_t i = row_start; i < row_start + row_stride; ++i) {
      const std::string sample = std::to_string(image.data()[i]);
      if (line_length > 0 && line_length + 1 + sample.size() > kMaxPlainLineLength) {
        out.push_back('\n');
        line_length = 0;
      }
      if (line_length > 0) {
        out.push_back(' ');
        ++line_length;
      }
      append_text(out, sample);
      line_length += sample.size();
    }
    out.push_back('\n');
  }
}

template <typename Sample>
void append_binary_raster(Bytes& out, const Raster<Sample>& image) {
  if constexpr (sizeof(Sample) == 1) {
    out.insert(out.end(), image.samples().begin(), image.samples().end());
  } else {
    out.reserve(out.size() + image.size() * 2);
    for (const Sample sample : image.samples()) {
      out.push_back(static_cast<std::uint8_t>(sample >> 8));
      out.push_back(static_cast<std::uint8_t>(sample & 0xff));
    }
  }
}

template <typename Sample>
Bytes encode_raster(const Raster<Sample>& image, PnmEncoding encoding) {
  if (image.channels() != 1 && image.channels() != 3) {
    throw Error(ErrorCategory::kUnsupported,
                "PNM: cannot encode a " + std::to_string(image.channels()) +
                    "-channel image (PNM has no alpha; drop it first)");
  }
  const bool plain = encoding == PnmEncoding::kPlain;
  const char format = image.channels() == 1 ? (plain ? '2' : '5') : (plain ? '3' : '6');
  const unsigned maxval = sizeof(Sample) == 1 ? 255 : 65535;
  Bytes out;
  append_text(out, std::string("P") + format + "\n" + std::to_string(image.width()) + " " +
                       std::to_string(image.height()) + "\n" + std::to_string(maxval) + "\n");
  if (plain) {
    append_plain_raster(out, image);
  } else {
    append_binary_raster(out, image);
  }
  return out;
}

}  // namespace

DecodedImage decode_pnm(const Bytes& bytes, const DecodeLimits& limits) {
  detail::fire(kDecodePnmFailpoint);
  if (bytes.empty()) {
    throw Error(ErrorCategory::kInvalidArgument, "PNM: empty input");
  }
  PnmCursor cursor(bytes);
  const PnmHeader header = read_header(cursor, bytes, limits);
  if (header.maxval <= 255) {
    return read_raster<std::uint8_t>(cursor, header);
  }
  return read_raster<std::uint16_t>(cursor, header);
}

Bytes encode_pnm(const Image& image, PnmEncoding encoding) {
  detail::fire(kEncodePnmFailpoint);
  return encode_raster(image, encoding);
}

Bytes encode_pnm(const Image16& image, PnmEncoding encoding) {
  detail::fire(kEncodePnmFailpoint);
  return encode_raster(image, encoding);
}

}  // namespace imgkit::legacy
