//! Linear filters: [`convolve`] and the separable [`gaussian_blur`].
//!
//! Both reduce to one inner loop, [`correlate_row`] (and its several-rows-at-once form
//! [`correlate_rows`] for the Gaussian's vertical pass): every output sample of a row is
//! a sum of `weight * input` over a list of taps, accumulated in `f32` in tap order —
//! the order `imgkit::legacy` sums in, so results match it bit for bit unless the C++
//! compiler reorders or fuses its float arithmetic. Borders never reach that loop: rows
//! are padded with their edge pixels first and row indices are clamped, so the loop is a
//! straight run over equal-length slices that the compiler vectorises.
//!
//! The band bodies are compiled several times with `multiversion` (AVX-512, AVX2 and
//! the target's baseline) and the best one the CPU supports is picked at run time; the
//! loops are always inlined into them so that they are vectorised for that instruction
//! set. Only the block sizes differ between the versions, never the arithmetic: Rust
//! does not contract `a * b + c` into a fused multiply-add even where the target has
//! FMA, so every product is rounded before it is added, as legacy specifies.
//!
//! Work is split into bands of output rows. A band is computed the same way whether it
//! runs on the calling thread or on a rayon worker, so the parallel result is identical
//! to the sequential one; small images stay on the calling thread, where a fork-join
//! would cost more than it saves.

mod box_blur;
mod convolve;
mod correlate;
mod gaussian;
mod median_blur;
mod sobel;
mod unsharp_mask;

pub use box_blur::*;
pub use convolve::convolve;
pub use gaussian::{gaussian_blur, gaussian_radius, gaussian_weights};
pub use median_blur::*;
pub use sobel::*;
pub use unsharp_mask::*;

pub(crate) use correlate::{correlate_row, correlate_rows, Tap};

/// A dense correlation kernel: `width` x `height` weights, row-major, anchored at the
/// centre. The Rust counterpart of `imgkit::Kernel`, borrowing its weights.
#[derive(Debug, Clone, Copy)]
pub struct Kernel<'a> {
    /// Columns; must be odd and in 1..=255.
    pub width: usize,
    /// Rows; must be odd and in 1..=255.
    pub height: usize,
    /// `width * height` finite weights, row-major, applied as given (not flipped).
    pub weights: &'a [f32],
}

#[cfg(test)]
mod parallel_tests;
