//! Dense 2-D correlation with clamped borders.

use super::{correlate_row, for_each_band, rows_per_band, Kernel, Schedule, Tap};
use crate::error::{invalid, KernelError};
use crate::image::{ImageView, ImageViewMut, Shape};
use crate::sampling::{clamped_index, pad_row_clamped, round_to_u8};

/// Largest kernel side legacy accepts.
const MAX_KERNEL_SIDE: usize = 255;

/// Correlates every channel of `src` with `kernel` into `dst` (weights as given, not
/// flipped): `dst(x, y) = sum_{j, i} w[j][i] * src(x + i - kw/2, y + j - kh/2)`, summed
/// in row-major kernel order in `f32`, borders clamped, rounded half away from zero and
/// clamped to 0..=255.
///
/// Mirrors `imgkit::legacy::convolve`, with the same argument rules: kernel width and
/// height odd and in 1..=255, `width * height` weights, all finite; otherwise
/// [`KernelError::InvalidArgument`]. Deliberate differences: the result goes into the
/// caller's `dst`, which must have `src`'s shape (checked after the kernel); zero weights
/// are skipped, which cannot change a sum of finite products.
pub fn convolve(
    src: ImageView<'_>,
    kernel: &Kernel<'_>,
    dst: ImageViewMut<'_>,
) -> Result<(), KernelError> {
    check_kernel(kernel)?;
    dst.check_same_shape(&src, "convolve")?;
    let work = src.samples().len().saturating_mul(kernel.weights.len());
    convolve_scheduled(Schedule::for_work(work), src, kernel, dst);
    Ok(())
}

fn check_kernel(kernel: &Kernel<'_>) -> Result<(), KernelError> {
    for (name, side) in [("width", kernel.width), ("height", kernel.height)] {
        if side % 2 == 0 || side > MAX_KERNEL_SIDE {
            return Err(invalid(format!(
                "convolve: kernel {name} must be odd and in 1..{MAX_KERNEL_SIDE}, got {side}"
            )));
        }
    }
    let expected = kernel.width * kernel.height;
    if kernel.weights.len() != expected {
        return Err(invalid(format!(
            "convolve: a {}x{} kernel needs {expected} weights, got {}",
            kernel.width,
            kernel.height,
            kernel.weights.len()
        )));
    }
    if let Some((index, weight)) = kernel
        .weights
        .iter()
        .enumerate()
        .find(|(_, w)| !w.is_finite())
    {
        return Err(invalid(format!(
            "convolve: weights must be finite, weight {index} is {weight}"
        )));
    }
    Ok(())
}

/// The body of [`convolve`] for a checked kernel and matching shapes.
pub(crate) fn convolve_scheduled(
    schedule: Schedule,
    src: ImageView<'_>,
    kernel: &Kernel<'_>,
    mut dst: ImageViewMut<'_>,
) {
    let Shape {
        width,
        height,
        channels,
    } = src.shape();
    let row_len = src.shape().row_len();
    let (radius_x, radius_y) = (kernel.width / 2, kernel.height / 2);
    let padded_len = (width + 2 * radius_x) * channels;
    let samples = src.samples();
    // Each band pads the source rows it reads; bands of at least twice the kernel height
    // keep the rows padded twice (shared with a neighbouring band) a minority.
    let band_rows = rows_per_band(row_len * kernel.weights.len(), 2 * kernel.height);

    for_each_band(
        schedule,
        dst.samples_mut(),
        band_rows * row_len,
        Vec::new,
        |padded, index, band| {
            let first_y = index * band_rows;
            let last_y = first_y + band.len() / row_len - 1;
            let first_source = clamped_index(first_y, 0, radius_y, height);
            let last_source = clamped_index(last_y, kernel.height - 1, radius_y, height);

            padded.clear();
            padded.resize((last_source - first_source + 1) * padded_len, 0.0);
            for (source_row, padded_row) in samples
                .chunks_exact(row_len)
                .skip(first_source)
                .zip(padded.chunks_exact_mut(padded_len))
            {
                pad_row_clamped(source_row, channels, radius_x, padded_row);
            }

            let mut taps: Vec<Tap> = Vec::with_capacity(kernel.weights.len());
            for (y, out_row) in (first_y..).zip(band.chunks_exact_mut(row_len)) {
                taps.clear();
                for (j, weights_row) in kernel.weights.chunks_exact(kernel.width).enumerate() {
                    let row_start =
                        (clamped_index(y, j, radius_y, height) - first_source) * padded_len;
                    taps.extend(
                        weights_row
                            .iter()
                            .enumerate()
                            .filter(|&(_, &weight)| weight != 0.0)
                            .map(|(i, &weight)| (weight, row_start + i * channels)),
                    );
                }
                correlate_row(padded, &taps, out_row, round_to_u8);
            }
        },
    );
}
