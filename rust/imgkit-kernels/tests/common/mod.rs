//! Helpers shared by the filter test binaries: deterministic images, calls that own
//! their buffers, and literal transcriptions of the legacy specification to compare
//! the optimised kernels against.

// Each test binary uses a different subset.
#![allow(dead_code)]

use imgkit_kernels::{convolve, gaussian_blur, ImageView, ImageViewMut, Kernel, KernelError};

mod noise;
pub use noise::noise;

/// `convolve` into a fresh buffer of the input's shape.
pub fn convolve_owned(
    src: &[u8],
    (width, height, channels): (usize, usize, usize),
    kernel: &Kernel<'_>,
) -> Result<Vec<u8>, KernelError> {
    let mut dst = vec![0u8; src.len()];
    convolve(
        ImageView::new(src, width, height, channels).unwrap(),
        kernel,
        ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
    )?;
    Ok(dst)
}

/// `gaussian_blur` into a fresh buffer of the input's shape.
pub fn gaussian_owned(
    src: &[u8],
    (width, height, channels): (usize, usize, usize),
    sigma: f32,
) -> Result<Vec<u8>, KernelError> {
    let mut dst = vec![0u8; src.len()];
    gaussian_blur(
        ImageView::new(src, width, height, channels).unwrap(),
        sigma,
        ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
    )?;
    Ok(dst)
}

fn clamp(coordinate: isize, len: usize) -> usize {
    coordinate.clamp(0, len as isize - 1) as usize
}

/// C++ `std::clamp(std::round(v), 0.0f, 255.0f)` as a sample.
fn round_sample(value: f32) -> u8 {
    value.round().clamp(0.0, 255.0) as u8
}

/// `imgkit::legacy::convolve` as the header specifies it, one sample at a time.
pub fn reference_convolve(
    src: &[u8],
    (width, height, channels): (usize, usize, usize),
    (kernel_width, kernel_height, weights): (usize, usize, &[f32]),
) -> Vec<u8> {
    let (rx, ry) = ((kernel_width / 2) as isize, (kernel_height / 2) as isize);
    let mut out = vec![0u8; src.len()];
    for y in 0..height {
        for x in 0..width {
            for c in 0..channels {
                let mut acc = 0.0f32;
                for j in 0..kernel_height {
                    let sy = clamp(y as isize + j as isize - ry, height);
                    for i in 0..kernel_width {
                        let sx = clamp(x as isize + i as isize - rx, width);
                        let sample = f32::from(src[(sy * width + sx) * channels + c]);
                        acc += weights[j * kernel_width + i] * sample;
                    }
                }
                out[(y * width + x) * channels + c] = round_sample(acc);
            }
        }
    }
    out
}

/// `imgkit::legacy::gaussian_blur` as the header specifies it: a horizontal pass into an
/// unrounded float buffer, then a vertical pass, rounded once.
pub fn reference_gaussian(
    src: &[u8],
    (width, height, channels): (usize, usize, usize),
    weights: &[f32],
) -> Vec<u8> {
    let r = (weights.len() / 2) as isize;
    let mut horizontal = vec![0.0f32; src.len()];
    for y in 0..height {
        for x in 0..width {
            for c in 0..channels {
                let mut acc = 0.0f32;
                for (i, &w) in weights.iter().enumerate() {
                    let sx = clamp(x as isize + i as isize - r, width);
                    acc += w * f32::from(src[(y * width + sx) * channels + c]);
                }
                horizontal[(y * width + x) * channels + c] = acc;
            }
        }
    }
    let mut out = vec![0u8; src.len()];
    for y in 0..height {
        for x in 0..width {
            for c in 0..channels {
                let mut acc = 0.0f32;
                for (j, &w) in weights.iter().enumerate() {
                    let sy = clamp(y as isize + j as isize - r, height);
                    acc += w * horizontal[(sy * width + x) * channels + c];
                }
                out[(y * width + x) * channels + c] = round_sample(acc);
            }
        }
    }
    out
}
