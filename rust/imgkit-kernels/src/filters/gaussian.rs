//! Separable Gaussian blur: a horizontal pass into an `f32` buffer, then a vertical pass.

use super::{correlate_row, correlate_rows, Tap};
use crate::bands::{for_each_band, Schedule};
use crate::error::{invalid, KernelError};
use crate::image::{ImageView, ImageViewMut, Shape};
use crate::sampling::{clamped_index, pad_span_clamped, round_to_u8};
use crate::simd::{self, SimdLevel};

/// Largest sigma legacy accepts.
const MAX_SIGMA: f32 = 64.0;

/// The Gaussian radius for `sigma`: `ceil(3 * sigma)`, computed in `f32`.
///
/// Mirrors `imgkit::legacy::gaussian_radius`. Deliberate difference: legacy rejects a
/// sigma outside (0, 64]; this one does not validate (a NaN or negative sigma gives 0),
/// because its only callers, [`gaussian_weights`] and [`gaussian_blur`], sit behind
/// [`gaussian_blur`]'s check.
pub fn gaussian_radius(sigma: f32) -> usize {
    (3.0 * sigma).ceil() as usize
}

/// The normalised 1-D Gaussian of `2r + 1` taps, `r = gaussian_radius(sigma)`:
/// `w[i] = exp(-(i - r)^2 / (2 sigma^2)) / sum`, computed in `f64` (the sum in tap
/// order), stored as `f32`.
///
/// Mirrors `imgkit::legacy::gaussian_weights`. Deliberate difference: legacy rejects a
/// sigma outside (0, 64]; this one expects a sigma that [`gaussian_blur`] accepts and
/// does not validate.
pub fn gaussian_weights(sigma: f32) -> Vec<f32> {
    let radius = gaussian_radius(sigma);
    let sigma = f64::from(sigma);
    let two_sigma_squared = 2.0 * sigma * sigma;
    let unnormalised: Vec<f64> = (0..=2 * radius)
        .map(|i| {
            let d = i as f64 - radius as f64;
            (-(d * d) / two_sigma_squared).exp()
        })
        .collect();
    let sum: f64 = unnormalised.iter().sum();
    unnormalised.iter().map(|&w| (w / sum) as f32).collect()
}

/// Blurs every channel of `src` into `dst` with the separable Gaussian of
/// [`gaussian_weights`]`(sigma)`: a horizontal pass into an unrounded `f32` buffer, then
/// a vertical pass over that buffer, rounded once (half away from zero, clamped to
/// 0..=255). Borders are clamped in both passes.
///
/// Mirrors `imgkit::legacy::gaussian_blur`, with the same argument rule: `sigma` must be
/// in (0, 64] (so finite), otherwise [`KernelError::InvalidArgument`]. Deliberate
/// difference: the result goes into the caller's `dst`, which must have `src`'s shape
/// (checked after sigma).
pub fn gaussian_blur(
    src: ImageView<'_>,
    sigma: f32,
    dst: ImageViewMut<'_>,
) -> Result<(), KernelError> {
    // Written so that NaN fails the test; infinities fail the bounds.
    if !(sigma > 0.0 && sigma <= MAX_SIGMA) {
        return Err(invalid(format!(
            "gaussian_blur: sigma must be in (0, {MAX_SIGMA}], got {sigma}"
        )));
    }
    dst.check_same_shape(&src, "gaussian_blur")?;
    let weights = gaussian_weights(sigma);
    let work = src.samples().len().saturating_mul(2 * weights.len());
    gaussian_blur_scheduled(Schedule::for_work(work), src, &weights, dst);
    Ok(())
}

