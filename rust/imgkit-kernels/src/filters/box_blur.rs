//! Box blur: the exact integer mean of a square window, by running sums.

use crate::bands::{for_each_band, Schedule};
use crate::error::{invalid, KernelError};
use crate::image::{ImageView, ImageViewMut, Shape};
use crate::simd;

/// Largest radius legacy accepts. Window sums stay exact in `u32`, with room to spare:
/// `255 * 2049^2 + 2049^2 / 2 < 2^31`.
const MAX_RADIUS: u32 = 1024;

/// The cost of one output sample in the units of [`Schedule::for_work`], whose threshold
/// of 2^19 stands for about 60 us on one core (0.11 ns a unit): measured on one core, a
/// sample takes 0.6-0.8 ns whatever the radius (AVX-512 machine, 256x256 to 3840x2160).
/// So the parallel schedule starts at about 87 000 samples, e.g. 170x170 RGB.
const SAMPLE_WORK: usize = 6;

/// Writes the mean of the `(2r + 1) x (2r + 1)` window around every sample of `src` into
/// `dst`, every channel (alpha included) independently, borders clamped, in integer
/// arithmetic: `dst = (sum + n / 2) / n` with `n = (2r + 1)^2`.
///
/// Mirrors `imgkit::legacy::box_blur`, with the same argument rule: `radius` must be at
/// most 1024, otherwise [`KernelError::InvalidArgument`]; radius 0 copies. Exact (no
/// tolerance). Deliberate difference: the result goes into the caller's `dst`, which must
/// have `src`'s shape (checked after the radius).
pub fn box_blur(
    src: ImageView<'_>,
    radius: u32,
    mut dst: ImageViewMut<'_>,
) -> Result<(), KernelError> {
    if radius > MAX_RADIUS {
        return Err(invalid(format!(
            "box_blur: radius must be at most {MAX_RADIUS}, got {radius}"
        )));
    }
    dst.check_same_shape(&src, "box_blur")?;
    if radius == 0 {
        dst.samples_mut().copy_from_slice(src.samples());
        return Ok(());
    }
    let work = src.samples().len().saturating_mul(SAMPLE_WORK);
    box_blur_scheduled(Schedule::for_work(work), src, radius as usize, dst);
    Ok(())
}

/// `(sum + n / 2) / n` for a fixed `n` by a multiplication and a shift instead of a
/// division: with `l = ceil(log2 n)`, `m = ceil(2^(31 + l) / n)` gives
/// `floor(x * m / 2^(31 + l)) = floor(x / n)` for every `x < 2^31` (the error of `m`,
/// below `n <= 2^l`, adds less than `1 / n` to `x / n`). As `n > 2^(l - 1)`, `m` fits in
/// 32 bits (for every `n` up to 2^32), so `x * m` is one 32x32 -> 64-bit product, which
/// vectorises. Checked for every radius in the tests.
#[derive(Debug, Clone, Copy)]
struct RoundedMean {
    half: u32,
    multiplier: u32,
    shift: u32,
}

impl RoundedMean {
    /// For `count >= 1` samples; sums passed to [`RoundedMean::of`] must keep
    /// `sum + count / 2` below `2^31`.
    fn new(count: u32) -> Self {
        debug_assert!(count >= 1);
        let log2_ceil = u32::BITS - (count - 1).leading_zeros();
        let shift = 31 + log2_ceil;
        let multiplier = (1u64 << shift).div_ceil(u64::from(count));
        Self {
            half: count / 2,
            multiplier: u32::try_from(multiplier).expect("a 32-bit multiplier"),
            shift,
        }
    }

    #[inline(always)]
    fn of(self, sum: u32) -> u8 {
        ((u64::from(sum + self.half) * u64::from(self.multiplier)) >> self.shift) as u8
    }
}

