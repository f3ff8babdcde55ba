//! Tone operations: luminance, histograms, equalisation, Otsu thresholding. All exact:
//! integer arithmetic, except Otsu's variance, which is computed in `f64` in legacy's
//! order, so every port matches `imgkit::legacy` sample for sample.

use crate::bands::{for_each_band, rows_per_band, Schedule};
use crate::error::{invalid, KernelError};
use crate::image::{ImageView, ImageViewMut, Shape};
use crate::simd;

/// BT.601 luminance in 8-bit fixed point: `(77 R + 150 G + 29 B + 128) >> 8`, computed
/// in 16 bits: the sum is at most 256 * 255 + 128 = 65 408, so nothing overflows, and a
/// vector holds twice as many lanes as in 32 bits (`luma_in_16_bits_is_exact` checks all
/// 2^24 inputs against the 32-bit formula).
#[inline(always)]
pub(crate) fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((77 * u16::from(r) + 150 * u16::from(g) + 29 * u16::from(b) + 128) >> 8) as u8
}

/// Errors unless `dst` is the 1-channel image of `src`'s width and height.
pub(crate) fn check_gray_output(
    src: &ImageView<'_>,
    dst: &ImageViewMut<'_>,
    op: &str,
) -> Result<(), KernelError> {
    let (input, out) = (src.shape(), dst.shape());
    let expected = Shape {
        channels: 1,
        ..input
    };
    if out != expected {
        return Err(invalid(format!(
            "{op}: output is {}x{}x{}, a {}x{} input needs {}x{}x1",
            out.width,
            out.height,
            out.channels,
            input.width,
            input.height,
            input.width,
            input.height
        )));
    }
    Ok(())
}

/// Writes the 1-channel luminance of `src` into `dst`: a gray input is copied, colour
/// input is converted with [`luma`] and alpha is dropped.
///
/// Mirrors `imgkit::legacy::to_grayscale`. Deliberate difference: the result goes into
/// the caller's `dst`, which must be `src`'s width x height with 1 channel.
pub fn to_grayscale(src: ImageView<'_>, mut dst: ImageViewMut<'_>) -> Result<(), KernelError> {
    check_gray_output(&src, &dst, "to_grayscale")?;
    let Shape {
        width,
        height,
        channels,
    } = src.shape();
    let samples = src.samples();
    if channels == 1 {
        dst.samples_mut().copy_from_slice(samples);
        return Ok(());
    }
    luma_into(
        Schedule::for_work(width * height * LUMA_WORK_PER_PIXEL),
        &src,
        dst.samples_mut(),
    );
    Ok(())
}

/// Writes the luminance of colour (3- or 4-channel) `src` into `gray`, one sample per
/// pixel: bands of rows, each converted with the pixel size known at compile time so
/// that the loop vectorises; under `Schedule::Parallel` the bands spread over the pool.
fn luma_into(schedule: Schedule, src: &ImageView<'_>, gray: &mut [u8]) {
    let Shape {
        width, channels, ..
    } = src.shape();
    let samples = src.samples();
    let band_len = rows_per_band(width * LUMA_WORK_PER_PIXEL, 1) * width;
    for_each_band(
        schedule,
        gray,
        band_len,
        || (),
        |_, index, band| {
            let pixels = &samples[index * band_len * channels..][..band.len() * channels];
            luma_pixels(channels, pixels, band);
        },
    );
}

/// Bins of an 8-bit histogram.
const BINS: usize = 256;

// Work units per element, for `Schedule::for_work` and `rows_per_band`. The scheduler
// counts the filters' vectorised multiply-adds, about 0.11 ns each on one core, and goes
// parallel from about 60 us of work; these constants convert this module's measured
// single-core costs (2 vCPU x86-64, 256x256 images) into those units.

/// Counting a sample into a histogram: 0.28-0.32 ns.
const COUNT_WORK_PER_SAMPLE: usize = 3;

/// Mapping a sample through a lookup table or a threshold: 0.1-0.25 ns.
const MAP_WORK_PER_SAMPLE: usize = 2;

