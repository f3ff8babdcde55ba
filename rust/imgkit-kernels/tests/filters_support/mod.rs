//! Helpers for the `box_blur`, `sobel` and `unsharp_mask` test binaries: calls that own
//! their buffers, and literal transcriptions of the legacy specification to compare the
//! optimised kernels against.

// Each test binary uses a different subset.
#![allow(dead_code)]

use imgkit_kernels::{box_blur, sobel, unsharp_mask, ImageView, ImageViewMut, KernelError};

/// `(width, height, channels)`.
pub type Dims = (usize, usize, usize);

/// `box_blur` into a fresh buffer of the input's shape.
pub fn box_blur_owned(
    src: &[u8],
    (width, height, channels): Dims,
    radius: u32,
) -> Result<Vec<u8>, KernelError> {
    let mut dst = vec![0u8; src.len()];
    box_blur(
        ImageView::new(src, width, height, channels).unwrap(),
        radius,
        ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
    )?;
    Ok(dst)
}

/// `sobel` into a fresh 1-channel buffer of the input's width and height.
pub fn sobel_owned(src: &[u8], (width, height, channels): Dims) -> Result<Vec<u8>, KernelError> {
    let mut dst = vec![0u8; width * height];
    sobel(
        ImageView::new(src, width, height, channels).unwrap(),
        ImageViewMut::new(&mut dst, width, height, 1).unwrap(),
    )?;
    Ok(dst)
}

/// `unsharp_mask` into a fresh buffer of the input's shape.
pub fn unsharp_owned(
    src: &[u8],
    (width, height, channels): Dims,
    sigma: f32,
    amount: f32,
) -> Result<Vec<u8>, KernelError> {
    let mut dst = vec![0u8; src.len()];
    unsharp_mask(
        ImageView::new(src, width, height, channels).unwrap(),
        sigma,
        amount,
        ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
    )?;
    Ok(dst)
}

/// The message of an `InvalidArgument`; panics on success.
pub fn invalid_message<T>(result: Result<T, KernelError>) -> String {
    match result {
        Err(KernelError::InvalidArgument(message)) => message,
        Ok(_) => panic!("expected InvalidArgument, got Ok"),
    }
}

fn clamp(coordinate: i64, len: usize) -> usize {
    coordinate.clamp(0, len as i64 - 1) as usize
}

/// `imgkit::legacy::box_blur` as the header specifies it: the whole clamped window per
/// sample, summed in `u64`, then `(sum + n / 2) / n`.
pub fn reference_box_blur(src: &[u8], (width, height, channels): Dims, radius: u32) -> Vec<u8> {
    let r = i64::from(radius);
    let n = ((2 * r + 1) * (2 * r + 1)) as u64;
    let mut out = vec![0u8; src.len()];
    for y in 0..height {
        for x in 0..width {
            for c in 0..channels {
                let mut sum = 0u64;
                for dy in -r..=r {
                    let sy = clamp(y as i64 + dy, height);
                    for dx in -r..=r {
                        let sx = clamp(x as i64 + dx, width);
                        sum += u64::from(src[(sy * width + sx) * channels + c]);
                    }
                }
                out[(y * width + x) * channels + c] = ((sum + n / 2) / n) as u8;
            }
        }
    }
    out
}

/// BT.601 luminance in 8-bit fixed point, as `imgkit::legacy::to_grayscale`.
pub fn reference_luma(src: &[u8], channels: usize) -> Vec<u8> {
    if channels == 1 {
        return src.to_vec();
    }
    src.chunks_exact(channels)
        .map(|p| {
            ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8) as u8
        })
        .collect()
}

/// `imgkit::legacy::sobel` as the header specifies it: integer kernels over the clamped
/// luminance, then `min(255, round(sqrt(float(gx^2 + gy^2))))`.
pub fn reference_sobel(src: &[u8], (width, height, channels): Dims) -> Vec<u8> {
    const GX: [[i32; 3]; 3] = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]];
    const GY: [[i32; 3]; 3] = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]];
    let gray = reference_luma(src, channels);
    let mut out = vec![0u8; width * height];
    for y in 0..height {
        for x in 0..width {
            let (mut gx, mut gy) = (0i32, 0i32);
            for j in 0..3 {
                let sy = clamp(y as i64 + j as i64 - 1, height);
                for i in 0..3 {
                    let sx = clamp(x as i64 + i as i64 - 1, width);
                    let v = i32::from(gray[sy * width + sx]);
                    gx += GX[j][i] * v;
                    gy += GY[j][i] * v;
                }
            }
            let magnitude = ((gx * gx + gy * gy) as f32).sqrt().round();
            out[y * width + x] = magnitude.min(255.0) as u8;
        }
    }
    out
}

/// `imgkit::legacy::unsharp_mask`'s sharpening step, given the blur: for every channel
/// but alpha `clamp(round(in + amount * (in - blurred)))` in `f32`; alpha copied.
pub fn reference_sharpen(src: &[u8], blurred: &[u8], channels: usize, amount: f32) -> Vec<u8> {
    src.iter()
        .zip(blurred)
        .enumerate()
        .map(|(i, (&original, &blur))| {
            if channels == 4 && i % 4 == 3 {
                return original;
            }
            let original = f32::from(original);
            let value = original + amount * (original - f32::from(blur));
            value.round().clamp(0.0, 255.0) as u8
        })
        .collect()
}

/// One 8-bit channel of an interleaved image.
pub fn channel_of(samples: &[u8], channels: usize, channel: usize) -> Vec<u8> {
    samples
        .iter()
        .skip(channel)
        .step_by(channels)
        .copied()
        .collect()
}

/// The image transposed (x and y swapped).
pub fn transpose(src: &[u8], (width, height, channels): Dims) -> Vec<u8> {
    let mut out = vec![0u8; src.len()];
    for y in 0..height {
        for x in 0..width {
            for c in 0..channels {
                out[(x * height + y) * channels + c] = src[(y * width + x) * channels + c];
            }
        }
    }
    out
}