/// The body of [`box_blur`] for `1 <= radius <= 1024` and matching shapes.
///
/// Each band of output rows keeps, for every sample column, the sum over the `2r + 1`
/// clamped source rows of the current output row (legacy's running column sums): moving
/// down a row adds the entering source row and takes away the leaving one. Each output
/// row then slides a horizontal window along those column sums. All sums are exact
/// integers, so the result does not depend on the order of the additions, nor on the
/// bands: the parallel schedule gives the sequential result.
pub(crate) fn box_blur_scheduled(
    schedule: Schedule,
    src: ImageView<'_>,
    radius: usize,
    mut dst: ImageViewMut<'_>,
) {
    let row_len = src.shape().row_len();
    let diameter = 2 * radius + 1;
    let job = Job {
        src,
        radius,
        mean: RoundedMean::new((diameter * diameter) as u32),
        band_rows: band_rows(schedule, src.shape().height, radius),
    };
    for_each_band(
        schedule,
        dst.samples_mut(),
        job.band_rows * row_len,
        || Scratch {
            column_sums: vec![0; row_len],
            steps: vec![0; row_len],
        },
        |scratch, index, band| blur_band(&job, scratch, index, band),
    );
}

/// What every band of one [`box_blur`] call shares.
struct Job<'a> {
    src: ImageView<'a>,
    radius: usize,
    mean: RoundedMean,
    /// Output rows per band (the last band may have fewer).
    band_rows: usize,
}

/// One thread's scratch for [`blur_band`], each `width * channels` long.
struct Scratch {
    /// Per sample column, the sum over the clamped source rows of the current output row.
    column_sums: Vec<u32>,
    /// Per output sample, how much its window sum exceeds that of the pixel to its left;
    /// then, summed in place, the window sum itself (see [`average_row`]).
    steps: Vec<u32>,
}

/// Band `index` of the output, compiled for the best vector instruction set the CPU has
/// (AVX-512, AVX2, or the target's baseline); the arithmetic is the same in each.
fn blur_band(job: &Job<'_>, scratch: &mut Scratch, index: usize, band: &mut [u8]) {
    simd::dispatch(
        #[inline(always)]
        |_| blur_band_with(job, scratch, index, band),
    );
}

/// The body of [`blur_band`].
#[inline(always)]
fn blur_band_with(job: &Job<'_>, scratch: &mut Scratch, index: usize, band: &mut [u8]) {
    let Shape {
        height, channels, ..
    } = job.src.shape();
    let row_len = job.src.shape().row_len();
    let samples = job.src.samples();
    let row = |y: usize| &samples[y * row_len..][..row_len];
    let (radius, mean) = (job.radius, job.mean);
    let first_y = index * job.band_rows;

    init_column_sums(&mut scratch.column_sums, first_y, radius, height, row);
    for (y, out_row) in (first_y..).zip(band.chunks_exact_mut(row_len)) {
        if y > first_y {
            let entering = row((y + radius).min(height - 1));
            let leaving = row((y - 1).saturating_sub(radius));
            // Wrapping: a column sum dips below zero only if the subtraction runs first;
            // the exact result is always in range, so it comes out right.
            for ((sum, &add), &sub) in scratch.column_sums.iter_mut().zip(entering).zip(leaving) {
                *sum = sum
                    .wrapping_add(u32::from(add))
                    .wrapping_sub(u32::from(sub));
            }
        }
        let (sums, steps) = (&scratch.column_sums, &mut scratch.steps);
        match channels {
            1 => average_row::<1>(sums, radius, steps, mean, out_row),
            3 => average_row::<3>(sums, radius, steps, mean, out_row),
            _ => average_row::<4>(sums, radius, steps, mean, out_row),
        }
    }
}

