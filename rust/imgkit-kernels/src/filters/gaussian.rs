//! Separable Gaussian blur: a horizontal pass into an `f32` buffer, then a vertical pass.

use super::{correlate_row, for_each_band, rows_per_band, Schedule, Tap};
use crate::error::{invalid, KernelError};
use crate::image::{ImageView, ImageViewMut};
use crate::sampling::{clamped_index, pad_row_clamped, round_to_u8};

/// Largest sigma legacy accepts.
const MAX_SIGMA: f32 = 64.0;

/// The Gaussian radius for `sigma`: `ceil(3 * sigma)`, computed in `f32`.
///
/// Mirrors `imgkit::legacy::gaussian_radius`. Does not validate; a NaN or negative
/// sigma gives 0.
pub fn gaussian_radius(sigma: f32) -> usize {
    (3.0 * sigma).ceil() as usize
}

/// The normalised 1-D Gaussian of `2r + 1` taps, `r = gaussian_radius(sigma)`:
/// `w[i] = exp(-(i - r)^2 / (2 sigma^2)) / sum`, computed in `f64` (the sum in tap
/// order), stored as `f32`.
///
/// Mirrors `imgkit::legacy::gaussian_weights`. Expects a sigma that
/// [`gaussian_blur`] accepts; it does not validate.
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
/// Mirrors `imgkit::legacy::gaussian_blur`, with the same argument rule: `sigma` finite,
/// > 0 and <= 64, otherwise [`KernelError::InvalidArgument`]. Deliberate difference: the
/// result goes into the caller's `dst`, which must have `src`'s shape (checked after
/// sigma).
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
pub(crate) fn gaussian_blur_scheduled(
    schedule: Schedule,
    src: ImageView<'_>,
    weights: &[f32],
    mut dst: ImageViewMut<'_>,
) {
    let (width, height, channels) = (src.width(), src.height(), src.channels());
    let row_len = src.row_len();
    let radius = weights.len() / 2;
    let padded_len = (width + 2 * radius) * channels;
    let samples = src.samples();
    let band_rows = rows_per_band(row_len * weights.len(), 1);

    // Horizontal pass: each row padded with its edge pixels, so tap i of output sample x
    // reads padded[x + i * channels].
    let horizontal_taps: Vec<Tap> =
        weights.iter().enumerate().map(|(i, &weight)| (weight, i * channels)).collect();
    let mut horizontal = vec![0.0f32; samples.len()];
    for_each_band(
        schedule,
        &mut horizontal,
        band_rows * row_len,
        || vec![0.0f32; padded_len],
        |padded, index, band| {
            let source_rows = samples.chunks_exact(row_len).skip(index * band_rows);
            for (source_row, out_row) in source_rows.zip(band.chunks_exact_mut(row_len)) {
                pad_row_clamped(source_row, channels, radius, padded);
                correlate_row(padded, &horizontal_taps, out_row, |sum| sum);
            }
        },
    );

    // Vertical pass: tap j of row y reads row clamp(y + j - r) of the horizontal buffer.
    let horizontal = &horizontal;
    for_each_band(
        schedule,
        dst.samples_mut(),
        band_rows * row_len,
        || Vec::with_capacity(weights.len()),
        |taps: &mut Vec<Tap>, index, band| {
            for (y, out_row) in (index * band_rows..).zip(band.chunks_exact_mut(row_len)) {
                taps.clear();
                taps.extend(weights.iter().enumerate().map(|(j, &weight)| {
                    (weight, clamped_index(y, j, radius, height) * row_len)
                }));
                correlate_row(horizontal, taps, out_row, round_to_u8);
            }
        },
    );
}
