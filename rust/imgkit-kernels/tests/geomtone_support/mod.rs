//! Helpers shared by the geometry and tone test binaries: calls that own their buffers,
//! and literal transcriptions of the legacy specification (`geometry.hpp`, `tone.hpp`),
//! one sample at a time, to compare the optimised kernels against.

// Each test binary uses a different subset.
#![allow(dead_code)]

use imgkit_kernels::{
    equalize, flip, otsu_threshold, resize, rotate90, FlipAxis, ImageView, ImageViewMut,
    KernelError, ResizeFilter,
};

/// Width, height, channels.
pub type Dims = (usize, usize, usize);

pub fn view(samples: &[u8], (width, height, channels): Dims) -> ImageView<'_> {
    ImageView::new(samples, width, height, channels).unwrap()
}

/// `resize` into a fresh `width x height` buffer with `src`'s channel count.
pub fn resize_owned(
    src: &[u8],
    dims: Dims,
    filter: ResizeFilter,
    (width, height): (usize, usize),
) -> Result<Vec<u8>, KernelError> {
    let mut dst = vec![0u8; width * height * dims.2];
    resize(
        view(src, dims),
        filter,
        ImageViewMut::new(&mut dst, width, height, dims.2).unwrap(),
    )?;
    Ok(dst)
}

pub fn flip_owned(src: &[u8], dims: Dims, axis: FlipAxis) -> Vec<u8> {
    let mut dst = vec![0u8; src.len()];
    flip(
        view(src, dims),
        axis,
        ImageViewMut::new(&mut dst, dims.0, dims.1, dims.2).unwrap(),
    )
    .unwrap();
    dst
}

/// `rotate90` into a fresh `height x width` buffer.
pub fn rotate_owned(src: &[u8], dims: Dims) -> Vec<u8> {
    let mut dst = vec![0u8; src.len()];
    rotate90(
        view(src, dims),
        ImageViewMut::new(&mut dst, dims.1, dims.0, dims.2).unwrap(),
    )
    .unwrap();
    dst
}

pub fn equalize_owned(src: &[u8], dims: Dims) -> Vec<u8> {
    let mut dst = vec![0u8; src.len()];
    equalize(
        view(src, dims),
        ImageViewMut::new(&mut dst, dims.0, dims.1, dims.2).unwrap(),
    )
    .unwrap();
    dst
}

pub fn otsu_threshold_owned(src: &[u8], dims: Dims) -> Vec<u8> {
    let mut dst = vec![0u8; dims.0 * dims.1];
    otsu_threshold(
        view(src, dims),
        ImageViewMut::new(&mut dst, dims.0, dims.1, 1).unwrap(),
    )
    .unwrap();
    dst
}

/// The source coordinate of output index `i`: `(i + 0.5) * source / size - 0.5`.
fn coordinate(i: usize, source: usize, size: usize) -> f64 {
    (i as f64 + 0.5) * source as f64 / size as f64 - 0.5
}

/// `imgkit::legacy::resize` as the header specifies it.
pub fn reference_resize(
    src: &[u8],
    (width, height, channels): Dims,
    filter: ResizeFilter,
    (out_width, out_height): (usize, usize),
) -> Vec<u8> {
    let at = |x: usize, y: usize, c: usize| f64::from(src[(y * width + x) * channels + c]);
    let mut out = vec![0u8; out_width * out_height * channels];
    for y in 0..out_height {
        let sy = coordinate(y, height, out_height);
        for x in 0..out_width {
            let sx = coordinate(x, width, out_width);
            for c in 0..channels {
                let index = (y * out_width + x) * channels + c;
                out[index] = match filter {
                    ResizeFilter::Nearest => {
                        let nx = (sx + 0.5).floor().clamp(0.0, width as f64 - 1.0) as usize;
                        let ny = (sy + 0.5).floor().clamp(0.0, height as f64 - 1.0) as usize;
                        at(nx, ny, c) as u8
                    }
                    ResizeFilter::Bilinear => {
                        let x0 = sx.floor().clamp(0.0, width as f64 - 1.0);
                        let y0 = sy.floor().clamp(0.0, height as f64 - 1.0);
                        let fx = (sx - x0).clamp(0.0, 1.0);
                        let fy = (sy - y0).clamp(0.0, 1.0);
                        let (x0, y0) = (x0 as usize, y0 as usize);
                        let x1 = (x0 + 1).min(width - 1);
                        let y1 = (y0 + 1).min(height - 1);
                        let top = at(x0, y0, c) * (1.0 - fx) + at(x1, y0, c) * fx;
                        let bottom = at(x0, y1, c) * (1.0 - fx) + at(x1, y1, c) * fx;
                        let value = top * (1.0 - fy) + bottom * fy;
                        value.round().clamp(0.0, 255.0) as u8
                    }
                };
            }
        }
    }
    out
}

