//! Separable Gaussian blur: a horizontal pass into an `f32` buffer, then a vertical pass.

use super::{correlate_row, for_each_band, Schedule, Tap};
use crate::error::{invalid, KernelError};
use crate::image::{ImageView, ImageViewMut, Shape};
use crate::sampling::{clamped_index, pad_row_clamped, round_to_u8};

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
/// Each band of output rows slides a window of `2r + 1` horizontally filtered rows down
/// the image: output row `y` needs source rows `y - r ..= y + r` (clamped), so each step
/// filters one new source row into the slot of the row that just left the window. The
/// window stays in cache (legacy keeps a whole-image float buffer; the values are the
/// same) and every source row is filtered once per band: only the `2r` rows around a
/// boundary between two bands are filtered by both.
pub(crate) fn gaussian_blur_scheduled(
    schedule: Schedule,
    src: ImageView<'_>,
    weights: &[f32],
    mut dst: ImageViewMut<'_>,
) {
    let Shape {
        width,
        height,
        channels,
    } = src.shape();
    let row_len = src.shape().row_len();
    let radius = weights.len() / 2;
    let padded_len = (width + 2 * radius) * channels;
    let window_rows = weights.len().min(height);
    let samples = src.samples();
    let band_rows = band_rows(schedule, height, radius);

    // Horizontal pass: each row padded with its edge pixels, so tap i of output sample x
    // reads padded[x + i * channels].
    let horizontal_taps: Vec<Tap> = weights
        .iter()
        .enumerate()
        .map(|(i, &weight)| (weight, i * channels))
        .collect();

    for_each_band(
        schedule,
        dst.samples_mut(),
        band_rows * row_len,
        || Window {
            padded: vec![0.0; padded_len],
            rows: vec![0.0; window_rows * row_len],
            taps: Vec::with_capacity(weights.len()),
        },
        |window, index, band| {
            let first_y = index * band_rows;
            let mut next_source = first_y.saturating_sub(radius);
            for (y, out_row) in (first_y..).zip(band.chunks_exact_mut(row_len)) {
                let last_source = (y + radius).min(height - 1);
                for source in next_source..=last_source {
                    let source_row = &samples[source * row_len..][..row_len];
                    pad_row_clamped(source_row, channels, radius, &mut window.padded);
                    let slot = (source % window_rows) * row_len;
                    let filtered = &mut window.rows[slot..slot + row_len];
                    correlate_row(&window.padded, &horizontal_taps, filtered, |sum| sum);
                }
                next_source = last_source + 1;

                // Vertical pass: tap j reads source row clamp(y + j - r) from its slot.
                window.taps.clear();
                window
                    .taps
                    .extend(weights.iter().enumerate().map(|(j, &weight)| {
                        let source = clamped_index(y, j, radius, height);
                        (weight, (source % window_rows) * row_len)
                    }));
                correlate_row(&window.rows, &window.taps, out_row, round_to_u8);
            }
        },
    );
}

/// One thread's scratch for [`gaussian_blur_scheduled`].
struct Window {
    /// The source row being filtered, as `f32`, padded by `r` edge pixels on each side.
    padded: Vec<f32>,
    /// `min(2r + 1, height)` horizontally filtered rows; source row `s` is in slot
    /// `s % slots`.
    rows: Vec<f32>,
    /// The vertical taps of the current output row.
    taps: Vec<Tap>,
}

/// Output rows per band. Sequentially one band: no row is filtered twice. In parallel a
/// multiple of the thread count (up to four per thread) for balance, each at least `8r`
/// rows tall so that re-filtering the `2r` rows above a band adds at most an eighth to
/// the horizontal pass.
fn band_rows(schedule: Schedule, height: usize, radius: usize) -> usize {
    match schedule {
        Schedule::Sequential => height,
        Schedule::Parallel => {
            let threads = rayon::current_num_threads();
            let mut bands = (height / (8 * radius).max(1)).clamp(1, 4 * threads);
            if bands > threads {
                bands -= bands % threads;
            }
            height.div_ceil(bands)
        }
    }
}
