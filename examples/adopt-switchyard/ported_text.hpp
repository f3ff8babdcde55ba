// textkit::port — the new implementation of each legacy function, the side switchyard
// calls "rust" (in this example it is C++ too: what is adopted here is the runtime, and
// the runtime only sees a callable that answers or fails).
//
// Known behaviour differences from textkit::legacy, which shadow mode measures:
//   * normalize_whitespace reads UTF-8 and collapses Unicode white space too (U+00A0
//     no-break space, U+2000..U+200A, U+3000, ...); legacy collapses ASCII white space only.
//   * normalize_whitespace rejects invalid UTF-8 (throws std::invalid_argument); legacy
//     passes any bytes through.
//
// Each function has a failpoint, textkit::port::<function>, so a failing port can be
// rehearsed from the config file ([failpoints] "textkit::port::adler32" = "panic"):
// `return(msg)` throws std::runtime_error, `return(corrupt)` answers wrongly, `panic`
// throws switchyard::FailpointPanic.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace textkit::port {

std::string normalize_whitespace(std::string_view text);
std::uint32_t adler32(std::string_view bytes);

}  // namespace textkit::port
