//! Median blur: the median of a 3x3 or 5x5 window, by a fixed comparator network run on
//! many samples at once.
//!
//! A comparator network is a fixed list of compare-exchanges, the same for every input,
//! so it runs on a whole block of output samples at once: each of the window's `n`
//! positions is a block of samples (one per output), and a compare-exchange is one
//! element-wise `min` and `max` of two blocks, which vectorise. The networks are the
//! shortest published ones for a median of 9 (19 compare-exchanges) and of 25 (99), from
//! N. Devillard, "Fast median search: an ANSI C implementation" (1998); a test checks each
//! on every input of zeros and ones, which by the 0-1 principle proves it for all inputs.

use crate::bands::{for_each_band, rows_per_band, Schedule};
use crate::error::{invalid, KernelError};
use crate::image::{ImageView, ImageViewMut, Shape};
use crate::simd;

/// Output samples computed together: a 256-bit vector of them.
const LANES: usize = 32;

/// A median-selecting comparator network over `N` inputs: after its compare-exchanges
/// (`(i, j)` leaves the smaller value at `i`, the larger at `j`), input `N / 2` holds the
/// median.
struct Network<const N: usize> {
    exchanges: &'static [(usize, usize)],
}

/// The median of 9 (a 3x3 window).
#[rustfmt::skip] // the published list, several pairs a line
const MEDIAN_OF_9: Network<9> = Network {
    exchanges: &[
        (1, 2), (4, 5), (7, 8), (0, 1), (3, 4), (6, 7), (1, 2), (4, 5), (7, 8), (0, 3),
        (5, 8), (4, 7), (3, 6), (1, 4), (2, 5), (4, 7), (4, 2), (6, 4), (4, 2),
    ],
};

/// The median of 25 (a 5x5 window).
#[rustfmt::skip] // the published list, several pairs a line
const MEDIAN_OF_25: Network<25> = Network {
    exchanges: &[
        (0, 1), (3, 4), (2, 4), (2, 3), (6, 7), (5, 7), (5, 6), (9, 10), (8, 10), (8, 9),
        (12, 13), (11, 13), (11, 12), (15, 16), (14, 16), (14, 15), (18, 19), (17, 19),
        (17, 18), (21, 22), (20, 22), (20, 21), (23, 24), (2, 5), (3, 6), (0, 6), (0, 3),
        (4, 7), (1, 7), (1, 4), (11, 14), (8, 14), (8, 11), (12, 15), (9, 15), (9, 12),
        (13, 16), (10, 16), (10, 13), (20, 23), (17, 23), (17, 20), (21, 24), (18, 24),
        (18, 21), (19, 22), (8, 17), (9, 18), (0, 18), (0, 9), (10, 19), (1, 19), (1, 10),
        (11, 20), (2, 20), (2, 11), (12, 21), (3, 21), (3, 12), (13, 22), (4, 22), (4, 13),
        (14, 23), (5, 23), (5, 14), (15, 24), (6, 24), (6, 15), (7, 16), (7, 19), (13, 21),
        (15, 23), (7, 13), (7, 15), (1, 9), (3, 11), (5, 17), (11, 17), (9, 17), (4, 10),
        (6, 12), (7, 14), (4, 6), (4, 7), (12, 14), (10, 14), (6, 7), (10, 12), (6, 10),
        (6, 17), (12, 17), (7, 17), (7, 10), (12, 18), (7, 12), (10, 18), (12, 20),
        (10, 20), (10, 12),
    ],
};

/// The cost of one output sample in the units of [`Schedule::for_work`] (about 0.11 ns
/// each), by radius: a compare-exchange is two vector operations on 32 samples, so a
/// sample costs about 1.2 of them for a 3x3 window and 6 for a 5x5 one, plus the loads of
/// its window. The parallel schedule then starts at about 130 000 samples for radius 1
/// and 40 000 for radius 2.
fn sample_work(radius: usize) -> usize {
    if radius == 1 {
        4
    } else {
        12
    }
}

