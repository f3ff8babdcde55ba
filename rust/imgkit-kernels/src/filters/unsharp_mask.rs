//! Unsharp mask: the input plus a multiple of its difference from a Gaussian blur.

use super::gaussian_blur;
use crate::bands::{for_each_band, Schedule};
use crate::error::{invalid, KernelError};
use crate::image::{ImageView, ImageViewMut, Shape};
use crate::sampling::round_to_u8;
use crate::simd;

/// Largest sigma legacy accepts (that of `gaussian_blur`).
const MAX_SIGMA: f32 = 64.0;

/// Largest amount legacy accepts.
const MAX_AMOUNT: f32 = 16.0;

/// The cost of sharpening one sample (after the blur) in the units of
/// [`Schedule::for_work`], whose threshold of 2^19 stands for about 60 us on one core
/// (0.11 ns a unit): measured on one core, 0.3-0.35 ns a sample. So the sharpening runs
/// in parallel from about 175 000 samples (the blur decides for itself).
const SAMPLE_WORK: usize = 3;

/// Samples sharpened per band.
const BAND_SAMPLES: usize = 1 << 16;

/// Sharpens `src` into `dst`: with `blurred` the [`gaussian_blur`] of `src` at `sigma`
/// (rounded to 8 bits), `dst = clamp(round(src + amount * (src - blurred)), 0, 255)` in
/// `f32`, evaluated as written (the difference, then the product, then the sum; no fused
/// multiply-add), rounded half away from zero, for every channel except alpha, which is
/// copied.
///
/// Mirrors `imgkit::legacy::unsharp_mask`, with the same argument rules, checked in the
/// same order: `sigma` in (0, 64], then `amount` in [0, 16] (so both finite); otherwise
/// [`KernelError::InvalidArgument`] naming `unsharp_mask`. Tolerance 1, as for
/// [`gaussian_blur`]: the sharpening itself is exact. Deliberate difference: the result
/// goes into the caller's `dst`, which must have `src`'s shape (checked after the
/// arguments); `dst` holds the blur until it is sharpened in place, so no other buffer
/// is allocated.
pub fn unsharp_mask(
    src: ImageView<'_>,
    sigma: f32,
    amount: f32,
    mut dst: ImageViewMut<'_>,
) -> Result<(), KernelError> {
    // Checked here, not left to gaussian_blur, so the message names unsharp_mask. NaN
    // fails both tests (a comparison with NaN is false); infinities fail the bounds.
    if !(sigma > 0.0 && sigma <= MAX_SIGMA) {
        return Err(invalid(format!(
            "unsharp_mask: sigma must be in (0, {MAX_SIGMA}], got {sigma}"
        )));
    }
    if !(0.0..=MAX_AMOUNT).contains(&amount) {
        return Err(invalid(format!(
            "unsharp_mask: amount must be in [0, {MAX_AMOUNT}], got {amount}"
        )));
    }
    dst.check_same_shape(&src, "unsharp_mask")?;
    let Shape {
        width,
        height,
        channels,
    } = dst.shape();
    gaussian_blur(
        src,
        sigma,
        ImageViewMut::new(dst.samples_mut(), width, height, channels)?,
    )?;
    let work = src.samples().len().saturating_mul(SAMPLE_WORK);
    sharpen(Schedule::for_work(work), src, amount, dst.samples_mut());
    Ok(())
}

/// Replaces the blur in `blurred` by the sharpened `src`, band by band. Each sample is
/// computed on its own, so the schedule does not change the result.
pub(crate) fn sharpen(schedule: Schedule, src: ImageView<'_>, amount: f32, blurred: &mut [u8]) {
    let channels = src.shape().channels;
    let samples = src.samples();
    // Whole pixels per band, so that every band starts at channel 0.
    let band_len = BAND_SAMPLES - BAND_SAMPLES % channels;
    for_each_band(
        schedule,
        blurred,
        band_len,
        || (),
        |_, index, band| {
            let original = &samples[index * band_len..][..band.len()];
            sharpen_band(original, channels, amount, band);
        },
    );
}

/// One band of [`sharpen`], compiled for the best vector instruction set the CPU has
/// (AVX-512, AVX2, or the target's baseline); the arithmetic is the same in each.
fn sharpen_band(original: &[u8], channels: usize, amount: f32, blurred: &mut [u8]) {
    simd::dispatch(
        #[inline(always)]
        |_| match channels {
            4 => sharpen_colour(original, amount, blurred),
            _ => sharpen_all(original, amount, blurred),
        },
    );
}