/// The luminance of a colour pixel: about 0.45 ns.
const LUMA_WORK_PER_PIXEL: usize = 4;

/// Most pixels one band of a parallel count covers: partial histograms are summed
/// afterwards, so bands are few and large (four per thread).
const BANDS_PER_THREAD: usize = 4;

/// Counts the samples of `src`, channel by channel, into `counts`:
/// `counts[c * 256 + v]` becomes the number of samples of channel `c` (alpha included)
/// equal to `v`. Previous contents of `counts` are overwritten.
///
/// Mirrors `imgkit::legacy::histogram`. Deliberate difference: the counts go into the
/// caller's `counts`, which must hold `channels * 256` values (one legacy `Histogram`
/// per channel, in channel order), else [`KernelError::InvalidArgument`].
pub fn histogram(src: ImageView<'_>, counts: &mut [u64]) -> Result<(), KernelError> {
    let channels = src.shape().channels;
    if counts.len() != channels * BINS {
        return Err(invalid(format!(
            "histogram: counts holds {} values, a {channels}-channel image needs {}",
            counts.len(),
            channels * BINS
        )));
    }
    let work = src.samples().len().saturating_mul(COUNT_WORK_PER_SAMPLE);
    histogram_scheduled(Schedule::for_work(work), src, counts);
    Ok(())
}

/// The body of [`histogram`] for `counts` of `channels * 256` values.
pub(crate) fn histogram_scheduled(schedule: Schedule, src: ImageView<'_>, counts: &mut [u64]) {
    // `ImageView` only admits 1, 3 or 4 channels.
    match src.shape().channels {
        1 => count_scheduled::<1>(schedule, src.samples(), counts, count_channels::<1>),
        3 => count_scheduled::<3>(schedule, src.samples(), counts, count_channels::<3>),
        _ => count_scheduled::<4>(schedule, src.samples(), counts, count_channels::<4>),
    }
}

/// The 256-bin histogram of the luminance of `src` (its samples if it is gray).
fn luma_histogram(schedule: Schedule, src: ImageView<'_>) -> [u64; BINS] {
    let mut counts = [0u64; BINS];
    match src.shape().channels {
        1 => count_scheduled::<1>(schedule, src.samples(), &mut counts, count_channels::<1>),
        3 => count_scheduled::<3>(schedule, src.samples(), &mut counts, count_luma::<3>),
        _ => count_scheduled::<4>(schedule, src.samples(), &mut counts, count_luma::<4>),
    }
    counts
}

/// Overwrites `counts` with `count`'s tally of all of `samples` (pixels of `C`
/// samples). In parallel each band of pixels is tallied into its own zeroed table and
/// the tables are summed afterwards: integer sums, so the counts are the sequential ones.
fn count_scheduled<const C: usize>(
    schedule: Schedule,
    samples: &[u8],
    counts: &mut [u64],
    count: fn(&[u8], &mut [u64]),
) {
    counts.fill(0);
    let pixels = samples.len() / C;
    let bands = match schedule {
        Schedule::Sequential => 1,
        Schedule::Parallel => (rayon::current_num_threads() * BANDS_PER_THREAD).min(pixels),
    };
    if bands <= 1 {
        count(samples, counts);
        return;
    }
    let band_samples = pixels.div_ceil(bands) * C;
    let table_len = counts.len();
    let mut tables = vec![0u64; samples.len().div_ceil(band_samples) * table_len];
    for_each_band(
        schedule,
        &mut tables,
        table_len,
        || (),
        |_, index, table| {
            let start = index * band_samples;
            let end = (start + band_samples).min(samples.len());
            count(&samples[start..end], table);
        },
    );
    for table in tables.chunks_exact(table_len) {
        for (total, &partial) in counts.iter_mut().zip(table) {
            *total += partial;
        }
    }
}