/// Writes the median of the `(2r + 1) x (2r + 1)` window around every sample of `src`
/// into `dst`: every channel (alpha included) independently, borders clamped (a
/// coordinate outside the image reads the nearest edge sample), the middle one of the
/// window's `(2r + 1)^2` samples in sorted order. Exact (no tolerance).
///
/// Mirrors `imgkit::legacy::median_blur`, with the same argument rule: `radius` must be 1
/// or 2, otherwise [`KernelError::InvalidArgument`]. Deliberate difference: the result
/// goes into the caller's `dst`, which must have `src`'s shape (checked after the
/// radius).
pub fn median_blur(
    src: ImageView<'_>,
    radius: u32,
    dst: ImageViewMut<'_>,
) -> Result<(), KernelError> {
    if !(1..=2).contains(&radius) {
        return Err(invalid(format!(
            "median_blur: radius must be 1 or 2, got {radius}"
        )));
    }
    dst.check_same_shape(&src, "median_blur")?;
    let radius = radius as usize;
    let work = src.samples().len().saturating_mul(sample_work(radius));
    median_blur_scheduled(Schedule::for_work(work), src, radius, dst);
    Ok(())
}

/// The body of [`median_blur`] for radius 1 or 2 and matching shapes. Each band of output
/// rows pads the source rows it reads (its own rows and `r` more above and below, clamped)
/// with `r` copies of their edge pixels on each side, so that every window is read from
/// straight runs of memory. Every output depends on its window alone, so the bands'
/// results do not depend on where they run.
pub(crate) fn median_blur_scheduled(
    schedule: Schedule,
    src: ImageView<'_>,
    radius: usize,
    mut dst: ImageViewMut<'_>,
) {
    let row_len = src.shape().row_len();
    let job = Job {
        src,
        radius,
        band_rows: rows_per_band(row_len * sample_work(radius), 1),
    };
    for_each_band(
        schedule,
        dst.samples_mut(),
        job.band_rows * row_len,
        Vec::new,
        |padded, index, band| median_band(&job, padded, index, band),
    );
}

/// What every band of one [`median_blur`] call shares.
struct Job<'a> {
    src: ImageView<'a>,
    radius: usize,
    /// Output rows per band (the last band may have fewer).
    band_rows: usize,
}

/// Band `index` of the output, compiled for the best vector instruction set the CPU has
/// (AVX-512, AVX2, or the target's baseline); the arithmetic is the same in each.
/// `padded` is the thread's scratch for the band's padded source rows.
fn median_band(job: &Job<'_>, padded: &mut Vec<u8>, index: usize, band: &mut [u8]) {
    simd::dispatch(
        #[inline(always)]
        |_| match job.radius {
            1 => median_band_with(&MEDIAN_OF_9, job, padded, index, band),
            _ => median_band_with(&MEDIAN_OF_25, job, padded, index, band),
        },
    );
}

/// The body of [`median_band`] for a window of `N` samples (9 or 25).
#[inline(always)]
fn median_band_with<const N: usize>(
    network: &Network<N>,
    job: &Job<'_>,
    padded: &mut Vec<u8>,
    index: usize,
    band: &mut [u8],
) {
    let Shape {
        width,
        height,
        channels,
    } = job.src.shape();
    let radius = job.radius;
    let diameter = 2 * radius + 1;
    let row_len = width * channels;
    let padded_len = row_len + 2 * radius * channels;
    let first_y = index * job.band_rows;
    let rows = band.len() / row_len;

    // Padded source row k is the image's row first_y + k - r, clamped.
    padded.resize((rows + 2 * radius) * padded_len, 0);
    for (k, out) in padded.chunks_exact_mut(padded_len).enumerate() {
        let y = (first_y + k).saturating_sub(radius).min(height - 1);
        pad_row(
            &job.src.samples()[y * row_len..][..row_len],
            channels,
            radius,
            out,
        );
    }
    for (j, out_row) in band.chunks_exact_mut(row_len).enumerate() {
        let window_rows = &padded[j * padded_len..(j + diameter) * padded_len];
        median_row(
            network,
            window_rows,
            padded_len,
            diameter,
            channels,
            out_row,
        );
    }
}