/// The body of [`gaussian_blur`] for `2r + 1` checked weights and matching shapes.
///
/// Each band of output rows slides a window of horizontally filtered rows down the
/// image (see [`blur_band_with`]). The window stays in cache (legacy keeps a whole-image
/// float buffer; the values are the same) and every source row is filtered once per
/// band: only the `2r` rows around a boundary between two bands are filtered by both.
pub(crate) fn gaussian_blur_scheduled(
    schedule: Schedule,
    src: ImageView<'_>,
    weights: &[f32],
    mut dst: ImageViewMut<'_>,
) {
    let shape = src.shape();
    let job = Job::new(src, weights, strip_pixels(shape, weights.len()));
    let band_rows = band_rows(schedule, shape.height, weights.len() / 2);
    for_each_band(
        schedule,
        dst.samples_mut(),
        band_rows * shape.row_len(),
        || Window::for_job(&job),
        |window, index, band| blur_band(&job, window, index * band_rows, band),
    );
}

/// The part of the window of filtered rows that the vertical pass reads while it
/// crosses the image once: at most this many bytes, so that it stays in the L2 cache
/// (1-2 MiB per core on current x86-64) beside the source and output rows.
///
/// Measured on 3840x2160 gray (one core, AVX-512), whole rows against strips: at sigma 2
/// (a 200 KiB window) strips that fit in L1 (24-48 KiB) were 25% slower, as every strip
/// restarts the hardware prefetchers on every row; at sigma 30 (a 2.8 MiB window)
/// strips of 1 MiB were 1.8x faster than whole rows.
const WINDOW_BYTES: usize = 1 << 20;

/// Strips are at least this many samples wide, so that a strip row is a few full vector
/// blocks even when a large radius makes the window tall.
const MIN_STRIP_SAMPLES: usize = 256;

/// Pixels per vertical strip for a blur of `taps` taps: the whole row when its window
/// fits in [`WINDOW_BYTES`], otherwise equal strips that fit (but not narrower than
/// [`MIN_STRIP_SAMPLES`]).
fn strip_pixels(shape: Shape, taps: usize) -> usize {
    let row_bytes = window_rows(taps, shape.height) * std::mem::size_of::<f32>() * shape.channels;
    let fitting = (WINDOW_BYTES / row_bytes.max(1))
        .max(MIN_STRIP_SAMPLES.div_ceil(shape.channels))
        .max(1);
    let strips = shape.width.div_ceil(fitting);
    shape.width.div_ceil(strips.max(1))
}

/// What every band of one [`gaussian_blur_scheduled`] call shares.
struct Job<'a> {
    samples: &'a [u8],
    shape: Shape,
    weights: &'a [f32],
    /// Pixels per vertical strip, see [`strip_pixels`].
    strip_pixels: usize,
    /// Tap `i` of output sample `x` of a padded row reads `padded[x + i * channels]`.
    horizontal_taps: Vec<Tap>,
}

impl<'a> Job<'a> {
    fn new(src: ImageView<'a>, weights: &'a [f32], strip_pixels: usize) -> Self {
        let shape = src.shape();
        Job {
            samples: src.samples(),
            shape,
            weights,
            strip_pixels: strip_pixels.clamp(1, shape.width),
            horizontal_taps: weights
                .iter()
                .enumerate()
                .map(|(i, &weight)| (weight, i * shape.channels))
                .collect(),
        }
    }
}

/// One band of output rows, starting at row `first_y`, compiled for the best vector
/// instruction set the CPU has (AVX-512, AVX2, or the target's baseline): the
/// arithmetic is the same in each, only the block sizes change. They keep enough
/// independent accumulators in registers to hide the latency of the additions: 8
/// vectors in the horizontal pass, `R` rows of 4 vectors in the vertical one (16 of
/// AVX-512's 32 registers, 8 of AVX2's 16). Other sizes measured within noise of these.
fn blur_band(job: &Job<'_>, window: &mut Window, first_y: usize, band: &mut [u8]) {
    simd::dispatch(
        #[inline(always)]
        |level| match level {
            SimdLevel::Avx512 => blur_band_with::<128, 64, 4>(job, window, first_y, band),
            SimdLevel::Avx2 => blur_band_with::<64, 32, 2>(job, window, first_y, band),
            SimdLevel::Baseline => blur_band_with::<32, 32, 1>(job, window, first_y, band),
        },
    );
}

/// Most output rows the vertical pass computes together; the window holds
/// `2r + VERTICAL_ROWS` filtered rows.
const VERTICAL_ROWS: usize = 4;

