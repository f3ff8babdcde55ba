//! Sobel gradient magnitude of the luminance.

use crate::bands::{for_each_band, rows_per_band, Schedule};
use crate::error::KernelError;
use crate::image::{ImageView, ImageViewMut, Shape};
use crate::sampling::{clamped_index, pad_row_clamped, round_to_u8};
use crate::simd;
use crate::tone::{check_gray_output, luma};

/// The cost of one output pixel in the units of [`Schedule::for_work`], whose threshold
/// of 2^19 stands for about 60 us on one core (0.11 ns a unit): measured on one core, a
/// pixel takes about 0.45 ns from gray input, which is this, and about 0.7 ns from
/// colour input (the luminance conversion), see [`COLOUR_PIXEL_WORK`]. So the parallel
/// schedule starts at about 360x360 gray or 300x300 colour.
const PIXEL_WORK: usize = 4;

/// [`PIXEL_WORK`] for RGB and RGBA input.
const COLOUR_PIXEL_WORK: usize = 6;

/// Writes the Sobel gradient magnitude of `src`'s luminance into the 1-channel `dst`:
/// with `gx = [-1 0 1; -2 0 2; -1 0 1]` and `gy = [-1 -2 -1; 0 0 0; 1 2 1]` correlated
/// with the luminance (borders clamped), `dst = min(255, round(sqrt(gx^2 + gy^2)))`, the
/// square root taken in `f32`. Colour input is first converted as
/// [`to_grayscale`](crate::to_grayscale) does (alpha ignored).
///
/// Mirrors `imgkit::legacy::sobel`, exactly: `gx` and `gy` are integers of at most 1020
/// in magnitude, so `gx^2 + gy^2` is exact in `f32` and its correctly rounded square root
/// is legacy's. Deliberate difference: the result goes into the caller's `dst`, which
/// must be `src`'s width x height with 1 channel.
pub fn sobel(src: ImageView<'_>, dst: ImageViewMut<'_>) -> Result<(), KernelError> {
    check_gray_output(&src, &dst, "sobel")?;
    let Shape {
        width,
        height,
        channels,
    } = src.shape();
    let pixel_work = if channels == 1 {
        PIXEL_WORK
    } else {
        COLOUR_PIXEL_WORK
    };
    let work = (width * height).saturating_mul(pixel_work);
    sobel_scheduled(Schedule::for_work(work), src, dst);
    Ok(())
}

/// The body of [`sobel`] for a checked 1-channel `dst` of `src`'s width and height.
pub(crate) fn sobel_scheduled(schedule: Schedule, src: ImageView<'_>, mut dst: ImageViewMut<'_>) {
    let Shape {
        width, channels, ..
    } = src.shape();
    // Each band also converts the row above and below it; bands of at least 16 rows keep
    // that a small fraction.
    let job = Job {
        src,
        band_rows: rows_per_band(width * PIXEL_WORK, 16),
    };
    for_each_band(
        schedule,
        dst.samples_mut(),
        job.band_rows * width,
        || Window {
            luma: vec![0; if channels == 1 { 0 } else { width }],
            rows: vec![0.0; 3 * (width + 2)],
        },
        |window, index, band| sobel_band(&job, window, index, band),
    );
}

/// What every band of one [`sobel`] call shares.
struct Job<'a> {
    src: ImageView<'a>,
    /// Output rows per band (the last band may have fewer).
    band_rows: usize,
}

/// One thread's scratch for [`sobel_band`].
struct Window {
    /// One row of luminance (colour input only).
    luma: Vec<u8>,
    /// Three luminance rows as `f32`, each padded by one edge pixel on both sides;
    /// source row `s` is in slot `s % 3`.
    rows: Vec<f32>,
}

/// Band `index` of the output, compiled for the best vector instruction set the CPU has
/// (AVX-512, AVX2, or the target's baseline); the arithmetic is the same in each.
fn sobel_band(job: &Job<'_>, window: &mut Window, index: usize, band: &mut [u8]) {
    simd::dispatch(
        #[inline(always)]
        |_| sobel_band_with(job, window, index, band),
    );
}

