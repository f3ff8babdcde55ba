// A test image offered to the component list the way the parity runner offers a file:
// as a routing::Sample (cpp/imgkit/src/port.hpp), one of four kinds, holding only what
// the port reading it needs (a decoder the file of its format, an encoder the decoded
// image, an operation the 8-bit image).
#pragma once

#include <algorithm>
#include <optional>
#include <string_view>

#include "components.hpp"
#include "imgkit/image.hpp"
#include "imgkit/legacy/codecs.hpp"

namespace imgkit::testing {

// PNM has no alpha: the image a PNM sample holds (alpha dropped, gray kept).
inline Image without_alpha(const Image& image) {
  if (image.channels() != 4) return image;
  Image rgb(image.width(), image.height(), 3);
  for (std::size_t p = 0; p < image.pixel_count(); ++p) {
    std::copy_n(image.data() + p * 4, 3, rgb.data() + p * 3);
  }
  return rgb;
}

// The files a test image is offered as. Operations read the 8-bit PNG sample only (the
// others hold the same pixels); decoders the samples of their format; encoders all four.
enum class SampleKind {
  kPng8,        // the image as an 8-bit PNG
  kPnm8,        // the image without alpha, as binary 8-bit PNM
  kPng16,       // the image at 16 bits, as PNG
  kPnm16Plain,  // the image without alpha at 16 bits, as plain-text PNM
};

inline constexpr SampleKind kSampleKinds[] = {SampleKind::kPng8, SampleKind::kPnm8,
                                              SampleKind::kPng16, SampleKind::kPnm16Plain};

inline std::string_view name_of(SampleKind kind) {
  switch (kind) {
    case SampleKind::kPng8:
      return "png8";
    case SampleKind::kPnm8:
      return "pnm8";
    case SampleKind::kPng16:
      return "png16";
    case SampleKind::kPnm16Plain:
      return "pnm16_plain";
  }
  return "?";
}

class TestSample {
 public:
  TestSample(const Image& image, SampleKind kind, routing::Reads reads) {
    const bool png = kind == SampleKind::kPng8 || kind == SampleKind::kPng16;
    view_.format = png ? routing::FileFormat::kPng : routing::FileFormat::kPnm;
    switch (reads) {
      case routing::Reads::kFile:
        file_ = std::visit(
            [&](const auto& raster) {
              if (png) return legacy::encode_png(raster);
              return legacy::encode_pnm(raster, kind == SampleKind::kPnm16Plain
                                                    ? PnmEncoding::kPlain
                                                    : PnmEncoding::kBinary);
            },
            decoded_of(image, kind));
        view_.file = &*file_;
        break;
      case routing::Reads::kDecodedImage:
        decoded_ = decoded_of(image, kind);
        view_.decoded = &*decoded_;
        break;
      case routing::Reads::kImage:
        if (kind == SampleKind::kPng8) view_.image = &image;
        break;
    }
  }
  TestSample(const TestSample&) = delete;
  TestSample& operator=(const TestSample&) = delete;

  const routing::Sample& view() const { return view_; }

 private:
  // What a file of this kind holds.
  static DecodedImage decoded_of(const Image& image, SampleKind kind) {
    switch (kind) {
      case SampleKind::kPng8:
        return image;
      case SampleKind::kPnm8:
        return without_alpha(image);
      case SampleKind::kPng16:
        return to_16bit(image);
      case SampleKind::kPnm16Plain:
        break;
    }
    return to_16bit(without_alpha(image));
  }

  std::optional<legacy::Bytes> file_;
  std::optional<DecodedImage> decoded_;
  routing::Sample view_{routing::FileFormat::kPng};
};

}  // namespace imgkit::testing