/// Writes `row` with `pad` copies of its first pixel before it and of its last after it.
#[inline(always)]
fn pad_row(row: &[u8], channels: usize, pad: usize, out: &mut [u8]) {
    let (left, rest) = out.split_at_mut(pad * channels);
    let (middle, right) = rest.split_at_mut(row.len());
    middle.copy_from_slice(row);
    for pixel in left.chunks_exact_mut(channels) {
        pixel.copy_from_slice(&row[..channels]);
    }
    for pixel in right.chunks_exact_mut(channels) {
        pixel.copy_from_slice(&row[row.len() - channels..]);
    }
}

/// One output row from its `diameter` padded source rows (`rows`, each `padded_len`
/// long): output sample `x` (of `width * channels`) reads padded sample `x + dx *
/// channels` of each row, `dx` in `0..diameter`. Blocks of [`LANES`] samples; a row that
/// is not a multiple of that ends with a block overlapping the one before it (its
/// overlapped samples computed twice, identically), one shorter than a block goes sample
/// by sample.
#[inline(always)]
fn median_row<const N: usize>(
    network: &Network<N>,
    rows: &[u8],
    padded_len: usize,
    diameter: usize,
    channels: usize,
    out: &mut [u8],
) {
    let len = out.len();
    if len < LANES {
        for (x, sample) in out.iter_mut().enumerate() {
            *sample = median_block::<N, 1>(network, rows, padded_len, diameter, channels, x)[0];
        }
        return;
    }
    let mut x0 = 0;
    while x0 < len {
        let start = x0.min(len - LANES);
        let medians =
            median_block::<N, LANES>(network, rows, padded_len, diameter, channels, start);
        out[start..start + LANES].copy_from_slice(&medians);
        x0 = start + LANES;
    }
}

