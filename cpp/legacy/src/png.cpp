// libpng reports errors by longjmp. Everything that can reach png_error runs inside
// run_libpng_step, whose frame and callees hold only trivially destructible objects, so
// the longjmp never skips a destructor. C++ objects (images, row tables, the output
// buffer) live in the callers, outside the jumped-over frames.
#include <png.h>

#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "decode_limits.hpp"
#include "failpoint.hpp"
#include "imgkit/error.hpp"
#include "imgkit/legacy/codecs.hpp"

namespace imgkit::legacy {
namespace {

const switchyard::Failpoint kDecodePngFailpoint("imgkit::legacy::decode_png");
const switchyard::Failpoint kEncodePngFailpoint("imgkit::legacy::encode_png");

constexpr std::size_t kPngSignatureSize = 8;

// Filled on the way to a longjmp, so it must not allocate: fixed buffers.
struct LibpngErrorState {
  char message[256] = {};
  // libpng often explains an error in a warning just before it, e.g. "Image width is
  // zero in IHDR" followed by the error "Invalid IHDR data".
  char last_warning[256] = {};

  std::string describe() const {
    std::string text = std::string("libpng: ") + message;
    if (last_warning[0] != '\0') {
      text += std::string("; last warning: ") + last_warning;
    }
    return text;
  }
};

struct MemorySource {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  std::size_t offset = 0;
  bool truncated = false;
  std::size_t bytes_wanted = 0;
  // Where the next chunk header starts (see check_chunk_length).
  std::size_t next_chunk = 0;
};

struct MemorySink {
  Bytes bytes;
};

void record_error_and_jump(png_structp png, png_const_charp message) {
  auto* state = static_cast<LibpngErrorState*>(png_get_error_ptr(png));
  std::snprintf(state->message, sizeof state->message, "%s", message);
  png_longjmp(png, 1);
}

// Replaces libpng's default, which prints warnings (problems it recovers from) to stderr.
void record_warning(png_structp png, png_const_charp message) {
  auto* state = static_cast<LibpngErrorState*>(png_get_error_ptr(png));
  std::snprintf(state->last_warning, sizeof state->last_warning, "%s", message);
}

// libpng allocates a buffer of a chunk's declared length before it reads the data (tEXt,
// zTXt, iTXt, iCCP, sPLT, eXIf, ...), and a length past the end of the input only makes
// it warn ("chunk data is too large"): a 60-byte file could make it allocate 2 GiB.
// libpng reads the file in order, each chunk header in one 8-byte read where the previous
// chunk's CRC ended, so the header is checked here, before libpng sees it: a chunk whose
// data and CRC would run past the end is truncated input, which libpng reports anyway
// when it reads that data, only after the allocation. IDAT is left to libpng: its data is
// streamed, never allocated whole, and png_read_info reads the first IDAT header before
// the pixel limit is checked, a check that must keep coming first.
void check_chunk_length(png_structp png, MemorySource& source, std::size_t length) {
  constexpr std::size_t kHeaderSize = 8;  // length, type
  constexpr std::size_t kCrcSize = 4;
  if (source.offset != source.next_chunk || length != kHeaderSize ||
      source.size - source.offset < kHeaderSize) {
    return;
  }
  const std::uint8_t* header = source.data + source.offset;
  const std::uint64_t declared = (std::uint64_t{header[0]} << 24) |
                                 (std::uint64_t{header[1]} << 16) |
                                 (std::uint64_t{header[2]} << 8) | std::uint64_t{header[3]};
  const std::uint64_t needed = declared + kCrcSize;
  const std::size_t available = source.size - source.offset - kHeaderSize;
  source.next_chunk = static_cast<std::size_t>(source.offset + kHeaderSize + needed);
  if (needed > available && std::memcmp(header + 4, "IDAT", 4) != 0) {
    source.truncated = true;
    source.offset += kHeaderSize;
    source.bytes_wanted = static_cast<std::size_t>(needed);
    png_error(png, "a chunk runs past the end of the input");
  }
}

void read_from_memory(png_structp png, png_bytep out, std::size_t length) {
  auto* source = static_cast<MemorySource*>(png_get_io_ptr(png));
  check_chunk_length(png, *source, length);
  if (length > source->size - source->offset) {
    source->truncated = true;
    source->bytes_wanted = length;
    png_error(png, "unexpected end of input");
  }
  std::memcpy(out, source->data + source->offset, length);
  source->offset += length;
}

void write_to_memory(png_structp png, png_bytep data, std::size_t length) {
  auto* sink = static_cast<MemorySink*>(png_get_io_ptr(png));
  bool out_of_memory = false;
  try {
    sink->bytes.insert(sink->bytes.end(), data, data + length);
  } catch (const std::bad_alloc&) {
    out_of_memory = true;
  }
  // Outside the handler: jumping out of a catch block would leak the exception.
  if (out_of_memory) {
    png_error(png, "out of memory growing the output buffer");
  }
}

void flush_nothing(png_structp) {}

using LibpngStep = void (*)(png_structp png, png_infop info, void* context);

// The only function that calls setjmp. Returns false when libpng reported an error.
bool run_libpng_step(png_structp png, png_infop info, LibpngStep step, void* context) {
  if (setjmp(png_jmpbuf(png)) != 0) {
    return false;
  }
  step(png, info, context);
  return true;
}

// ---- decoding ----------------------------------------------------------------------

// What the configured read transformations produce, per png_read_update_info.
struct DecodedLayout {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t channels = 0;
  std::uint32_t bit_depth = 0;
  std::size_t row_bytes = 0;
  int passes = 1;  // 7 for an Adam7 image: png_read_row is called passes * height times