/// The body of [`sobel_band`].
///
/// The band slides a window of three luminance rows down the image, converting each
/// source row once (plus the row above and below the band): as `f32`, padded by one
/// edge pixel on each side, so that every tap is a plain shifted slice and the gradient
/// loop vectorises. The values are small integers, exact in `f32`, so the order of the
/// arithmetic does not matter.
#[inline(always)]
fn sobel_band_with(job: &Job<'_>, window: &mut Window, index: usize, band: &mut [u8]) {
    let Shape {
        width,
        height,
        channels,
    } = job.src.shape();
    let row_len = job.src.shape().row_len();
    let samples = job.src.samples();
    let padded_len = width + 2;
    let first_y = index * job.band_rows;
    let Window { luma, rows } = window;

    let mut next_source = clamped_index(first_y, 0, 1, height);
    for (y, out_row) in (first_y..).zip(band.chunks_exact_mut(width)) {
        let last_source = clamped_index(y, 2, 1, height);
        for source in next_source..=last_source {
            let row = &samples[source * row_len..][..row_len];
            let gray = match channels {
                1 => row,
                3 => luma_row::<3>(row, luma),
                _ => luma_row::<4>(row, luma),
            };
            let slot = source % 3;
            pad_row_clamped(gray, 1, 1, &mut rows[slot * padded_len..][..padded_len]);
        }
        next_source = last_source + 1;

        let padded_row = |tap: usize| {
            let slot = clamped_index(y, tap, 1, height) % 3;
            &rows[slot * padded_len..][..padded_len]
        };
        gradient_row(padded_row(0), padded_row(1), padded_row(2), out_row);
    }
}

/// The luminance of one row of `C`-channel pixels, in `out`.
///
/// Each pixel is read as one little-endian word, the four bytes from its first, so that
/// the channels are shifts of one load (which vectorises) rather than separate byte
/// loads. The last pixel of an RGB row has no fourth byte and is read on its own.
#[inline(always)]
fn luma_row<'a, const C: usize>(row: &[u8], out: &'a mut [u8]) -> &'a [u8] {
    let word_luma = |word: u32| luma(word as u8, (word >> 8) as u8, (word >> 16) as u8);
    if C == 4 {
        for (y, pixel) in out.iter_mut().zip(row.chunks_exact(4)) {
            *y = word_luma(u32::from_le_bytes([pixel[0], pixel[1], pixel[2], pixel[3]]));
        }
    } else {
        let (words, last) = out.split_at_mut(out.len() - 1);
        for (x, y) in words.iter_mut().enumerate() {
            let bytes: [u8; 4] = row[x * C..x * C + 4].try_into().expect("four bytes");
            *y = word_luma(u32::from_le_bytes(bytes));
        }
        let pixel = &row[row.len() - C..];
        last[0] = luma(pixel[0], pixel[1], pixel[2]);
    }
    out
}

/// The gradient magnitudes of one output row from the padded luminance rows above, at
/// and below it: sample `x` of the output is centred on padded sample `x + 1`.
#[inline(always)]
fn gradient_row(above: &[f32], middle: &[f32], below: &[f32], out: &mut [u8]) {
    let width = out.len();
    let (a, m, b) = (
        &above[..width + 2],
        &middle[..width + 2],
        &below[..width + 2],
    );
    for (x, o) in out.iter_mut().enumerate() {
        let gx = (a[x + 2] - a[x]) + 2.0 * (m[x + 2] - m[x]) + (b[x + 2] - b[x]);
        let gy = (b[x] + 2.0 * b[x + 1] + b[x + 2]) - (a[x] + 2.0 * a[x + 1] + a[x + 2]);
        // At most 2 * 1020^2 < 2^24: exact, like legacy's integer sum converted to float.
        *o = round_to_u8((gx * gx + gy * gy).sqrt());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{four_thread_pool, noise};

    /// `sobel_scheduled` under `schedule` on a four-thread pool, so that the parallel
    /// schedule really splits the work even on a one-core machine.
    fn run(
        schedule: Schedule,
        src: &[u8],
        (width, height, channels): (usize, usize, usize),
    ) -> Vec<u8> {
        let pool = four_thread_pool();
        let mut dst = vec![0u8; width * height];
        pool.install(|| {
            sobel_scheduled(
                schedule,
                ImageView::new(src, width, height, channels).unwrap(),
                ImageViewMut::new(&mut dst, width, height, 1).unwrap(),
            )
        });
        dst
    }

    #[test]
    fn parallel_equals_sequential_sample_for_sample() {
        for shape in [(1000, 301, 1), (777, 203, 3), (640, 480, 4), (1, 5000, 1)] {
            let src = noise(shape.0 * shape.1 * shape.2, 0x9e37_79b9_7f4a_7c15);
            let sequential = run(Schedule::Sequential, &src, shape);
            let parallel = run(Schedule::Parallel, &src, shape);
            assert!(sequential.iter().any(|&v| v != 0), "{shape:?}: no edges");
            assert!(sequential == parallel, "{shape:?}: the schedules differ");
        }
    }
}