/// [`blur_band`] with horizontal blocks of `H` samples and vertical blocks of `V`
/// samples times `R` rows. The band is done strip by strip (usually one strip, see
/// [`strip_pixels`]); within a strip a window of horizontally filtered strip rows slides
/// down the band. Output row `y` needs source rows `y - r ..= y + r` (clamped), so each
/// step filters the new source rows into the slots of rows that left the window.
#[inline(always)]
fn blur_band_with<const H: usize, const V: usize, const R: usize>(
    job: &Job<'_>,
    window: &mut Window,
    first_y: usize,
    band: &mut [u8],
) {
    let Shape {
        width,
        height,
        channels,
    } = job.shape;
    let row_len = job.shape.row_len();
    let radius = job.weights.len() / 2;
    let window_rows = window_rows(job.weights.len(), height);
    let band_rows = band.len() / row_len;
    let mut x0 = 0;
    while x0 < width {
        let pixels = job.strip_pixels.min(width - x0);
        let strip_len = pixels * channels;
        let stride = slot_stride(strip_len);
        let columns = x0 * channels..x0 * channels + strip_len;
        let mut strip = Strip {
            job,
            x0,
            strip_len,
            stride,
            window_rows,
            next_source: first_y.saturating_sub(radius),
        };
        // Groups of R output rows, then single rows for the rest of the band.
        let grouped = band_rows - band_rows % R;
        for (group, outs) in band[..grouped * row_len]
            .chunks_exact_mut(R * row_len)
            .enumerate()
        {
            let y = first_y + group * R;
            strip.filter_through::<H>((y + R - 1 + radius).min(height - 1), window);
            strip.vertical_sources(y, R, window);
            let mut rows = outs.chunks_exact_mut(row_len);
            let outs: [&mut [u8]; R] = std::array::from_fn(|_| {
                let row = rows.next().expect("a group holds R rows");
                &mut row[columns.clone()]
            });
            correlate_rows::<V, R, _>(
                &window.rows[window.rows_start..],
                job.weights,
                &window.sources,
                outs,
                round_to_u8,
            );
        }
        for (offset, out_row) in band[grouped * row_len..]
            .chunks_exact_mut(row_len)
            .enumerate()
        {
            let y = first_y + grouped + offset;
            strip.filter_through::<H>((y + radius).min(height - 1), window);
            strip.vertical_sources(y, 1, window);
            let outs = [&mut out_row[columns.clone()]];
            correlate_rows::<V, 1, _>(
                &window.rows[window.rows_start..],
                job.weights,
                &window.sources,
                outs,
                round_to_u8,
            );
        }
        x0 += pixels;
    }
}

/// One strip of a band: where its rows live in the window, and how far down the
/// horizontal pass has come.
struct Strip<'j, 'a> {
    job: &'j Job<'a>,
    /// The strip's first pixel.
    x0: usize,
    /// Samples per strip row.
    strip_len: usize,
    /// Distance between window slots, see [`slot_stride`].
    stride: usize,
    window_rows: usize,
    /// The first source row not yet in the window.
    next_source: usize,
}

impl Strip<'_, '_> {
    /// Filters source rows up to `last_source` into their window slots, unless they are
    /// there already.
    #[inline(always)]
    fn filter_through<const H: usize>(&mut self, last_source: usize, window: &mut Window) {
        let channels = self.job.shape.channels;
        let row_len = self.job.shape.row_len();
        let radius = self.job.weights.len() / 2;
        let padded_len = self.strip_len + 2 * radius * channels;
        let padded = &mut window.padded[window.padded_start..][..padded_len];
        for source in self.next_source..=last_source {
            let source_row = &self.job.samples[source * row_len..][..row_len];
            pad_span_clamped(source_row, channels, self.x0, radius, padded);
            let slot = window.rows_start + (source % self.window_rows) * self.stride;
            let filtered = &mut window.rows[slot..slot + self.strip_len];
            correlate_row::<H, _>(padded, &self.job.horizontal_taps, filtered, |sum| sum);
        }
        self.next_source = self.next_source.max(last_source + 1);
    }