/// Adds the per-channel counts of `samples` (whole pixels of `C` samples) to `table`
/// (`C * 256` bins).
fn count_channels<const C: usize>(samples: &[u8], table: &mut [u64]) {
    if C == 1 {
        let mut counter = GrayCounter::new();
        counter.add(samples);
        counter.add_to(table);
        return;
    }
    let (channel_tables, _) = table.split_at_mut(C * BINS);
    for pixel in samples.chunks_exact(C) {
        for (c, &sample) in pixel.iter().enumerate() {
            channel_tables[c * BINS + usize::from(sample)] += 1;
        }
    }
}

/// Pixels whose luminance [`count_luma`] converts at a time, into a buffer on the stack.
const LUMA_BLOCK: usize = 512;

/// Adds the counts of the luminance of `samples` (colour pixels of `C` samples) to the
/// 256 bins of `table`. The luminance of a block of pixels is computed first, in a loop
/// of its own, and then counted.
fn count_luma<const C: usize>(samples: &[u8], table: &mut [u64]) {
    let mut counter = GrayCounter::new();
    let mut gray = [0u8; LUMA_BLOCK];
    for block in samples.chunks(LUMA_BLOCK * C) {
        let gray = &mut gray[..block.len() / C];
        luma_pixels(C, block, gray);
        counter.add(gray);
    }
    counter.add_to(table);
}

/// `gray[i]` = the luminance of pixel `i` of `pixels` (pixels of `channels`, 3 or 4,
/// samples), compiled for the best vector instruction set the CPU has (AVX-512, AVX2 or
/// the target's baseline): the arithmetic is the same in each.
fn luma_pixels(channels: usize, pixels: &[u8], gray: &mut [u8]) {
    simd::dispatch(
        #[inline(always)]
        |_| match channels {
            3 => luma_row::<3>(pixels, gray),
            _ => luma_row::<4>(pixels, gray),
        },
    );
}

/// [`luma_pixels`] for pixels of `C` samples.
#[inline(always)]
fn luma_row<const C: usize>(pixels: &[u8], gray: &mut [u8]) {
    for (y, pixel) in gray.iter_mut().zip(pixels.chunks_exact(C)) {
        *y = luma(pixel[0], pixel[1], pixel[2]);
    }
}

/// A 256-bin count of gray samples spread over four sub-tables, so that a run of equal
/// samples does not serialise on one counter.
struct GrayCounter {
    sub: [[u64; BINS]; 4],
}

impl GrayCounter {
    fn new() -> Self {
        Self {
            sub: [[0; BINS]; 4],
        }
    }

    fn add(&mut self, samples: &[u8]) {
        let mut quads = samples.chunks_exact(4);
        for quad in &mut quads {
            for (sub_table, &sample) in self.sub.iter_mut().zip(quad) {
                sub_table[usize::from(sample)] += 1;
            }
        }
        for &sample in quads.remainder() {
            self.sub[0][usize::from(sample)] += 1;
        }
    }

    /// Adds the counts to the 256 bins of `table`.
    fn add_to(&self, table: &mut [u64]) {
        let [a, b, c, d] = &self.sub;
        for (v, total) in table.iter_mut().enumerate().take(BINS) {
            *total += a[v] + b[v] + c[v] + d[v];
        }
    }
}

/// Legacy's equalisation table of one channel: with `cdf(v)` the number of samples
/// `<= v` and `cdf_min` the count of the smallest present value,
/// `table[v] = ((cdf(v) - cdf_min) * 255 + range / 2) / range`, `range = N - cdf_min`;
/// the identity when the channel holds a single value (`range == 0`). Entries below the
/// smallest present value are never read and stay 0.
fn equalization_table(counts: &[u64], pixel_count: u64) -> [u8; BINS] {
    let mut table = [0u8; BINS];
    let identity = || std::array::from_fn(|v| v as u8);
    // An image has at least one pixel, so some bin is non-zero.
    let Some(smallest) = counts.iter().position(|&n| n != 0) else {
        return identity();
    };
    let cdf_min = counts[smallest];
    let range = pixel_count - cdf_min;
    if range == 0 {
        return identity();
    }
    let mut cdf = 0u64;
    for (entry, &count) in table.iter_mut().zip(counts).skip(smallest) {
        cdf += count;
        *entry = (((cdf - cdf_min) * 255 + range / 2) / range) as u8;
    }
    table
}

