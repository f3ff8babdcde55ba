//! Linear filters: [`convolve`] and the separable [`gaussian_blur`].
//!
//! Both reduce to one inner loop, [`correlate_row`]: every output sample of a row is a
//! sum of `weight * input` over a list of taps, accumulated in `f32` in tap order — the
//! order `imgkit::legacy` sums in, so results match it bit for bit unless the C++
//! compiler reorders or fuses its float arithmetic. Borders never reach that loop: rows
//! are padded with their edge pixels first and row indices are clamped, so the loop is a
//! straight run over equal-length slices that the compiler vectorises.
//!
//! Work is split into bands of output rows. A band is computed the same way whether it
//! runs on the calling thread or on a rayon worker, so the parallel result is identical
//! to the sequential one; small images stay on the calling thread, where a fork-join
//! would cost more than it saves.

mod convolve;
mod gaussian;

pub use convolve::convolve;
pub use gaussian::{gaussian_blur, gaussian_radius, gaussian_weights};

use rayon::prelude::*;

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

/// Below this many multiply-adds (about 60 us on one core) a filter runs on the calling
/// thread. Measured on 2 vCPUs (`gaussian_blur` and `convolve`, 1- vs 2-thread pools):
/// handing work to the rayon pool costs 10-35 us of worker wake-up, so at 2.4e5
/// multiply-adds two threads save ~30% on an idle machine but lose a few percent when
/// the other core is busy; from 5e5 they save 35-40% idle and break even when contended.
const PARALLEL_MIN_WORK: usize = 1 << 19;

/// Target multiply-adds per band of output rows: enough to amortise the per-band setup
/// (scratch rows, tap tables), small enough for rayon to balance the load.
const BAND_WORK: usize = 1 << 16;

/// Where a filter's bands run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Schedule {
    /// All bands on the calling thread, in order.
    Sequential,
    /// Bands spread over the rayon pool.
    Parallel,
}

impl Schedule {
    /// Parallel only for jobs of at least [`PARALLEL_MIN_WORK`] multiply-adds, and only
    /// when the pool has more than one thread.
    pub(crate) fn for_work(multiply_adds: usize) -> Self {
        if multiply_adds >= PARALLEL_MIN_WORK && rayon::current_num_threads() > 1 {
            Schedule::Parallel
        } else {
            Schedule::Sequential
        }
    }
}

/// Output rows per band when each row costs `row_work` multiply-adds: about
/// [`BAND_WORK`], at least `min_rows`, at least one.
pub(crate) fn rows_per_band(row_work: usize, min_rows: usize) -> usize {
    BAND_WORK.div_ceil(row_work.max(1)).max(min_rows).max(1)
}

/// Calls `body(scratch, band_index, band)` for each `band_len`-long chunk of `out` (the
/// last may be shorter), on the calling thread or on the rayon pool. `init` makes the
/// per-thread scratch state.
pub(crate) fn for_each_band<T, S>(
    schedule: Schedule,
    out: &mut [T],
    band_len: usize,
    init: impl Fn() -> S + Sync + Send,
    body: impl Fn(&mut S, usize, &mut [T]) + Sync + Send,
) where
    T: Send,
{
    match schedule {
        Schedule::Sequential => {
            let mut scratch = init();
            for (index, band) in out.chunks_mut(band_len).enumerate() {
                body(&mut scratch, index, band);
            }
        }
        Schedule::Parallel => {
            out.par_chunks_mut(band_len)
                .enumerate()
                .for_each_init(init, |scratch, (index, band)| body(scratch, index, band));
        }
    }
}

/// Output samples computed together; their accumulators stay in registers (8 SSE
/// vectors) while the taps stream past.
const LANES: usize = 32;

/// The block width for rows shorter than [`LANES`].
const SHORT_LANES: usize = 8;

/// One weighted input stream: sample `x` of the output reads `input[offset + x]`.
pub(crate) type Tap = (f32, usize);

