// imgkit::legacy geometry: resize, flip, rotate. All are exact (no tolerance) and treat
// every channel alike.
#pragma once

#include <cstdint>

#include "imgkit/image.hpp"
#include "imgkit/params.hpp"

namespace imgkit::legacy {

// Resizes to width x height (each 1..65535, else kInvalidArgument), pixel centres
// aligned: destination pixel x samples source coordinate
//   sx = (x + 0.5) * src_width / width - 0.5           (likewise y; computed in double)
// kNearest:  source pixel floor(sx + 0.5), clamped to 0..src_width - 1
//            (equivalently floor((x + 0.5) * src_width / width)).
// kBilinear: x0 = floor(sx) clamped to 0..src_width - 1, x1 = min(x0 + 1, src_width - 1),
//            fx = clamp(sx - x0, 0, 1) (likewise y); the weighted mean of the four
//            samples in double, evaluated exactly as (no fused multiply-add)
//              top    = in(x0, y0) * (1 - fx) + in(x1, y0) * fx
//              bottom = in(x0, y1) * (1 - fx) + in(x1, y1) * fx
//              value  = top * (1 - fy) + bottom * fy
//            and rounded half away from zero. No pre-filter when shrinking: shrinking
//            by more than 2x aliases, as in the original code.
Image resize(const Image& image, std::uint32_t width, std::uint32_t height, ResizeFilter filter);

// Mirrors left-right (kHorizontal) or top-bottom (kVertical).
Image flip(const Image& image, FlipAxis axis);

// Rotates clockwise by 90 degrees: out(x, y) = in(y, H - 1 - x); the output is H x W.
Image rotate90(const Image& image);

}  // namespace imgkit::legacy