/// Sets `sums` to the column sums of output row `y`: source rows `y - r ..= y + r`,
/// clamped. The rows inside the image are added once each; the clamped ones are all
/// copies of the first or last row, added as one multiple.
#[inline(always)]
fn init_column_sums<'a>(
    sums: &mut [u32],
    y: usize,
    radius: usize,
    height: usize,
    row: impl Fn(usize) -> &'a [u8],
) {
    sums.fill(0);
    for source in y.saturating_sub(radius)..=(y + radius).min(height - 1) {
        for (sum, &sample) in sums.iter_mut().zip(row(source)) {
            *sum += u32::from(sample);
        }
    }
    for (source, copies) in [
        (0, radius.saturating_sub(y)),
        (height - 1, (y + radius).saturating_sub(height - 1)),
    ] {
        if copies > 0 {
            let copies = copies as u32;
            for (sum, &sample) in sums.iter_mut().zip(row(source)) {
                *sum += copies * u32::from(sample);
            }
        }
    }
}

/// Writes the rounded means of one output row: pixel `x`'s window covers the column sums
/// of pixels `x - r ..= x + r`, clamped, channel by channel.
///
/// The window sum of pixel `x` is that of `x - 1` plus `steps[x]`, the entering column
/// minus the leaving one. The steps are computed first, as straight runs over the row
/// that vectorise; the running sum turns them into window sums in place (the one
/// sequential loop, an add a sample); the rounded means of those vectorise again.
#[inline(always)]
fn average_row<const C: usize>(
    sums: &[u32],
    radius: usize,
    steps: &mut [u32],
    mean: RoundedMean,
    out: &mut [u8],
) {
    let width = sums.len() / C;
    let pixel = |x: usize| -> &[u32] { &sums[x * C..][..C] };

    // Pixel 0's window: r + 1 copies of column 0, then columns 1..=r, clamped to w - 1.
    let inside = radius.min(width - 1);
    let mut window = [0u32; C];
    for (c, sum) in window.iter_mut().enumerate() {
        *sum = (radius as u32 + 1) * sums[c]
            + (radius - inside) as u32 * pixel(width - 1)[c]
            + sums[C..(inside + 1) * C]
                .iter()
                .skip(c)
                .step_by(C)
                .sum::<u32>();
    }

    // steps[x] for x >= 1: entering column min(x + r, w - 1) minus leaving column
    // max(x - 1 - r, 0). Where neither is clamped (x in lo..hi) that is one subtraction
    // of two shifted runs of the sums; the few pixels near the edges clamp.
    let steps = &mut steps[C..];
    let lo = (radius + 1).min(width);
    let hi = width.saturating_sub(radius).max(lo);
    for x in (1..lo).chain(hi..width) {
        let entering = pixel((x + radius).min(width - 1));
        let leaving = pixel(x.saturating_sub(radius + 1));
        for ((s, &e), &l) in steps[(x - 1) * C..][..C]
            .iter_mut()
            .zip(entering)
            .zip(leaving)
        {
            *s = e.wrapping_sub(l);
        }
    }
    if hi > lo {
        let middle = &mut steps[(lo - 1) * C..(hi - 1) * C];
        let entering = &sums[(lo + radius) * C..(hi + radius) * C];
        let leaving = &sums[(lo - 1 - radius) * C..(hi - 1 - radius) * C];
        for ((s, &e), &l) in middle.iter_mut().zip(entering).zip(leaving) {
            *s = e.wrapping_sub(l);
        }
    }

    let first_window = window;
    // The running sum, in place: steps[x] becomes pixel x's window sum. Wrapping, as the
    // steps may be "negative"; every window sum is in range. Only this loop is
    // sequential (one add a sample); the means below vectorise.
    for step in steps.chunks_exact_mut(C) {
        for (s, w) in step.iter_mut().zip(&mut window) {
            *w = w.wrapping_add(*s);
            *s = *w;
        }
    }
    let (first, rest) = out.split_at_mut(C);
    for (o, &sum) in first.iter_mut().zip(&first_window) {
        *o = mean.of(sum);
    }
    for (o, &sum) in rest.iter_mut().zip(steps.iter()) {
        *o = mean.of(sum);
    }
}