/// Equalises the histogram of each colour channel of `src` independently into `dst`:
/// `out = ((cdf(v) - cdf_min) * 255 + (N - cdf_min) / 2) / (N - cdf_min)` in integers,
/// with `cdf(v)` the number of the channel's samples `<= v`, `cdf_min` the count of its
/// smallest value and `N` the pixel count. A channel holding a single value is copied, as
/// is alpha.
///
/// Mirrors `imgkit::legacy::equalize`. Deliberate difference: the result goes into the
/// caller's `dst`, which must have `src`'s shape.
pub fn equalize(src: ImageView<'_>, dst: ImageViewMut<'_>) -> Result<(), KernelError> {
    dst.check_same_shape(&src, "equalize")?;
    let samples = src.samples().len();
    let schedule =
        Schedule::for_work(samples.saturating_mul(COUNT_WORK_PER_SAMPLE + MAP_WORK_PER_SAMPLE));
    equalize_scheduled(schedule, src, dst);
    Ok(())
}

/// The body of [`equalize`] for matching shapes.
pub(crate) fn equalize_scheduled(schedule: Schedule, src: ImageView<'_>, dst: ImageViewMut<'_>) {
    let Shape {
        width,
        height,
        channels,
    } = src.shape();
    let mut counts = vec![0u64; channels * BINS];
    histogram_scheduled(schedule, src, &mut counts);
    let pixel_count = (width * height) as u64;
    // Alpha, the fourth channel, keeps its values: an identity table.
    let colour_channels = if channels == 4 { 3 } else { channels };
    let tables: Vec<[u8; BINS]> = counts
        .chunks_exact(BINS)
        .enumerate()
        .map(|(c, channel_counts)| {
            if c < colour_channels {
                equalization_table(channel_counts, pixel_count)
            } else {
                std::array::from_fn(|v| v as u8)
            }
        })
        .collect();
    match channels {
        1 => map_scheduled::<1>(schedule, src, &tables, dst),
        3 => map_scheduled::<3>(schedule, src, &tables, dst),
        _ => map_scheduled::<4>(schedule, src, &tables, dst),
    }
}

/// `dst` sample `c` of each pixel = `tables[c][src sample c]`, in bands of rows.
fn map_scheduled<const C: usize>(
    schedule: Schedule,
    src: ImageView<'_>,
    tables: &[[u8; BINS]],
    mut dst: ImageViewMut<'_>,
) {
    let row_len = src.shape().row_len();
    let band_len = rows_per_band(row_len * MAP_WORK_PER_SAMPLE, 1) * row_len;
    let samples = src.samples();
    let tables: [[u8; BINS]; C] = std::array::from_fn(|c| tables[c]);
    for_each_band(
        schedule,
        dst.samples_mut(),
        band_len,
        || (),
        |_, index, band| {
            let input = &samples[index * band_len..][..band.len()];
            for (out, pixel) in band.chunks_exact_mut(C).zip(input.chunks_exact(C)) {
                for c in 0..C {
                    out[c] = tables[c][usize::from(pixel[c])];
                }
            }
        },
    );
}

