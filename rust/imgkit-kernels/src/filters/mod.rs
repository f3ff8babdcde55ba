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
///
/// With the `failpoints` feature, the failpoint `imgkit::kernels::band` is evaluated
/// before each band, on the thread that computes it (one relaxed load while no failpoint
/// is configured). It takes no `return`: a `panic` there unwinds out of this call (rayon
/// carries a worker's panic back to the caller), a `sleep` stalls the band.
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
                band_failpoint();
                body(&mut scratch, index, band);
            }
        }
        Schedule::Parallel => {
            out.par_chunks_mut(band_len).enumerate().for_each_init(
                init,
                |scratch, (index, band)| {
                    band_failpoint();
                    body(scratch, index, band)
                },
            );
        }
    }
}

/// The failpoint `imgkit::kernels::band` (nothing without the `failpoints` feature).
#[inline(always)]
fn band_failpoint() {
    #[cfg(feature = "failpoints")]
    imgkit_failpoints::failpoint!(imgkit_failpoints::point::KERNELS_BAND);
}

/// One weighted input stream: sample `x` of the output reads `input[offset + x]`.
pub(crate) type Tap = (f32, usize);

/// `out[x] = store(sum over taps, in order, of weight * input[offset + x])`, with an
/// `f32` accumulator starting at 0.0 — the legacy summation, vectorised across `x`
/// rather than reordered across taps. `N` outputs are computed together, their
/// accumulators kept in registers while the taps stream past; `N` is a multiple of
/// the vector width of the instruction set the caller is compiled for.
///
/// Every tap's `input[offset..offset + out.len()]` must be in bounds.
#[inline(always)]
pub(crate) fn correlate_row<const N: usize, O>(
    input: &[f32],
    taps: &[Tap],
    out: &mut [O],
    store: impl Fn(f32) -> O,
) {
    for (x0, width) in Blocks::<N>::new(out.len()) {
        match width {
            Block::Full => correlate_block::<N, O>(input, taps, x0, out, &store),
            Block::SixtyFour => correlate_block::<64, O>(input, taps, x0, out, &store),
            Block::Sixteen => correlate_block::<16, O>(input, taps, x0, out, &store),
            Block::Four => correlate_block::<4, O>(input, taps, x0, out, &store),
            Block::One => correlate_block::<1, O>(input, taps, x0, out, &store),
        }
    }
}

/// The outputs `x0..x0 + B` of [`correlate_row`].
#[inline(always)]
fn correlate_block<const B: usize, O>(
    input: &[f32],
    taps: &[Tap],
    x0: usize,
    out: &mut [O],
    store: &impl Fn(f32) -> O,
) {
    let mut acc = [0.0f32; B];
    for &(weight, offset) in taps {
        let samples = block::<B>(input, offset + x0);
        for (a, &sample) in acc.iter_mut().zip(samples) {
            *a += weight * sample;
        }
    }
    for (o, a) in out[x0..x0 + B].iter_mut().zip(acc) {
        *o = store(a);
    }
}

/// `R` rows of a separable vertical pass at once, sharing their input rows:
/// `outs[r][x] = store(sum over t in 0..weights.len(), in order, of weights[t] *
/// input[sources[r + t] + x])`. Row `r + 1` reads the rows row `r` reads, shifted by
/// one, so with `T` taps each block of `T + R - 1` loads feeds `R * T` multiply-adds
/// (`R` separate rows would load `R * T` times); each row's sum is still accumulated in
/// tap order, exactly as [`correlate_row`] would.
///
/// `sources` holds `weights.len() + R - 1` offsets, all `outs` rows have one length, and
/// every `input[source..source + len]` must be in bounds.
#[inline(always)]
pub(crate) fn correlate_rows<const N: usize, const R: usize, O>(
    input: &[f32],
    weights: &[f32],
    sources: &[usize],
    mut outs: [&mut [O]; R],
    store: impl Fn(f32) -> O,
) {
    debug_assert_eq!(sources.len() + 1, weights.len() + R);
    let len = outs[0].len();
    debug_assert!(outs.iter().all(|out| out.len() == len));
    for (x0, width) in Blocks::<N>::new(len) {
        let outs = &mut outs;
        match width {
            Block::Full => {
                correlate_rows_block::<N, R, O>(input, weights, sources, x0, outs, &store)
            }
            Block::SixtyFour => {
                correlate_rows_block::<64, R, O>(input, weights, sources, x0, outs, &store)
            }
            Block::Sixteen => {
                correlate_rows_block::<16, R, O>(input, weights, sources, x0, outs, &store)
            }
            Block::Four => {
                correlate_rows_block::<4, R, O>(input, weights, sources, x0, outs, &store)
            }
            Block::One => {
                correlate_rows_block::<1, R, O>(input, weights, sources, x0, outs, &store)
            }
        }
    }
}