/// The medians of output samples `x0..x0 + B`: each window position a block of `B`
/// samples, then the network's compare-exchanges block by block.
#[inline(always)]
fn median_block<const N: usize, const B: usize>(
    network: &Network<N>,
    rows: &[u8],
    padded_len: usize,
    diameter: usize,
    channels: usize,
    x0: usize,
) -> [u8; B] {
    let mut window = [[0u8; B]; N];
    for (position, block) in window.iter_mut().enumerate() {
        let (dy, dx) = (position / diameter, position % diameter);
        let start = dy * padded_len + x0 + dx * channels;
        block.copy_from_slice(&rows[start..start + B]);
    }
    for &(i, j) in network.exchanges {
        let (low, high) = (window[i], window[j]);
        for lane in 0..B {
            window[i][lane] = low[lane].min(high[lane]);
            window[j][lane] = low[lane].max(high[lane]);
        }
    }
    window[N / 2]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{four_thread_pool, noise};

    /// Runs `network` on every input of zeros and ones, 64 inputs at a time (bit `l` of
    /// wire `k` is input `k` of case `base + l`; `min` is `and`, `max` is `or`): by the 0-1
    /// principle, a comparator network that selects the median of every 0-1 input selects
    /// the median of every input.
    fn selects_the_median_of_every_input<const N: usize>(network: &Network<N>) -> bool {
        // Input k < 6 of case base + l is bit k of l; the others are bits of base.
        let low_inputs: [u64; 6] = std::array::from_fn(|k| {
            (0..64u64).fold(0, |bits, lane| bits | ((lane >> k) & 1) << lane)
        });
        let cases: u64 = 1 << N;
        (0..cases).step_by(64).all(|base| {
            let mut wires: [u64; N] = std::array::from_fn(|k| match low_inputs.get(k) {
                Some(&bits) => bits,
                None if (base >> k) & 1 == 1 => u64::MAX,
                None => 0,
            });
            for &(i, j) in network.exchanges {
                let (low, high) = (wires[i] & wires[j], wires[i] | wires[j]);
                (wires[i], wires[j]) = (low, high);
            }
            (0..64.min(cases)).all(|lane| {
                let ones = (base | lane).count_ones() as usize;
                // The median of N zeros and ones is 1 when more than half are ones.
                (wires[N / 2] >> lane & 1 == 1) == (ones > N / 2)
            })
        })
    }

    #[test]
    fn the_3x3_network_selects_the_median_of_every_input() {
        assert!(selects_the_median_of_every_input(&MEDIAN_OF_9));
    }

    #[test]
    fn the_5x5_network_selects_the_median_of_every_input() {
        assert!(selects_the_median_of_every_input(&MEDIAN_OF_25));
    }

    /// The median as the legacy header states it, one sample at a time: the window's
    /// clamped samples, sorted, the middle one.
    fn reference(
        src: &[u8],
        (width, height, channels): (usize, usize, usize),
        r: usize,
    ) -> Vec<u8> {
        let mut out = vec![0u8; src.len()];
        for y in 0..height {
            for x in 0..width {
                for c in 0..channels {
                    let mut window = Vec::new();
                    for wy in 0..=2 * r {
                        for wx in 0..=2 * r {
                            let sy = (y + wy).saturating_sub(r).min(height - 1);
                            let sx = (x + wx).saturating_sub(r).min(width - 1);
                            window.push(src[(sy * width + sx) * channels + c]);
                        }
                    }
                    window.sort_unstable();
                    out[(y * width + x) * channels + c] = window[window.len() / 2];
                }
            }
        }
        out
    }

    #[test]
    fn both_schedules_give_the_median_of_every_window() {
        // Rows shorter than a block, exactly one, and with an overlapping tail; heights
        // below the window; every channel count.
        // The parallel schedule on four threads, so that it really splits the work even
        // on a one-core machine.
        let pool = four_thread_pool();
        for shape @ (width, height, channels) in [
            (1, 1, 1),
            (2, 1, 3),
            (1, 7, 4),
            (7, 5, 3),
            (32, 3, 1),
            (33, 9, 4),
            (203, 61, 3),
        ] {
            let src = noise(width * height * channels, 0x9e37_79b9_7f4a_7c15);
            let view = ImageView::new(&src, width, height, channels).unwrap();
            for radius in [1, 2] {
                let expected = reference(&src, shape, radius);
                for schedule in [Schedule::Sequential, Schedule::Parallel] {
                    let mut dst = vec![0u8; src.len()];
                    let out = ImageViewMut::new(&mut dst, width, height, channels).unwrap();
                    pool.install(|| median_blur_scheduled(schedule, view, radius, out));
                    assert!(dst == expected, "{shape:?}, radius {radius}, {schedule:?}");
                }
            }
        }
    }

    #[test]
    fn radius_outside_1_and_2_is_invalid() {
        let src = noise(12, 0x9e37_79b9_7f4a_7c15);
        for radius in [0, 3, u32::MAX] {
            let mut dst = vec![0u8; 12];
            let error = median_blur(
                ImageView::new(&src, 2, 2, 3).unwrap(),
                radius,
                ImageViewMut::new(&mut dst, 2, 2, 3).unwrap(),
            )
            .unwrap_err();
            assert_eq!(
                error,
                KernelError::InvalidArgument(format!(
                    "median_blur: radius must be 1 or 2, got {radius}"
                ))
            );
        }
    }

    #[test]
    fn an_output_of_another_shape_is_invalid() {
        let src = noise(12, 0x9e37_79b9_7f4a_7c15);
        let mut dst = vec![0u8; 4];
        assert!(median_blur(
            ImageView::new(&src, 2, 2, 3).unwrap(),
            1,
            ImageViewMut::new(&mut dst, 2, 2, 1).unwrap(),
        )
        .is_err());
    }
}