  bool operator==(const DecodedLayout& other) const {
    return width == other.width && height == other.height && channels == other.channels &&
           bit_depth == other.bit_depth && row_bytes == other.row_bytes && passes == other.passes;
  }
  bool operator!=(const DecodedLayout& other) const { return !(*this == other); }
};

void read_header_step(png_structp png, png_infop info, void*) { png_read_info(png, info); }

// Chooses transformations that give the channel layouts listed in codecs.hpp.
void configure_transforms_step(png_structp png, png_infop info, void* context) {
  const png_byte color_type = png_get_color_type(png, info);
  const bool has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
  // Palette -> RGB, gray 1/2/4 -> 8 bit, tRNS -> alpha channel.
  png_set_expand(png);
  if ((color_type & PNG_COLOR_MASK_COLOR) == 0 &&
      ((color_type & PNG_COLOR_MASK_ALPHA) != 0 || has_trns)) {
    png_set_gray_to_rgb(png);  // imgkit has no 2-channel layout
  }
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);

  auto* layout = static_cast<DecodedLayout*>(context);
  layout->passes = passes;
  layout->width = png_get_image_width(png, info);
  layout->height = png_get_image_height(png, info);
  layout->channels = png_get_channels(png, info);
  layout->bit_depth = png_get_bit_depth(png, info);
  layout->row_bytes = png_get_rowbytes(png, info);
}

// Where the rows go: row y of the decoded image starts at first_row + y * layout.row_bytes.
struct RowDestination {
  png_bytep first_row = nullptr;
  DecodedLayout layout;
};

// png_read_image's loop (every pass, every row, libpng combining each Adam7 pass into the
// rows), without the table of height row pointers it needs: 8 bytes a row, which for a
// narrow image would cost several times the image.
void read_pixels_step(png_structp png, png_infop, void* context) {
  const auto* destination = static_cast<const RowDestination*>(context);
  const DecodedLayout& layout = destination->layout;
  for (int pass = 0; pass < layout.passes; ++pass) {
    for (std::uint32_t y = 0; y < layout.height; ++y) {
      png_read_row(png, destination->first_row + std::size_t{y} * layout.row_bytes, nullptr);
    }
  }
  png_read_end(png, nullptr);  // verifies the CRCs of the chunks after the image data
}

class PngReader {
 public:
  explicit PngReader(const Bytes& bytes) {
    source_.data = bytes.data();
    source_.size = bytes.size();
    source_.offset = kPngSignatureSize;
    source_.next_chunk = kPngSignatureSize;
    png_ = png_create_read_struct(PNG_LIBPNG_VER_STRING, &error_, record_error_and_jump,
                                  record_warning);
    if (png_ == nullptr) {
      throw Error(ErrorCategory::kInternal, "PNG: cannot create the libpng read structure");
    }
    info_ = png_create_info_struct(png_);
    if (info_ == nullptr) {
      png_destroy_read_struct(&png_, nullptr, nullptr);
      throw Error(ErrorCategory::kInternal, "PNG: cannot create the libpng info structure");
    }
    png_set_read_fn(png_, &source_, read_from_memory);
    png_set_sig_bytes(png_, static_cast<int>(kPngSignatureSize));
    // A bad CRC in an ancillary chunk would otherwise be a warning and the chunk dropped.
    png_set_crc_action(png_, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    // libpng's default caps (1M x 1M) are tighter than the PNG format; our own limits are
    // DecodeLimits::max_pixels and max_bytes.
    png_set_user_limits(png_, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  }
  ~PngReader() { png_destroy_read_struct(&png_, &info_, nullptr); }
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;

  void run(LibpngStep step, void* context) {
    if (!run_libpng_step(png_, info_, step, context)) {
      throw_failure();
    }
  }

  std::uint32_t width() const { return png_get_image_width(png_, info_); }
  std::uint32_t height() const { return png_get_image_height(png_, info_); }

  // The layout configure_transforms_step will produce (the table in codecs.hpp), known
  // from the header alone, so that the byte limit can be checked before
  // png_read_update_info allocates libpng's row buffers.
  DecodedLayout expected_layout() const {
    const png_byte color_type = png_get_color_type(png_, info_);
    const bool has_trns = png_get_valid(png_, info_, PNG_INFO_tRNS) != 0;
    DecodedLayout layout;
    layout.width = width();
    layout.height = height();
    if ((color_type & PNG_COLOR_MASK_ALPHA) != 0 || has_trns) {
      layout.channels = 4;
    } else {
      layout.channels = (color_type & PNG_COLOR_MASK_COLOR) != 0 ? 3 : 1;
    }
    layout.bit_depth = png_get_bit_depth(png_, info_) == 16 ? 16 : 8;
    layout.row_bytes = std::size_t{layout.width} * layout.channels * (layout.bit_depth / 8);
    layout.passes = png_get_interlace_type(png_, info_) == PNG_INTERLACE_ADAM7 ? 7 : 1;
    return layout;
  }

 private:
  [[noreturn]] void throw_failure() const {
    if (source_.truncated) {
      throw Error(ErrorCategory::kMalformedData,
                  "PNG: truncated data: " + std::to_string(source_.bytes_wanted) +
                      " bytes needed at offset " + std::to_string(source_.offset) + " of a " +
                      std::to_string(source_.size) + "-byte input");
    }
    throw Error(ErrorCategory::kMalformedData, "PNG: malformed data (" + error_.describe() + ")");
  }

  LibpngErrorState error_;
  MemorySource source_;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

void check_signature(const Bytes& bytes) {
  const std::size_t checked = bytes.size() < kPngSignatureSize ? bytes.size() : kPngSignatureSize;
  if (png_sig_cmp(bytes.data(), 0, checked) != 0) {
    throw Error(ErrorCategory::kMalformedData, "PNG: bad signature (not a PNG file)");
  }
  if (bytes.size() < kPngSignatureSize) {
    throw Error(ErrorCategory::kMalformedData, "PNG: truncated data: input ends inside the " +
                                                   std::to_string(kPngSignatureSize) +
                                                   "-byte signature");
  }
}

// The limits were checked against `expected`; the buffer is allocated from `layout`.
void check_layout(const DecodedLayout& layout, const DecodedLayout& expected) {
  if (layout != expected) {
    throw Error(ErrorCategory::kInternal, "PNG: libpng produced an unexpected layout (" +
                                              std::to_string(layout.channels) + " channels, " +
                                              std::to_string(layout.bit_depth) + " bits, " +
                                              std::to_string(layout.passes) + " passes; expected " +
                                              std::to_string(expected.channels) + " channels, " +
                                              std::to_string(expected.bit_depth) + " bits, " +
                                              std::to_string(expected.passes) + " passes)");
  }
}

// PNG stores 16-bit samples big-endian; libpng leaves them so unless asked to swap, and
// swapping only suits little-endian hosts. Reassembling the bytes works on any host.
void big_endian_to_native(Image16& image) {
  for (std::uint16_t& sample : image.samples()) {
    unsigned char bytes[2];
    std::memcpy(bytes, &sample, 2);
    sample = static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]);
  }
}

template <typename Sample>
Raster<Sample> read_pixels(PngReader& reader, const DecodedLayout& layout) {
  Raster<Sample> image(layout.width, layout.height, layout.channels);
  // SAFETY: libpng writes layout.row_bytes (== row_stride() * sizeof(Sample), as
  // check_layout made sure) bytes per row, height rows: exactly the raster's samples.
  RowDestination destination{reinterpret_cast<png_bytep>(image.data()), layout};
  reader.run(read_pixels_step, &destination);
  return image;
}

// ---- encoding ----------------------------------------------------------------------

struct EncodeJob {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  int color_type = 0;
  int bit_depth = 0;
  std::size_t row_samples = 0;
  const std::uint8_t* samples8 = nullptr;
  const std::uint16_t* samples16 = nullptr;
  png_bytep big_endian_row = nullptr;  // scratch of row_samples * 2 bytes for 16-bit
};

const png_byte* prepare_row(const EncodeJob& job, std::uint32_t y) {
  const std::size_t start = std::size_t{y} * job.row_samples;
  if (job.bit_depth == 8) {
    return job.samples8 + start;
  }
  for (std::size_t i = 0; i < job.row_samples; ++i) {
    const std::uint16_t sample = job.samples16[start + i];
    job.big_endian_row[2 * i] = static_cast<png_byte>(sample >> 8);
    job.big_endian_row[2 * i + 1] = static_cast<png_byte>(sample & 0xff);
  }
  return job.big_endian_row;
}

void write_image_step(png_structp png, png_infop info, void* context) {
  const auto* job = static_cast<const EncodeJob*>(context);
  png_set_IHDR(png, info, job->width, job->height, job->bit_depth, job->color_type,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (std::uint32_t y = 0; y < job->height; ++y) {
    png_write_row(png, prepare_row(*job, y));
  }
  png_write_end(png, info);
}

class PngWriter {
 public:
  PngWriter() {
    png_ = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error_, record_error_and_jump,
                                   record_warning);
    if (png_ == nullptr) {
      throw Error(ErrorCategory::kInternal, "PNG: cannot create the libpng write structure");
    }
    info_ = png_create_info_struct(png_);
    if (info_ == nullptr) {
      png_destroy_write_struct(&png_, nullptr);
      throw Error(ErrorCategory::kInternal, "PNG: cannot create the libpng info structure");
    }
    png_set_write_fn(png_, &sink_, write_to_memory, flush_nothing);
    // The default caps would refuse images wider or taller than 1M pixels.
    png_set_user_limits(png_, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  }
  ~PngWriter() { png_destroy_write_struct(&png_, &info_); }
  PngWriter(const PngWriter&) = delete;
  PngWriter& operator=(const PngWriter&) = delete;

  Bytes write(EncodeJob job) {
    if (!run_libpng_step(png_, info_, write_image_step, &job)) {
      throw Error(ErrorCategory::kInternal, "PNG: encoding failed (" + error_.describe() + ")");
    }
    return std::move(sink_.bytes);
  }

 private:
  LibpngErrorState error_;
  MemorySink sink_;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

int color_type_for(std::uint32_t channels) {
  switch (channels) {
    case 1:
      return PNG_COLOR_TYPE_GRAY;
    case 3:
      return PNG_COLOR_TYPE_RGB;
    default:
      return PNG_COLOR_TYPE_RGB_ALPHA;
  }
}

template <typename Sample>
Bytes encode_raster(const Raster<Sample>& image) {
  if (image.width() > PNG_UINT_31_MAX || image.height() > PNG_UINT_31_MAX) {
    throw Error(ErrorCategory::kUnsupported,
                "PNG: " + std::to_string(image.width()) + "x" + std::to_string(image.height()) +
                    " exceeds the PNG maximum dimension " + std::to_string(PNG_UINT_31_MAX));
  }
  EncodeJob job;
  job.width = image.width();
  job.height = image.height();
  job.color_type = color_type_for(image.channels());
  job.bit_depth = static_cast<int>(sizeof(Sample) * 8);
  job.row_samples = image.row_stride();
  std::vector<png_byte> big_endian_row;
  if constexpr (sizeof(Sample) == 1) {
    job.samples8 = image.data();
  } else {
    job.samples16 = image.data();
    big_endian_row.resize(job.row_samples * 2);
    job.big_endian_row = big_endian_row.data();
  }
  PngWriter writer;
  return writer.write(job);
}

}  // namespace

DecodedImage decode_png(const Bytes& bytes, const DecodeLimits& limits) {
  detail::fire(kDecodePngFailpoint);
  if (bytes.empty()) {
    throw Error(ErrorCategory::kInvalidArgument, "PNG: empty input");
  }
  check_signature(bytes);
  PngReader reader(bytes);
  reader.run(read_header_step, nullptr);
  // Before png_read_update_info, which already allocates libpng's row buffers.
  detail::check_pixel_limit("PNG", reader.width(), reader.height(), limits);
  const DecodedLayout expected = reader.expected_layout();
  detail::check_byte_limit("PNG", expected.width, expected.height, expected.channels,
                           expected.bit_depth, limits);
  DecodedLayout layout;
  reader.run(configure_transforms_step, &layout);
  check_layout(layout, expected);
  if (layout.bit_depth == 16) {
    Image16 image = read_pixels<std::uint16_t>(reader, layout);
    big_endian_to_native(image);
    return image;
  }
  return read_pixels<std::uint8_t>(reader, layout);
}

Bytes encode_png(const Image& image) {
  detail::fire(kEncodePngFailpoint);
  return encode_raster(image);
}

Bytes encode_png(const Image16& image) {
  detail::fire(kEncodePngFailpoint);
  return encode_raster(image);
}

}  // namespace imgkit::legacy