/// The outputs `x0..x0 + B` of [`correlate_rows`].
#[inline(always)]
fn correlate_rows_block<const B: usize, const R: usize, O>(
    input: &[f32],
    weights: &[f32],
    sources: &[usize],
    x0: usize,
    outs: &mut [&mut [O]; R],
    store: &impl Fn(f32) -> O,
) {
    let mut acc = [[0.0f32; B]; R];
    for (k, &source) in sources.iter().enumerate() {
        // A copy, so that the block is loaded once for all R rows rather than once per
        // row (about 10% faster with AVX-512).
        let samples: [f32; B] = *block::<B>(input, source + x0);
        for (r, acc) in acc.iter_mut().enumerate() {
            // Input row k is tap k - r of output row r, if that tap exists.
            if let Some(&weight) = k.checked_sub(r).and_then(|tap| weights.get(tap)) {
                for (a, &sample) in acc.iter_mut().zip(&samples) {
                    *a += weight * sample;
                }
            }
        }
    }
    for (out, acc) in outs.iter_mut().zip(acc) {
        for (o, a) in out[x0..x0 + B].iter_mut().zip(acc) {
            *o = store(a);
        }
    }
}

/// `input[start..start + B]` as an array.
#[inline(always)]
fn block<const B: usize>(input: &[f32], start: usize) -> &[f32; B] {
    input[start..start + B]
        .try_into()
        .expect("a B-long slice is a [f32; B]")
}

/// The width of one block of outputs.
#[derive(Clone, Copy)]
enum Block {
    /// The caller's `N`.
    Full,
    SixtyFour,
    Sixteen,
    Four,
    One,
}

/// Covers `0..len` with blocks, yielding `(x0, width)` for each: blocks of `N` while the
/// row is at least that long, else of 64, 16, 4 or 1. A row that is not a multiple of the
/// width ends with a block overlapping the one before it: the overlapped outputs are
/// computed twice, identically, instead of by a slow scalar tail.
///
/// An iterator rather than a loop taking a closure: its methods are always inlined, so
/// the loop is compiled for the caller's instruction set (a closure may not be).
struct Blocks<const N: usize> {
    len: usize,
    width: Block,
    size: usize,
    next: usize,
}

impl<const N: usize> Blocks<N> {
    #[inline(always)]
    fn new(len: usize) -> Self {
        let (width, size) = if len >= N {
            (Block::Full, N)
        } else if len >= 64 {
            (Block::SixtyFour, 64)
        } else if len >= 16 {
            (Block::Sixteen, 16)
        } else if len >= 4 {
            (Block::Four, 4)
        } else {
            (Block::One, 1)
        };
        Blocks {
            len,
            width,
            size,
            next: 0,
        }
    }
}

impl<const N: usize> Iterator for Blocks<N> {
    type Item = (usize, Block);

