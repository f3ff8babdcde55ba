//! The C++ <-> Rust boundary of imgkit: the one staticlib every C++ binary links.
//!
//! Only this crate knows about cxx, `unsafe` and panics crossing a language boundary
//! (DESIGN invariant 3). Each bridged function:
//!
//! 1. checks its arguments and borrows the caller's buffers (C++ owns them);
//! 2. runs the kernel from `imgkit-kernels` inside [`status::guarded`], which catches
//!    any panic so that nothing unwinds into C++ (DESIGN invariant 2);
//! 3. returns a [`status::ffi::KernelStatus`] — a code plus a message — never a
//!    `Result`, so C++ needs no exceptions to read it.
//!
//! Every entry but `read_header`, `default_decode_limits` and `check_resize_target` starts
//! at its component's failpoint (`imgkit::<component>`, see `faults`), free until
//! configured; C++ declares its catalog's components ([`declare_component_failpoint`]),
//! then configures those and the finer ones inside the kernels and codecs through
//! [`configure_failpoint`].
//!
//! Bridge modules are short manifests: shared types, `extern "Rust"`, `extern "C++"`.

mod codecs;
mod faults;
mod filters;
mod geometry;
mod status;
mod tone;

pub use status::ffi::{ErrorCategory, ImageShape, KernelStatus, StatusCode};
pub use status::{
    configure_failpoint, declare_component_failpoint, failpoint_names, failpoints_compiled_in,
    kernel_simd_level, remove_all_failpoints, remove_failpoint,
};

/// The Rust entry points, for Rust callers and tests; C++ reaches the same functions
/// through the generated headers. Every public item of a bridge module is one of them (or
/// a type they take), so a new entry needs no line here.
pub mod entry {
    pub use crate::codecs::*;
    pub use crate::filters::*;
    pub use crate::geometry::*;
    pub use crate::status::ffi::ImageShape;
    pub use crate::tone::*;
}
