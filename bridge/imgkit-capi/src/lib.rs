//! imgkit's C ABI in pure Rust: `libimgkit_rs.so`, and the source of `imgkit.h`.
//!
//! cbindgen reads this crate and writes the header (see `build.rs`); the C++ library
//! `libimgkit.so` (cpp/capi) implements the same header over the routed facades, so a
//! program switches between the two by changing one path. The conventions every export
//! keeps (argument order and checks, statuses, ownership) are written once, in the
//! header's preamble (`cbindgen.toml`).
//!
//! Each export is a thin shell: [`call::guarded`] catches panics and records the
//! thread's last error, [`args`] turns the caller's pointers into checked slices, and the
//! kernel or codec does the work. No C++ is linked: the kernels come from
//! `imgkit-kernels`, the codecs from `imgkit-codecs`.
//!
//! Failpoints: with the `failpoints` feature (the default), every export evaluates
//! `imgkit::<component>`, configured from `$FAILPOINTS` on the first call
//! (`FAILPOINTS="imgkit::sobel=panic"`): `panic` comes back as [`IMGKIT_ERR_INTERNAL`],
//! `return` as [`IMGKIT_ERR_INTERNAL`] with the given message.

#![allow(non_camel_case_types)]

mod args;
mod call;
mod codecs;
mod filters;
mod geometry;
mod tone;

use std::ffi::{c_char, c_int, CStr};

pub use codecs::*;
pub use filters::*;
pub use geometry::*;
pub use tone::*;

/// Success.
pub const IMGKIT_OK: c_int = 0;
/// An argument is outside its documented domain (a null pointer, a zero size, an
/// overlapping output, a parameter out of range).
pub const IMGKIT_ERR_INVALID_ARGUMENT: c_int = 1;
/// Encoded input is truncated, corrupt or not the claimed format.
pub const IMGKIT_ERR_MALFORMED_DATA: c_int = 2;
/// Valid input using a feature imgkit does not implement.
pub const IMGKIT_ERR_UNSUPPORTED: c_int = 3;
/// The input would need more than the limits allow (sizes overflowing, a decoded image
/// over 100 megapixels or 512 MiB).
pub const IMGKIT_ERR_LIMIT_EXCEEDED: c_int = 4;
/// A bug or an environment failure (out of memory, a panic, an injected fault).
pub const IMGKIT_ERR_INTERNAL: c_int = 5;

/// `imgkit_resize`'s `filter`: the nearest source pixel.
pub const IMGKIT_RESIZE_NEAREST: u32 = 0;
/// `imgkit_resize`'s `filter`: the weighted mean of the four nearest source pixels.
pub const IMGKIT_RESIZE_BILINEAR: u32 = 1;
/// `imgkit_flip`'s `axis`: left-right.
pub const IMGKIT_FLIP_HORIZONTAL: u32 = 0;
/// `imgkit_flip`'s `axis`: top-bottom.
pub const IMGKIT_FLIP_VERTICAL: u32 = 1;

/// A decoded image the library allocated: release it with `imgkit_image_release`. Also
/// how the caller hands an image to the encoders (then the caller owns it).
#[repr(C)]
#[derive(Debug)]
pub struct imgkit_image {
    /// The samples: `width * height * channels` of them, each 1 byte (`bits_per_sample`
    /// 8) or 2 bytes in the machine's byte order (16), row-major, interleaved.
    pub data: *mut u8,
    /// Bytes at `data`: `width * height * channels * bits_per_sample / 8`.
    pub len: usize,
    pub width: u32,
    pub height: u32,
    /// 1 (gray), 3 (RGB) or 4 (RGBA).
    pub channels: u32,
    /// 8 or 16.
    pub bits_per_sample: u32,
}

/// Encoded bytes the library allocated: release them with `imgkit_buffer_release`.
#[repr(C)]
#[derive(Debug)]
pub struct imgkit_buffer {
    pub data: *mut u8,
    pub len: usize,
}

/// The project's version, as `CMakeLists.txt` and `Cargo.toml` give it.
const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version has no NUL"),
    };

/// The library's version, "major.minor.patch" (static storage); both libraries of one
/// release return the same.
#[no_mangle]
pub extern "C" fn imgkit_version() -> *const c_char {
    VERSION.as_ptr()
}

/// Which implementation this library is: "rust" here, "c++" in `libimgkit.so` (static
/// storage). For logs and tests; callers never need to branch on it.
#[no_mangle]
pub extern "C" fn imgkit_implementation() -> *const c_char {
    c"rust".as_ptr()
}

/// A status's name: "ok", "invalid argument", "malformed data", "unsupported",
/// "limit exceeded", "internal error", or "unknown status" (static storage).
#[no_mangle]
pub extern "C" fn imgkit_status_message(status: c_int) -> *const c_char {
    status_message(status).as_ptr()
}

fn status_message(status: c_int) -> &'static CStr {
    match status {
        IMGKIT_OK => c"ok",
        IMGKIT_ERR_INVALID_ARGUMENT => c"invalid argument",
        IMGKIT_ERR_MALFORMED_DATA => c"malformed data",
        IMGKIT_ERR_UNSUPPORTED => c"unsupported",
        IMGKIT_ERR_LIMIT_EXCEEDED => c"limit exceeded",
        IMGKIT_ERR_INTERNAL => c"internal error",
        _ => c"unknown status",
    }
}

/// What went wrong in the calling thread's last call that failed, e.g. "gaussian_blur:
/// sigma must be in (0, 100], got -1"; "" when no call on this thread has failed. Valid
/// until this thread's next imgkit call. The wording may differ between the two
/// libraries; the status does not.
#[no_mangle]
pub extern "C" fn imgkit_last_error() -> *const c_char {
    call::last_error()
}

#[cfg(test)]
mod header;