    #[inline(always)]
    fn next(&mut self) -> Option<(usize, Block)> {
        if self.next >= self.len {
            return None;
        }
        let x0 = self.next.min(self.len - self.size);
        self.next = x0 + self.size;
        Some((x0, self.width))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sum over taps, in order, of weight * input[offset + x]`, one sample at a time.
    fn correlate_at(input: &[f32], taps: &[Tap], x: usize) -> f32 {
        let mut acc = 0.0f32;
        for &(weight, offset) in taps {
            acc += weight * input[offset + x];
        }
        acc
    }

    fn ramp(len: usize) -> Vec<f32> {
        (0..len).map(|v| (v as f32 * 0.37).sin() * 100.0).collect()
    }

    /// Lengths below, at and between the block widths, and with overlapping tails.
    const LENGTHS: [usize; 19] = [
        1, 2, 3, 4, 5, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 300,
    ];

    #[test]
    fn correlate_row_sums_taps_in_order_for_every_row_length() {
        let input = ramp(400);
        let taps = [(0.5, 0), (2.0, 3), (-1.25, 10), (0.1, 1)];
        for len in LENGTHS {
            let mut outs = [
                vec![f32::NAN; len],
                vec![f32::NAN; len],
                vec![f32::NAN; len],
            ];
            correlate_row::<32, _>(&input, &taps, &mut outs[0], |v| v);
            correlate_row::<64, _>(&input, &taps, &mut outs[1], |v| v);
            correlate_row::<128, _>(&input, &taps, &mut outs[2], |v| v);
            for (x, expected) in (0..len).map(|x| (x, correlate_at(&input, &taps, x))) {
                for (n, out) in [32, 64, 128].iter().zip(&outs) {
                    assert_eq!(
                        out[x].to_bits(),
                        expected.to_bits(),
                        "N {n}, len {len}, x {x}"
                    );
                }
            }
        }
    }

    #[test]
    fn correlate_row_without_taps_stores_zero() {
        let mut out = [7u8; 40];
        correlate_row::<32, _>(&[], &[], &mut out, crate::sampling::round_to_u8);
        assert_eq!(out, [0u8; 40]);
    }

    /// `correlate_rows::<N, R>` against `R` separate [`correlate_at`] rows.
    fn check_correlate_rows<const N: usize, const R: usize>(weights: &[f32], sources: &[usize]) {
        let input = ramp(2000);
        for len in LENGTHS {
            let mut rows = [(); R].map(|_| vec![f32::NAN; len]);
            let outs = rows.each_mut().map(|row| row.as_mut_slice());
            correlate_rows::<N, R, _>(&input, weights, sources, outs, |v| v);
            for (r, row) in rows.iter().enumerate() {
                // Row r: tap t reads source r + t.
                let taps: Vec<Tap> = weights
                    .iter()
                    .zip(&sources[r..])
                    .map(|(&weight, &source)| (weight, source))
                    .collect();
                for (x, &value) in row.iter().enumerate() {
                    let expected = correlate_at(&input, &taps, x);
                    assert_eq!(
                        value.to_bits(),
                        expected.to_bits(),
                        "N {N}, R {R}, len {len}, row {r}, x {x}"
                    );
                }
            }
        }
    }

    #[test]
    fn correlate_rows_sums_each_row_in_tap_order() {
        let weights = [0.3, -1.7, 2.25, 0.01, 5.5];
        // Distinct, repeated (a clamped border) and out-of-order sources.
        let sources = [0, 401, 802, 802, 1203, 10, 1500, 3];
        check_correlate_rows::<64, 1>(&weights, &sources[..5]);
        check_correlate_rows::<64, 2>(&weights, &sources[..6]);
        check_correlate_rows::<32, 3>(&weights, &sources[..7]);
        check_correlate_rows::<64, 4>(&weights, &sources);
        check_correlate_rows::<128, 4>(&weights, &sources);
        // A single tap: every row reads only its own source.
        check_correlate_rows::<16, 4>(&[0.7], &sources[..4]);
    }

    #[test]
    fn blocks_cover_every_length_within_bounds() {
        fn check<const N: usize>() {
            for len in 0..300 {
                let mut covered = vec![false; len];
                for (x0, width) in Blocks::<N>::new(len) {
                    let size = match width {
                        Block::Full => N,
                        Block::SixtyFour => 64,
                        Block::Sixteen => 16,
                        Block::Four => 4,
                        Block::One => 1,
                    };
                    assert!(size <= len && x0 + size <= len, "N {N}, len {len}, x0 {x0}");
                    covered[x0..x0 + size].iter_mut().for_each(|c| *c = true);
                }
                assert!(covered.iter().all(|&c| c), "N {N}, len {len}");
            }
        }
        check::<32>();
        check::<64>();
        check::<128>();
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
