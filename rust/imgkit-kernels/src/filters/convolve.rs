//! Dense 2-D correlation with clamped borders.

use super::{correlate_row, Kernel, Tap};
use crate::bands::{for_each_band, rows_per_band, Schedule};
use crate::error::{invalid, KernelError};
use crate::image::{ImageView, ImageViewMut, Shape};
use crate::sampling::{clamped_index, pad_span_clamped, round_to_u8};
use crate::simd::{self, SimdLevel};

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
    let row_len = src.shape().row_len();
    // Each band pads the source rows it reads; bands of at least twice the kernel height
    // keep the rows padded twice (shared with a neighbouring band) a minority.
    let band_rows = rows_per_band(row_len * kernel.weights.len(), 2 * kernel.height);
    let job = Job {
        samples: src.samples(),
        shape: src.shape(),
        kernel,
        band_rows,
    };
    for_each_band(
        schedule,
        dst.samples_mut(),
        band_rows * row_len,
        Scratch::default,
        |scratch, index, band| convolve_band(&job, scratch, index, band),
    );
}

/// What every band of one [`convolve_scheduled`] call shares.
struct Job<'a, 'k> {
    samples: &'a [u8],
    shape: Shape,
    kernel: &'k Kernel<'k>,
    band_rows: usize,
}

/// One thread's scratch for [`convolve_scheduled`].
#[derive(Default)]
struct Scratch {
    /// The source rows a band reads, as `f32`, each padded by `kernel.width / 2` edge
    /// pixels on both sides.
    padded: Vec<f32>,
    /// The taps of the current output row.
    taps: Vec<Tap>,
}

/// Band `index` of the output, compiled for the best vector instruction set the CPU has
/// (AVX-512, AVX2, or the target's baseline): the arithmetic is the same in each, only
/// the block size changes.
fn convolve_band(job: &Job<'_, '_>, scratch: &mut Scratch, index: usize, band: &mut [u8]) {
    simd::dispatch(
        #[inline(always)]
        |level| match level {
            SimdLevel::Avx512 => convolve_band_with::<128>(job, scratch, index, band),
            SimdLevel::Avx2 => convolve_band_with::<64>(job, scratch, index, band),
            SimdLevel::Baseline => convolve_band_with::<32>(job, scratch, index, band),
        },
    );
}

/// [`convolve_band`] with blocks of `N` outputs.
#[inline(always)]
fn convolve_band_with<const N: usize>(
    job: &Job<'_, '_>,
    scratch: &mut Scratch,
    index: usize,
    band: &mut [u8],
) {
    let Shape {
        width,
        height,
        channels,
    } = job.shape;
    let kernel = job.kernel;
    let row_len = job.shape.row_len();
    let (radius_x, radius_y) = (kernel.width / 2, kernel.height / 2);
    let padded_len = (width + 2 * radius_x) * channels;
    let first_y = index * job.band_rows;
    let last_y = first_y + band.len() / row_len - 1;
    let first_source = clamped_index(first_y, 0, radius_y, height);
    let last_source = clamped_index(last_y, kernel.height - 1, radius_y, height);

    let padded = &mut scratch.padded;
    padded.clear();
    padded.resize((last_source - first_source + 1) * padded_len, 0.0);
    for (source_row, padded_row) in job
        .samples
        .chunks_exact(row_len)
        .skip(first_source)
        .zip(padded.chunks_exact_mut(padded_len))
    {
        pad_span_clamped(source_row, channels, 0, radius_x, padded_row);
    }

    let taps = &mut scratch.taps;
    for (y, out_row) in (first_y..).zip(band.chunks_exact_mut(row_len)) {
        taps.clear();
        for (j, weights_row) in kernel.weights.chunks_exact(kernel.width).enumerate() {
            let row_start = (clamped_index(y, j, radius_y, height) - first_source) * padded_len;
            taps.extend(
                weights_row
                    .iter()
                    .enumerate()
                    .filter(|&(_, &weight)| weight != 0.0)
                    .map(|(i, &weight)| (weight, row_start + i * channels)),
            );
        }
        correlate_row::<N, _>(padded, taps, out_row, round_to_u8);
    }
}
