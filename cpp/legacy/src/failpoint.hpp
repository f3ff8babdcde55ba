// The failpoint at every legacy entry point: `imgkit::legacy::<function>`.
//
// `return(arg)` makes the function throw imgkit::Error (kInternal) naming the failpoint
// and `arg`; `panic` throws switchyard::FailpointPanic; sleep and the rest run in place
// (switchyard/failpoint.hpp has the syntax). A point fires wherever its function is
// called, including from another legacy function: unsharp_mask calls gaussian_blur,
// equalize and otsu_* call histogram, otsu_* and sobel call to_grayscale.
#pragma once

#include <string>

#include "imgkit/error.hpp"
#include "switchyard/failpoint.hpp"

namespace imgkit::legacy::detail {

inline void fire(const switchyard::Failpoint& point) {
  if (auto argument = point.fire()) {
    throw Error(ErrorCategory::kInternal, std::string(point.name()) + ": injected fault" +
                                              (argument->empty() ? "" : ": " + *argument));
  }
}

}  // namespace imgkit::legacy::detail
