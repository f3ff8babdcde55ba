//! Pure-Rust ports of imgkit's codecs: PNM ([`pnm`]) in safe Rust and PNG ([`png`])
//! through the `png` crate.
//!
//! Each function mirrors one function of `imgkit::legacy` (see
//! `cpp/legacy/include/imgkit/legacy/codecs.hpp` for the exact semantics) and names it in
//! its doc comment. Decoders are two-step, so that the caller owns the pixel buffer:
//! `read_header` validates the header and the pixel limit and says what buffer the image
//! needs ([`Header`]); `decode_into` fills a buffer of exactly that size.
//!
//! The crate knows nothing of FFI.

mod error;
mod header;
pub mod png;
pub mod pnm;

pub use error::{CodecError, ErrorCategory};
pub use header::{Depth, Header, Limits, DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS};