/// Output rows per band. Sequentially one band: the column sums are set up once. In
/// parallel a multiple of the thread count (up to four per thread) for balance, each at
/// least `r / 2` rows tall: setting up a band's column sums adds up to `2r + 1` source
/// rows, each a vectorised add costing a tenth or less of an output row (whose window
/// slides sample by sample), so this bounds that overhead by about half.
fn band_rows(schedule: Schedule, height: usize, radius: usize) -> usize {
    match schedule {
        Schedule::Sequential => height,
        Schedule::Parallel => {
            let threads = rayon::current_num_threads();
            let mut bands = (height / (radius / 2).max(1)).clamp(1, 4 * threads);
            if bands > threads {
                bands -= bands % threads;
            }
            height.div_ceil(bands)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{four_thread_pool, noise};

    #[test]
    fn rounded_mean_divides_exactly_at_every_boundary_of_every_radius() {
        for radius in 1..=MAX_RADIUS {
            let n = (2 * radius + 1) * (2 * radius + 1);
            let mean = RoundedMean::new(n);
            // Sums whose rounded mean changes: x + n / 2 = k * n - 1 and k * n.
            for k in 0..=256u32 {
                for x in [k * n, (k * n).wrapping_sub(1)] {
                    let Some(sum) = x.checked_sub(n / 2) else {
                        continue;
                    };
                    if sum > 255 * n {
                        continue;
                    }
                    assert_eq!(
                        u32::from(mean.of(sum)),
                        (sum + n / 2) / n,
                        "radius {radius}, sum {sum}"
                    );
                }
            }
            assert_eq!(mean.of(255 * n), 255, "radius {radius}");
        }
    }

    #[test]
    fn rounded_mean_divides_exactly_for_small_counts() {
        for n in 1..=64u32 {
            let mean = RoundedMean::new(n);
            for sum in 0..=255 * n {
                assert_eq!(
                    u32::from(mean.of(sum)),
                    (sum + n / 2) / n,
                    "n {n}, sum {sum}"
                );
            }
        }
    }

    /// `box_blur_scheduled` under `schedule` on a four-thread pool, so that the parallel
    /// schedule really splits the work even on a one-core machine.
    fn run(schedule: Schedule, src: &[u8], shape: (usize, usize, usize), radius: usize) -> Vec<u8> {
        let (width, height, channels) = shape;
        let pool = four_thread_pool();
        let mut dst = vec![0u8; src.len()];
        pool.install(|| {
            box_blur_scheduled(
                schedule,
                ImageView::new(src, width, height, channels).unwrap(),
                radius,
                ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
            )
        });
        dst
    }

    #[test]
    fn parallel_equals_sequential_sample_for_sample() {
        for (shape, radius) in [
            ((600, 301, 1), 1),
            ((600, 301, 3), 2),
            ((300, 257, 4), 7),
            ((123, 400, 3), 40),
            ((50, 333, 1), 1024),
        ] {
            let src = noise(shape.0 * shape.1 * shape.2, 0x2545_f491_4f6c_dd1d);
            let sequential = run(Schedule::Sequential, &src, shape, radius);
            let parallel = run(Schedule::Parallel, &src, shape, radius);
            assert_ne!(
                sequential, src,
                "{shape:?}, radius {radius}: nothing happened"
            );
            assert!(
                sequential == parallel,
                "{shape:?}, radius {radius}: the schedules differ"
            );
        }
    }

    #[test]
    fn parallel_bands_are_balanced_and_cover_the_image() {
        let pool = four_thread_pool();
        pool.install(|| {
            assert_eq!(band_rows(Schedule::Parallel, 2160, 1), 2160 / 16);
            assert_eq!(band_rows(Schedule::Parallel, 2160, 1024), 2160 / 4);
            assert_eq!(band_rows(Schedule::Parallel, 3, 1024), 3);
            assert_eq!(band_rows(Schedule::Sequential, 2160, 1), 2160);
        });
    }
}
