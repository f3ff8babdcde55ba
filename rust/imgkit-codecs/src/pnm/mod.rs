//! The PNM (netpbm) codec in safe Rust: P2, P3, P5 and P6, maxval 1..65535.
//!
//! Mirrors `imgkit::legacy::decode_pnm` and `imgkit::legacy::encode_pnm` (spec:
//! `cpp/legacy/include/imgkit/legacy/codecs.hpp`, code: `cpp/legacy/src/pnm.cpp`). The
//! decoder makes the same checks in the same order as legacy, so every input that legacy
//! rejects is rejected here with the same [`ErrorCategory`], and every input it accepts
//! decodes to the same samples; the encoders write the same bytes.
//!
//! Decoding is two-step so that the caller owns the pixel buffer:
//!
//! ```
//! use imgkit_codecs::{pnm, Depth, Limits};
//!
//! let bytes = b"P2 3 1 15 0 7 15";
//! let header = pnm::read_header(bytes, Limits::default()).unwrap();
//! assert_eq!((header.width, header.height, header.channels), (3, 1, 1));
//! assert_eq!(header.depth, Depth::Eight);
//! let mut samples = vec![0u8; header.sample_count()];
//! pnm::decode_into_u8(bytes, Limits::default(), &mut samples).unwrap();
//! assert_eq!(samples, [0, 119, 255]);
//! assert_eq!(pnm::encode_u8(&samples, 3, 1, 1, true).unwrap(), b"P2\n3 1\n255\n0 119 255\n");
//! ```
//!
//! The code: `cursor` walks the file (tokens, comments), `header` reads the header and
//! locates the raster, `decode` fills the caller's buffer, `encode` writes files.

mod cursor;
mod decode;
mod encode;
mod header;

use std::fmt;

use crate::error::{CodecError, ErrorCategory};

pub use decode::{decode_into_u16, decode_into_u8, read_header};
pub use encode::{encode_u16, encode_u16_into, encode_u8, encode_u8_into, encoded_len_bound};

/// An error whose message starts with "PNM: ". Cold and out of line, so that the checks
/// on the happy path stay small enough to inline.
#[cold]
#[inline(never)]
pub(super) fn fail(category: ErrorCategory, message: fmt::Arguments<'_>) -> CodecError {
    CodecError::new(category, format!("PNM: {message}"))
}

pub(super) fn malformed(message: fmt::Arguments<'_>) -> CodecError {
    fail(ErrorCategory::MalformedData, message)
}