    /// Sets `window.sources` to the offsets, from `window.rows_start`, of the
    /// `taps + rows - 1` filtered rows that output rows `y .. y + rows` read: source `k`
    /// is row `clamp(y + k - r)`, in slot `row % slots`.
    fn vertical_sources(&self, y: usize, rows: usize, window: &mut Window) {
        let taps = self.job.weights.len();
        let height = self.job.shape.height;
        window.sources.clear();
        window.sources.extend((0..taps + rows - 1).map(|k| {
            let source = clamped_index(y, k, taps / 2, height);
            (source % self.window_rows) * self.stride
        }));
    }
}

/// Window slots start at multiples of this many floats (64 bytes, a cache line and an
/// AVX-512 vector) from a 64-byte boundary, so that the vertical pass's vector loads
/// never straddle two cache lines: that made the whole blur about 20% faster on
/// 3840x2160 gray (one core, AVX-512). The horizontal pass's loads are shifted by one
/// sample per tap and cannot all be aligned.
const SLOT_ALIGN: usize = 16;

/// The distance between two window slots holding strip rows of `strip_len` samples.
fn slot_stride(strip_len: usize) -> usize {
    strip_len.next_multiple_of(SLOT_ALIGN)
}

/// The first index of `buffer` at a 64-byte boundary (0 if there is none within
/// [`SLOT_ALIGN`]; alignment only affects speed).
fn aligned_start(buffer: &[f32]) -> usize {
    let offset = buffer
        .as_ptr()
        .align_offset(SLOT_ALIGN * std::mem::size_of::<f32>());
    if offset < SLOT_ALIGN {
        offset
    } else {
        0
    }
}

/// Filtered rows the window holds: enough for `VERTICAL_ROWS` output rows, but never
/// more than the image has.
fn window_rows(taps: usize, height: usize) -> usize {
    (taps + VERTICAL_ROWS - 1).min(height)
}

/// One thread's scratch for [`gaussian_blur_scheduled`].
struct Window {
    /// From `padded_start` on, a strip of the source row being filtered, as `f32`, with
    /// `r` more pixels on each side (edge pixels past the ends of the row).
    padded: Vec<f32>,
    padded_start: usize,
    /// From `rows_start` on, [`window_rows`] horizontally filtered strip rows, one every
    /// [`slot_stride`] samples; source row `s` is in slot `s % slots`.
    rows: Vec<f32>,
    rows_start: usize,
    /// Where the vertical pass finds its source rows, see [`Strip::vertical_sources`].
    sources: Vec<usize>,
}

impl Window {
    fn for_job(job: &Job<'_>) -> Self {
        let taps = job.weights.len();
        let strip_len = job.strip_pixels * job.shape.channels;
        // SLOT_ALIGN more than needed, to start both buffers at a 64-byte boundary.
        let padded = vec![0.0; strip_len + (taps - 1) * job.shape.channels + SLOT_ALIGN];
        let rows =
            vec![0.0; window_rows(taps, job.shape.height) * slot_stride(strip_len) + SLOT_ALIGN];
        Window {
            padded_start: aligned_start(&padded),
            padded,
            rows_start: aligned_start(&rows),
            rows,
            sources: Vec::with_capacity(taps + VERTICAL_ROWS),
        }
    }
}