/// Otsu's level from a 256-bin histogram of `total_count` samples, or `None` when no
/// level leaves both classes non-empty (a single-valued image).
fn otsu_level_of_counts(counts: &[u64; BINS], total_count: u64) -> Option<u8> {
    let total_sum: u64 = (0u64..).zip(counts).map(|(v, &n)| v * n).sum();
    let n = total_count as f64;
    let mut best: Option<(u8, f64)> = None;
    let (mut count0, mut sum0) = (0u64, 0u64);
    for (t, &count) in (0u8..=255).zip(counts) {
        count0 += count;
        sum0 += u64::from(t) * count;
        let count1 = total_count - count0;
        if count0 == 0 || count1 == 0 {
            continue;
        }
        let w0 = count0 as f64 / n;
        let w1 = count1 as f64 / n;
        let mu0 = sum0 as f64 / count0 as f64;
        let mu1 = (total_sum - sum0) as f64 / count1 as f64;
        let d = mu0 - mu1;
        let variance = (w0 * w1) * (d * d);
        // Strictly greater keeps the smallest t on ties.
        if best.is_none_or(|(_, best_variance)| variance > best_variance) {
            best = Some((t, variance));
        }
    }
    best.map(|(t, _)| t)
}

/// The luminance of the first pixel of `src`.
fn first_luma(src: &ImageView<'_>) -> u8 {
    match src.samples() {
        [r, g, b, ..] if src.shape().channels > 1 => luma(*r, *g, *b),
        [y, ..] => *y,
        [] => 0, // unreachable: an `ImageView` holds at least one pixel
    }
}

/// Otsu's threshold of the luminance of `src` ([`to_grayscale`]'s values): the level `t`
/// in 0..=255 maximising the between-class variance `(w0 * w1) * (d * d)` of the classes
/// `{v <= t}` and `{v > t}`, where with `n0`, `n1` the class counts, `s0`, `s1` the exact
/// integer class sums and `N` the pixel count, `w0 = n0 / N`, `w1 = n1 / N`,
/// `d = s0 / n0 - s1 / n1`, all in `f64`. A level leaving a class empty is no candidate;
/// on ties the smallest level wins; a single-valued image gives that value.
///
/// Mirrors `imgkit::legacy::otsu_level`. Same result, different route: the luminance is
/// counted straight into the histogram instead of materialising a gray image.
pub fn otsu_level(src: ImageView<'_>) -> u8 {
    let work = luma_count_work(&src);
    otsu_level_scheduled(Schedule::for_work(work), src)
}

/// The work of counting the luminance of `src`.
fn luma_count_work(src: &ImageView<'_>) -> usize {
    let Shape {
        width,
        height,
        channels,
    } = src.shape();
    let per_pixel = COUNT_WORK_PER_SAMPLE
        + if channels == 1 {
            0
        } else {
            LUMA_WORK_PER_PIXEL
        };
    (width * height).saturating_mul(per_pixel)
}

/// The body of [`otsu_level`].
pub(crate) fn otsu_level_scheduled(schedule: Schedule, src: ImageView<'_>) -> u8 {
    let Shape { width, height, .. } = src.shape();
    let counts = luma_histogram(schedule, src);
    otsu_level_of_counts(&counts, (width * height) as u64).unwrap_or_else(|| first_luma(&src))
}

/// Binarises the luminance of `src` at [`otsu_level`] into `dst`: 255 where the
/// luminance is above the level, else 0.
///
/// Mirrors `imgkit::legacy::otsu_threshold`. Deliberate difference: the result goes into
/// the caller's `dst`, which must be `src`'s width x height with 1 channel.
pub fn otsu_threshold(src: ImageView<'_>, dst: ImageViewMut<'_>) -> Result<(), KernelError> {
    check_gray_output(&src, &dst, "otsu_threshold")?;
    let Shape { width, height, .. } = src.shape();
    let work = luma_count_work(&src) + width * height * MAP_WORK_PER_SAMPLE;
    otsu_threshold_scheduled(Schedule::for_work(work), src, dst);
    Ok(())
}