/// `imgkit::legacy::rotate90`: `out(x, y) = in(y, H - 1 - x)`, output `H x W`.
pub fn reference_rotate(src: &[u8], (width, height, channels): Dims) -> Vec<u8> {
    let mut out = vec![0u8; src.len()];
    for y in 0..width {
        for x in 0..height {
            for c in 0..channels {
                out[(y * height + x) * channels + c] =
                    src[((height - 1 - x) * width + y) * channels + c];
            }
        }
    }
    out
}

/// `imgkit::legacy::flip`.
pub fn reference_flip(src: &[u8], (width, height, channels): Dims, axis: FlipAxis) -> Vec<u8> {
    let mut out = vec![0u8; src.len()];
    for y in 0..height {
        for x in 0..width {
            let (sx, sy) = match axis {
                FlipAxis::Horizontal => (width - 1 - x, y),
                FlipAxis::Vertical => (x, height - 1 - y),
            };
            for c in 0..channels {
                out[(y * width + x) * channels + c] = src[(sy * width + sx) * channels + c];
            }
        }
    }
    out
}

/// `imgkit::legacy::to_grayscale`.
pub fn reference_gray(src: &[u8], channels: usize) -> Vec<u8> {
    src.chunks_exact(channels)
        .map(|p| {
            if channels == 1 {
                p[0]
            } else {
                ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8)
                    as u8
            }
        })
        .collect()
}

/// `imgkit::legacy::histogram`, flattened: `counts[c * 256 + v]`.
pub fn reference_histogram(src: &[u8], channels: usize) -> Vec<u64> {
    let mut counts = vec![0u64; channels * 256];
    for (i, &v) in src.iter().enumerate() {
        counts[(i % channels) * 256 + usize::from(v)] += 1;
    }
    counts
}

/// `imgkit::legacy::equalize` as the header specifies it, sample by sample.
pub fn reference_equalize(src: &[u8], (width, height, channels): Dims) -> Vec<u8> {
    let n = (width * height) as u64;
    let counts = reference_histogram(src, channels);
    let colour = if channels == 4 { 3 } else { channels };
    src.iter()
        .enumerate()
        .map(|(i, &v)| {
            let c = i % channels;
            let channel = &counts[c * 256..(c + 1) * 256];
            let cdf = |value: usize| channel[..=value].iter().sum::<u64>();
            let smallest = channel.iter().position(|&k| k > 0).unwrap();
            let cdf_min = cdf(smallest);
            if c >= colour || n == cdf_min {
                return v;
            }
            (((cdf(usize::from(v)) - cdf_min) * 255 + (n - cdf_min) / 2) / (n - cdf_min)) as u8
        })
        .collect()
}

/// `imgkit::legacy::otsu_level` as the header specifies it: every candidate `t`
/// evaluated from scratch.
pub fn reference_otsu_level(src: &[u8], channels: usize) -> u8 {
    let gray = reference_gray(src, channels);
    let n = gray.len() as f64;
    let mut best: Option<(u8, f64)> = None;
    for t in 0..=255u8 {
        let (mut n0, mut n1, mut s0, mut s1) = (0u64, 0u64, 0u64, 0u64);
        for &v in &gray {
            if v <= t {
                n0 += 1;
                s0 += u64::from(v);
            } else {
                n1 += 1;
                s1 += u64::from(v);
            }
        }
        if n0 == 0 || n1 == 0 {
            continue;
        }
        let (w0, w1) = (n0 as f64 / n, n1 as f64 / n);
        let d = s0 as f64 / n0 as f64 - s1 as f64 / n1 as f64;
        let variance = (w0 * w1) * (d * d);
        if best.is_none_or(|(_, b)| variance > b) {
            best = Some((t, variance));
        }
    }
    best.map_or(gray[0], |(t, _)| t)
}
