//! Pure-Rust ports of imgkit's kernels.
//!
//! Each function mirrors one function of the legacy C++ library (`imgkit::legacy`, see
//! `cpp/legacy/include/imgkit/legacy/*.hpp` for the exact semantics) and names it in its
//! doc comment. The crate knows nothing of FFI: callers hand in borrowed sample buffers
//! ([`ImageView`], [`ImageViewMut`]) and get a [`KernelError`] for bad arguments.
//!
//! ```
//! use imgkit_kernels::{gaussian_blur, ImageView, ImageViewMut};
//!
//! let src = vec![0u8; 8 * 4 * 3];
//! let mut dst = vec![0u8; src.len()];
//! gaussian_blur(
//!     ImageView::new(&src, 8, 4, 3).unwrap(),
//!     2.0,
//!     ImageViewMut::new(&mut dst, 8, 4, 3).unwrap(),
//! )
//! .unwrap();
//! ```

mod bands;
mod error;
mod filters;
mod geometry;
mod image;
mod sampling;
pub mod simd;
#[cfg(test)]
mod test_support;
mod tone;

pub use error::KernelError;
pub use filters::*;
pub use geometry::*;
pub use image::{ImageView, ImageViewMut, Shape};
pub use tone::*;