/// Samples sharpened together: whole RGBA pixels, and enough for the loop to vectorise.
const BLOCK: usize = 32;

/// Sharpens every sample (gray and RGB pixels).
#[inline(always)]
fn sharpen_all(original: &[u8], amount: f32, blurred: &mut [u8]) {
    sharpen_blocks(original, amount, blurred, |_| false);
}

/// Sharpens the colour of RGBA pixels and copies their alpha.
#[inline(always)]
fn sharpen_colour(original: &[u8], amount: f32, blurred: &mut [u8]) {
    sharpen_blocks(original, amount, blurred, |i| i % 4 == 3);
}

/// Sharpens `blurred` in place, except the samples `copied(i)` selects (`i` counted
/// from a pixel boundary), which take the original. Works in blocks of [`BLOCK`]
/// samples, each computed in full and then selected, so that the loop vectorises.
#[inline(always)]
fn sharpen_blocks(
    original: &[u8],
    amount: f32,
    blurred: &mut [u8],
    copied: impl Fn(usize) -> bool,
) {
    let mut out_blocks = blurred.chunks_exact_mut(BLOCK);
    let mut in_blocks = original.chunks_exact(BLOCK);
    for (out, input) in (&mut out_blocks).zip(&mut in_blocks) {
        let out: &mut [u8; BLOCK] = out.try_into().expect("a BLOCK-long chunk");
        let input: &[u8; BLOCK] = input.try_into().expect("a BLOCK-long chunk");
        for i in 0..BLOCK {
            let value = sharpened(input[i], amount, out[i]);
            out[i] = if copied(i) { input[i] } else { value };
        }
    }
    for (i, (out, &input)) in out_blocks
        .into_remainder()
        .iter_mut()
        .zip(in_blocks.remainder())
        .enumerate()
    {
        *out = if copied(i) {
            input
        } else {
            sharpened(input, amount, *out)
        };
    }
}

/// `round(original + amount * (original - blurred))`, clamped, in `f32` as legacy
/// evaluates it.
#[inline(always)]
fn sharpened(original: u8, amount: f32, blurred: u8) -> u8 {
    let original = f32::from(original);
    let high_pass = original - f32::from(blurred);
    round_to_u8(original + amount * high_pass)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{four_thread_pool, noise};

    /// The legacy expression with `std::round`'s rounding (`f32::round`), to check the
    /// port's vectorisable rounding on every input it can see.
    fn reference(original: u8, amount: f32, blurred: u8) -> u8 {
        let original = f32::from(original);
        let sum = original + amount * (original - f32::from(blurred));
        sum.round().clamp(0.0, 255.0) as u8
    }

    #[test]
    fn sharpened_matches_the_legacy_expression_for_every_pair_of_samples() {
        for amount in [0.0, 0.1, 0.5, 1.0, 1.7, 3.0, 16.0] {
            for original in 0..=255u8 {
                for blurred in 0..=255u8 {
                    assert_eq!(
                        sharpened(original, amount, blurred),
                        reference(original, amount, blurred),
                        "amount {amount}, original {original}, blurred {blurred}"
                    );
                }
            }
        }
    }

    #[test]
    fn parallel_sharpening_equals_sequential_sample_for_sample() {
        let pool = four_thread_pool();
        for channels in [1, 3, 4] {
            let (width, height) = (701, 307);
            let src = noise(width * height * channels, 0x6a09_e667_f3bc_c909);
            let blurred: Vec<u8> = src.iter().rev().copied().collect();
            let view = ImageView::new(&src, width, height, channels).unwrap();
            let run = |schedule| {
                let mut out = blurred.clone();
                pool.install(|| sharpen(schedule, view, 1.3, &mut out));
                out
            };
            let sequential = run(Schedule::Sequential);
            let parallel = run(Schedule::Parallel);
            assert_ne!(sequential, blurred, "{channels} channels: nothing happened");
            assert!(
                sequential == parallel,
                "{channels} channels: the schedules differ"
            );
            if channels == 4 {
                assert!(sequential
                    .chunks_exact(4)
                    .zip(src.chunks_exact(4))
                    .all(|(out, pixel)| out[3] == pixel[3]));
            }
        }
    }
}