/// Output rows per band. Sequentially one band: no row is filtered twice. In parallel
/// two bands per thread (a thread that finishes early can take over a band of a slower
/// one), each at least `8r` rows tall so that re-filtering the `2r` rows above a band
/// adds at most a quarter to that band's horizontal pass.
fn band_rows(schedule: Schedule, height: usize, radius: usize) -> usize {
    match schedule {
        Schedule::Sequential => height,
        Schedule::Parallel => {
            let threads = rayon::current_num_threads();
            let bands = (height / (8 * radius).max(1)).clamp(1, 2 * threads);
            height.div_ceil(bands)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::noise;

    /// The legacy specification, one sample at a time: a horizontal pass into an
    /// unrounded `f32` image, then a vertical pass, taps in index order, clamped borders.
    fn reference(src: &[u8], shape: Shape, weights: &[f32]) -> Vec<u8> {
        let Shape {
            width,
            height,
            channels,
        } = shape;
        let r = weights.len() / 2;
        let at = |x: usize, y: usize, c: usize| (y * width + x) * channels + c;
        let mut horizontal = vec![0.0f32; src.len()];
        for y in 0..height {
            for x in 0..width {
                for c in 0..channels {
                    let mut acc = 0.0f32;
                    for (i, &w) in weights.iter().enumerate() {
                        acc += w * f32::from(src[at(clamped_index(x, i, r, width), y, c)]);
                    }
                    horizontal[at(x, y, c)] = acc;
                }
            }
        }
        let mut out = vec![0u8; src.len()];
        for y in 0..height {
            for x in 0..width {
                for c in 0..channels {
                    let mut acc = 0.0f32;
                    for (j, &w) in weights.iter().enumerate() {
                        acc += w * horizontal[at(x, clamped_index(y, j, r, height), c)];
                    }
                    out[at(x, y, c)] = acc.round().clamp(0.0, 255.0) as u8;
                }
            }
        }
        out
    }

    /// Blurs with block sizes `H`, `V`, `R`, strips of `strip_pixels` and bands of
    /// `band_rows`, one band after the other with one reused window.
    fn blur_with<const H: usize, const V: usize, const R: usize>(
        src: &[u8],
        shape: Shape,
        weights: &[f32],
        strip_pixels: usize,
        band_rows: usize,
    ) -> Vec<u8> {
        let view = ImageView::new(src, shape.width, shape.height, shape.channels).unwrap();
        let job = Job::new(view, weights, strip_pixels);
        let mut window = Window::for_job(&job);
        let mut dst = vec![0u8; src.len()];
        for (index, band) in dst.chunks_mut(band_rows * shape.row_len()).enumerate() {
            blur_band_with::<H, V, R>(&job, &mut window, index * band_rows, band);
        }
        dst
    }

    #[test]
    fn every_block_size_strip_width_and_band_height_gives_the_specified_result() {
        // The instruction-set variants differ only in these block sizes; strips and
        // bands only in where the window restarts.
        let shapes = [
            (1, 1, 1),
            (3, 2, 4),
            (17, 9, 3),
            (70, 23, 1),
            (131, 14, 4),
            (200, 7, 1),
        ];
        for (seed, &(width, height, channels)) in shapes.iter().enumerate() {
            let shape = Shape {
                width,
                height,
                channels,
            };
            let src = noise(width * height * channels, seed as u64 + 1);
            for sigma in [0.4, 2.0, 3.5] {
                let weights = gaussian_weights(sigma);
                let expected = reference(&src, shape, &weights);
                if width * height > 1 {
                    assert_ne!(
                        expected, src,
                        "{shape:?}, sigma {sigma}: the blur did nothing"
                    );
                }
                for strip in [1, 7, width] {
                    for band in [1, 5, height] {
                        let case = format!("{shape:?}, sigma {sigma}, strip {strip}, band {band}");
                        let blur = |out: Vec<u8>, blocks: &str| {
                            assert_eq!(out, expected, "{case}, blocks {blocks}");
                        };
                        blur(
                            blur_with::<128, 64, 4>(&src, shape, &weights, strip, band),
                            "128/64x4",
                        );
                        blur(
                            blur_with::<64, 32, 2>(&src, shape, &weights, strip, band),
                            "64/32x2",
                        );
                        blur(
                            blur_with::<32, 32, 1>(&src, shape, &weights, strip, band),
                            "32/32x1",
                        );
                        blur(
                            blur_with::<16, 16, 3>(&src, shape, &weights, strip, band),
                            "16/16x3",
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_dispatched_band_matches_the_specification() {
        // Whichever instruction set this CPU has.
        let shape = Shape {
            width: 301,
            height: 45,
            channels: 3,
        };
        let src = noise(shape.width * shape.height * shape.channels, 7);
        let weights = gaussian_weights(2.0);
        let view = ImageView::new(&src, shape.width, shape.height, shape.channels).unwrap();
        let mut dst = vec![0u8; src.len()];
        let out = ImageViewMut::new(&mut dst, shape.width, shape.height, shape.channels).unwrap();
        gaussian_blur_scheduled(Schedule::Sequential, view, &weights, out);
        assert_eq!(dst, reference(&src, shape, &weights));
    }

    #[test]
    fn window_slots_start_on_cache_lines() {
        for (width, channels) in [(3840, 1), (100, 3), (7, 4)] {
            let src = vec![0u8; width * 9 * channels];
            let view = ImageView::new(&src, width, 9, channels).unwrap();
            let weights = gaussian_weights(1.0);
            let job = Job::new(view, &weights, width);
            let window = Window::for_job(&job);
            let stride = slot_stride(width * channels);
            assert_eq!(stride % SLOT_ALIGN, 0);
            assert!(stride >= width * channels);
            let rows = &window.rows[window.rows_start..];
            assert!(rows.len() >= window_rows(weights.len(), 9) * stride);
            for slot in rows.chunks(stride) {
                assert_eq!(slot.as_ptr() as usize % 64, 0, "{width}x{channels}");
            }
            let padded = &window.padded[window.padded_start..];
            assert!(padded.len() >= (width + weights.len() - 1) * channels);
            assert_eq!(padded.as_ptr() as usize % 64, 0, "{width}x{channels}");
        }
    }

    #[test]
    fn strips_are_whole_rows_unless_the_window_outgrows_its_budget() {
        let uhd = |channels| Shape {
            width: 3840,
            height: 2160,
            channels,
        };
        // Sigma 2: 13 taps, a 16-row window of 60 KiB rows per channel.
        assert_eq!(strip_pixels(uhd(1), 13), 3840);
        assert_eq!(strip_pixels(uhd(4), 13), 3840);
        // Sigma 64: 385 taps, 388 rows of 1552 bytes per pixel: 675 pixels fit in 1 MiB,
        // so six equal strips of 640.
        assert_eq!(strip_pixels(uhd(1), 385), 640);
        // Never narrower than 256 samples.
        let tall = Shape {
            width: 1000,
            height: 100_000,
            channels: 3,
        };
        assert_eq!(
            strip_pixels(tall, 50_001),
            1000_usize.div_ceil(1000_usize.div_ceil(86))
        );
        // A short image's window is only as tall as the image.
        let short = Shape {
            width: 100_000,
            height: 2,
            channels: 1,
        };
        assert_eq!(strip_pixels(short, 385), 100_000);
    }

    #[test]
    fn strips_cover_the_row_in_equal_parts() {
        for width in [1, 2, 255, 256, 257, 3840, 10_000] {
            for channels in [1, 3, 4] {
                for taps in [3, 13, 385, 5_001] {
                    let shape = Shape {
                        width,
                        height: 10_000,
                        channels,
                    };
                    let strip = strip_pixels(shape, taps);
                    assert!((1..=width).contains(&strip), "{shape:?}, {taps} taps");
                    let strips = width.div_ceil(strip);
                    // The last strip is at most one pixel per strip narrower.
                    assert!(strips * strip - width < strips, "{shape:?}, {taps} taps");
                }
            }
        }
    }

    #[test]
    fn parallel_bands_are_balanced_and_not_too_thin() {
        let pool = crate::test_support::pool(2);
        pool.install(|| {
            assert_eq!(band_rows(Schedule::Sequential, 2160, 6), 2160);
            // 2160 rows, r = 6: 45 bands of 8r would do, two per thread are made.
            assert_eq!(band_rows(Schedule::Parallel, 2160, 6), 540);
            // Room for two bands of 8r, not for two per thread.
            assert_eq!(band_rows(Schedule::Parallel, 100, 6), 50);
            assert_eq!(band_rows(Schedule::Parallel, 95, 6), 95);
            assert_eq!(band_rows(Schedule::Parallel, 1, 1), 1);
        });
    }
}