/// `out[x] = store(sum over taps, in order, of weight * input[offset + x])`, with an
/// `f32` accumulator starting at 0.0 — the legacy summation, vectorised across `x`
/// rather than reordered across taps.
///
/// Every tap's `input[offset..offset + out.len()]` must be in bounds.
#[inline]
pub(crate) fn correlate_row<O>(
    input: &[f32],
    taps: &[Tap],
    out: &mut [O],
    store: impl Fn(f32) -> O,
) {
    let len = out.len();
    if len >= LANES {
        correlate_blocks::<LANES, O>(input, taps, out, &store);
    } else if len >= SHORT_LANES {
        correlate_blocks::<SHORT_LANES, O>(input, taps, out, &store);
    } else {
        correlate_blocks::<1, O>(input, taps, out, &store);
    }
}

/// [`correlate_row`] in blocks of `N` outputs, for `out.len() >= N`. A row that is not a
/// multiple of `N` ends with a block overlapping the one before it: the overlapped
/// outputs are computed twice, identically, instead of by a slow scalar tail.
#[inline(always)]
fn correlate_blocks<const N: usize, O>(
    input: &[f32],
    taps: &[Tap],
    out: &mut [O],
    store: &impl Fn(f32) -> O,
) {
    let len = out.len();
    debug_assert!(len >= N);
    let mut next = 0;
    while next < len {
        let x0 = next.min(len - N);
        let mut acc = [0.0f32; N];
        for &(weight, offset) in taps {
            let start = offset + x0;
            let samples: &[f32; N] = input[start..start + N].try_into().expect("an N-long slice");
            for (a, &sample) in acc.iter_mut().zip(samples) {
                *a += weight * sample;
            }
        }
        for (o, a) in out[x0..x0 + N].iter_mut().zip(acc) {
            *o = store(a);
        }
        next = x0 + N;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlate_row_sums_taps_in_order_for_every_row_length() {
        // Lengths below, at and between the block widths, and with overlapping tails.
        let input: Vec<f32> = (0..120).map(|v| v as f32 * 0.37).collect();
        let taps = [(0.5, 0), (2.0, 3), (-1.25, 10)];
        for len in [1, 2, 7, 8, 9, 15, 31, 32, 33, 63, 64, 70, 100] {
            let mut out = vec![f32::NAN; len];
            correlate_row(&input, &taps, &mut out, |v| v);
            for (x, &value) in out.iter().enumerate() {
                let mut expected = 0.0f32;
                for &(weight, offset) in &taps {
                    expected += weight * input[offset + x];
                }
                assert_eq!(value, expected, "len {len}, x = {x}");
            }
        }
    }

    #[test]
    fn correlate_row_without_taps_stores_zero() {
        let mut out = [7u8; 40];
        correlate_row(&[], &[], &mut out, crate::sampling::round_to_u8);
        assert_eq!(out, [0u8; 40]);
    }

    #[test]
    fn rows_per_band_targets_band_work() {
        assert_eq!(rows_per_band(BAND_WORK, 1), 1);
        assert_eq!(rows_per_band(BAND_WORK / 4, 1), 4);
        assert_eq!(rows_per_band(BAND_WORK / 4, 9), 9);
        assert_eq!(rows_per_band(0, 0), BAND_WORK);
        assert_eq!(rows_per_band(BAND_WORK * 10, 0), 1);
    }

    #[test]
    fn for_each_band_visits_every_band_once_in_both_schedules() {
        for schedule in [Schedule::Sequential, Schedule::Parallel] {
            let mut out = vec![0usize; 103];
            for_each_band(
                schedule,
                &mut out,
                10,
                || (),
                |_, index, band| {
                    for value in band.iter_mut() {
                        *value += index + 1;
                    }
                },
            );
            let expected: Vec<usize> = (0..103).map(|i| i / 10 + 1).collect();
            assert_eq!(out, expected, "{schedule:?}");
        }
    }
}

#[cfg(test)]
mod parallel_tests;
