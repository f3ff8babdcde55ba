// The one place that knows imgkit's component names: the switchyard catalog every
// facade routes through, and what each component's Rust port and comparison are.
#pragma once

#include "switchyard/catalog.hpp"

namespace imgkit::routing {

// In catalog order; the value is the switchyard::ComponentId.
enum class Component : switchyard::ComponentId {
  kDecodePnm,
  kEncodePnm,
  kDecodePng,
  kEncodePng,
  kConvolve,
  kGaussianBlur,
  kBoxBlur,
  kSobel,
  kUnsharpMask,
  kResize,
  kFlip,
  kRotate90,
  kToGrayscale,
  kHistogram,
  kEqualize,
  kOtsuLevel,
  kOtsuThreshold,
};

constexpr switchyard::ComponentId id(Component component) noexcept {
  return static_cast<switchyard::ComponentId>(component);
}

const switchyard::Catalog& catalog();

}  // namespace imgkit::routing