/// The body of [`otsu_threshold`] for a checked output. Colour input is converted into
/// `dst` first, so that the luminance is computed once: the histogram and the threshold
/// then read the gray samples.
pub(crate) fn otsu_threshold_scheduled(
    schedule: Schedule,
    src: ImageView<'_>,
    mut dst: ImageViewMut<'_>,
) {
    let Shape {
        width,
        height,
        channels,
    } = src.shape();
    let band_len = rows_per_band(width * LUMA_WORK_PER_PIXEL, 1) * width;
    let samples = src.samples();
    let gray: &[u8] = if channels == 1 {
        samples
    } else {
        luma_into(schedule, &src, dst.samples_mut());
        dst.samples_mut()
    };
    let mut counts = [0u64; BINS];
    count_scheduled::<1>(schedule, gray, &mut counts, count_channels::<1>);
    let level =
        otsu_level_of_counts(&counts, (width * height) as u64).unwrap_or_else(|| first_luma(&src));
    let binary = |y: u8| if y > level { 255 } else { 0 };
    if channels == 1 {
        for_each_band(
            schedule,
            dst.samples_mut(),
            band_len,
            || (),
            |_, index, band| {
                let input = &samples[index * band_len..][..band.len()];
                for (out, &y) in band.iter_mut().zip(input) {
                    *out = binary(y);
                }
            },
        );
    } else {
        for_each_band(
            schedule,
            dst.samples_mut(),
            band_len,
            || (),
            |_, _, band| {
                for y in band.iter_mut() {
                    *y = binary(*y);
                }
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luma_matches_the_fixed_point_formula_at_the_extremes() {
        assert_eq!(luma(0, 0, 0), 0);
        assert_eq!(luma(255, 255, 255), 255);
        assert_eq!(luma(255, 0, 0), 77);
        assert_eq!(luma(0, 255, 0), 149);
        assert_eq!(luma(0, 0, 255), 29);
    }

    #[test]
    fn luma_in_16_bits_is_exact() {
        // Every (R, G, B), through the vectorised rows of each channel count, against the
        // formula in 32 bits, where nothing can overflow.
        let reference = |r: u8, g: u8, b: u8| {
            ((77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b) + 128) >> 8) as u8
        };
        for r in 0..=255u8 {
            let mut pixels3 = Vec::with_capacity(256 * 256 * 3);
            let mut pixels4 = Vec::with_capacity(256 * 256 * 4);
            let mut expected = Vec::with_capacity(256 * 256);
            for g in 0..=255u8 {
                for b in 0..=255u8 {
                    pixels3.extend([r, g, b]);
                    pixels4.extend([r, g, b, g ^ b]);
                    expected.push(reference(r, g, b));
                }
            }
            let mut gray = vec![0u8; expected.len()];
            luma_pixels(3, &pixels3, &mut gray);
            assert!(gray == expected, "3 channels, R = {r}");
            luma_pixels(4, &pixels4, &mut gray);
            assert!(gray == expected, "4 channels, R = {r}");
        }
    }

    #[test]
    fn to_grayscale_drops_alpha_and_copies_gray() {
        let rgba = [255u8, 0, 0, 9, 0, 0, 255, 200];
        let mut out = [0u8; 2];
        to_grayscale(
            ImageView::new(&rgba, 2, 1, 4).unwrap(),
            ImageViewMut::new(&mut out, 2, 1, 1).unwrap(),
        )
        .unwrap();
        assert_eq!(out, [77, 29]);

        let gray = [3u8, 250];
        to_grayscale(
            ImageView::new(&gray, 1, 2, 1).unwrap(),
            ImageViewMut::new(&mut out, 1, 2, 1).unwrap(),
        )
        .unwrap();
        assert_eq!(out, gray);
    }

    #[test]
    fn to_grayscale_rejects_an_output_of_the_wrong_shape() {
        let rgb = [0u8; 12];
        let mut out = [0u8; 12];
        let error = to_grayscale(
            ImageView::new(&rgb, 2, 2, 3).unwrap(),
            ImageViewMut::new(&mut out, 2, 2, 3).unwrap(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("needs 2x2x1"), "{error}");
    }
}

#[cfg(test)]
mod schedule_tests {
    //! The parallel schedule must give exactly the sequential result, and the helpers
    //! behind the public functions follow the legacy formulas.

    use super::*;
    use crate::test_support::{four_thread_pool, noise};

    /// Images of every channel count and of sizes down to fewer pixels than bands.
    fn cases() -> Vec<(Vec<u8>, Shape)> {
        let mut cases = Vec::new();
        for (width, height) in [(1000, 700), (3, 1), (1, 1), (17, 5)] {
            for channels in [1, 3, 4] {
                let shape = Shape {
                    width,
                    height,
                    channels,
                };
                let samples = noise(
                    width * height * channels,
                    0x853c_49e6_748f_ea9b ^ (width + channels) as u64,
                );
                // Narrow the range so that the histograms are uneven.
                let samples = samples.iter().map(|v| v / 3 + v % 7).collect();
                cases.push((samples, shape));
            }
        }
        cases
    }

    #[test]
    fn parallel_tone_equals_sequential() {
        let pool = four_thread_pool();
        for (samples, shape) in cases() {
            let Shape {
                width,
                height,
                channels,
            } = shape;
            let src = ImageView::new(&samples, width, height, channels).unwrap();
            let mut results = Vec::new();
            for schedule in [Schedule::Sequential, Schedule::Parallel] {
                pool.install(|| {
                    let mut counts = vec![7u64; channels * BINS];
                    histogram_scheduled(schedule, src, &mut counts);
                    let mut equalized = vec![0u8; samples.len()];
                    let dst = ImageViewMut::new(&mut equalized, width, height, channels).unwrap();
                    equalize_scheduled(schedule, src, dst);
                    let level = otsu_level_scheduled(schedule, src);
                    let mut binary = vec![0u8; width * height];
                    let dst = ImageViewMut::new(&mut binary, width, height, 1).unwrap();
                    otsu_threshold_scheduled(schedule, src, dst);
                    results.push((counts, equalized, level, binary));
                });
            }
            assert_eq!(results[0], results[1], "{shape:?}");
            let total: u64 = results[0].0.iter().sum();
            assert_eq!(total, samples.len() as u64, "{shape:?}");
        }
    }

    #[test]
    fn counting_luminance_matches_counting_the_gray_image() {
        for (samples, shape) in cases() {
            if shape.channels == 1 {
                continue;
            }
            let src = ImageView::new(&samples, shape.width, shape.height, shape.channels).unwrap();
            let mut gray = vec![0u8; shape.width * shape.height];
            let dst = ImageViewMut::new(&mut gray, shape.width, shape.height, 1).unwrap();
            to_grayscale(src, dst).unwrap();
            let mut expected = [0u64; BINS];
            for &y in &gray {
                expected[usize::from(y)] += 1;
            }
            assert_eq!(
                luma_histogram(Schedule::Sequential, src),
                expected,
                "{shape:?}"
            );
        }
    }

    #[test]
    fn equalization_table_follows_the_legacy_formula() {
        // Counts 2, 1, 1 at 10, 20, 30 of N = 4: cdf_min = 2, range 2.
        let mut counts = [0u64; BINS];
        counts[10] = 2;
        counts[20] = 1;
        counts[30] = 1;
        let table = equalization_table(&counts, 4);
        assert_eq!((table[10], table[20], table[30]), (0, 128, 255));
        // A single value: the identity.
        let mut single = [0u64; BINS];
        single[99] = 5;
        let identity: [u8; BINS] = std::array::from_fn(|v| v as u8);
        assert_eq!(equalization_table(&single, 5), identity);
        assert_eq!(equalization_table(&[0; BINS], 0), identity);
    }

    #[test]
    fn otsu_level_of_counts_keeps_the_first_of_tied_levels() {
        let mut counts = [0u64; BINS];
        counts[10] = 3;
        counts[200] = 3;
        assert_eq!(otsu_level_of_counts(&counts, 6), Some(10));
        let mut single = [0u64; BINS];
        single[42] = 9;
        assert_eq!(otsu_level_of_counts(&single, 9), None);
        let mut three = [0u64; BINS];
        three[0] = 2;
        three[100] = 1;
        three[255] = 1;
        assert_eq!(otsu_level_of_counts(&three, 4), Some(100));
    }
}
