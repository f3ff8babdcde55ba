// imgkit — the public API.
//
// Include this header and call `imgkit::gaussian_blur(image, 2.0f)` and friends. The
// exact semantics of every function (borders, rounding, channels, errors) are written
// once, beside the legacy implementation, in imgkit/legacy/{codecs,filters,geometry,
// tone}.hpp; every implementation behind this API — legacy C++ or Rust — keeps them.
//
//   auto bytes = read_file("photo.png");
//   imgkit::Image img = imgkit::to_8bit(imgkit::decode_png(bytes));
//   img = imgkit::sobel(imgkit::gaussian_blur(img, 2.0f));
//   write_file("edges.png", imgkit::encode_png(img));
#pragma once

#include "imgkit/error.hpp"
#include "imgkit/image.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/geometry.hpp"
#include "imgkit/legacy/tone.hpp"
#include "imgkit/params.hpp"

namespace imgkit {

using legacy::Bytes;

// Codecs.
using legacy::decode_png;
using legacy::decode_pnm;
using legacy::encode_png;
using legacy::encode_pnm;

// Filters.
using legacy::box_blur;
using legacy::convolve;
using legacy::gaussian_blur;
using legacy::sobel;
using legacy::unsharp_mask;

// Geometry.
using legacy::flip;
using legacy::resize;
using legacy::rotate90;

// Tone.
using legacy::equalize;
using legacy::histogram;
using legacy::Histogram;
using legacy::otsu_level;
using legacy::otsu_threshold;
using legacy::to_grayscale;

}  // namespace imgkit
