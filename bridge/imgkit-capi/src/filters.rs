//! Filters: `src` and `dst` are `width * height * channels` bytes (sobel's `dst` is one
//! channel), `dst` apart from `src`. Each computes what the imgkit::legacy function of the
//! same name does (imgkit/legacy/filters.hpp specifies borders, rounding and domains).

use std::ffi::c_int;

use imgkit_failpoints::entry_point;
use imgkit_kernels::{ImageView, ImageViewMut, Kernel};

use crate::args::{self, image_op, Output};

/// Correlates each channel with `kernel_width` x `kernel_height` float `weights`
/// (row-major, odd sizes 1..=255, finite, applied as given: not flipped, not
/// normalised); borders replicate the edge; results are rounded and clamped.
///
/// # Safety
///
/// `src` and `dst` point to `width * height * channels` bytes, `weights` to
/// `kernel_width * kernel_height` floats.
#[no_mangle]
pub unsafe extern "C" fn imgkit_convolve(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    weights: *const f32,
    kernel_width: u32,
    kernel_height: u32,
    dst: *mut u8,
) -> c_int {
    let src = (src, width, height, channels);
    let op = |src: ImageView<'_>, mut dst: ImageViewMut<'_>| {
        args::non_null(&[("weights", weights.cast())])?;
        let count = kernel_width as usize * kernel_height as usize;
        let out = dst.samples_mut();
        let weight_bytes = (weights.cast(), count * std::mem::size_of::<f32>());
        args::disjoint(weight_bytes, (out.as_ptr(), out.len()), "dst")?;
        args::aligned::<f32>(weights.cast(), "weights")?;
        // SAFETY: non-null, apart from `dst` and aligned (checked above), and `count`
        // floats by the header's contract.
        let weights = unsafe { std::slice::from_raw_parts(weights, count) };
        let kernel = Kernel {
            width: kernel_width as usize,
            height: kernel_height as usize,
            weights,
        };
        Ok(imgkit_kernels::convolve(src, &kernel, dst)?)
    };
    // SAFETY: the header's contract, passed on.
    unsafe {
        image_op(
            "convolve",
            entry_point!("convolve"),
            src,
            dst,
            Output::Same,
            op,
        )
    }
}

/// Gaussian blur with standard deviation `sigma` in (0, 64]: a separable kernel of
/// radius ceil(3 sigma); borders replicate the edge.
///
/// # Safety
///
/// `src` and `dst` point to `width * height * channels` bytes.
#[no_mangle]
pub unsafe extern "C" fn imgkit_gaussian_blur(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    sigma: f32,
    dst: *mut u8,
) -> c_int {
    let src = (src, width, height, channels);
    let op = |src: ImageView<'_>, dst: ImageViewMut<'_>| {
        Ok(imgkit_kernels::gaussian_blur(src, sigma, dst)?)
    };
    // SAFETY: the header's contract, passed on.
    unsafe {
        image_op(
            "gaussian_blur",
            entry_point!("gaussian_blur"),
            src,
            dst,
            Output::Same,
            op,
        )
    }
}

/// Mean over the (2 `radius` + 1)^2 window (`radius` 0..=1024, 0 copies); borders
/// replicate the edge.
///
/// # Safety
///
/// `src` and `dst` point to `width * height * channels` bytes.
#[no_mangle]
pub unsafe extern "C" fn imgkit_box_blur(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    radius: u32,
    dst: *mut u8,
) -> c_int {
    let src = (src, width, height, channels);
    let op =
        |src: ImageView<'_>, dst: ImageViewMut<'_>| Ok(imgkit_kernels::box_blur(src, radius, dst)?);
    // SAFETY: the header's contract, passed on.
    unsafe {
        image_op(
            "box_blur",
            entry_point!("box_blur"),
            src,
            dst,
            Output::Same,
            op,
        )
    }
}

/// Median of each channel over the (2 `radius` + 1)^2 window, `radius` 1 (3x3) or 2
/// (5x5); borders replicate the edge.
///
/// # Safety
///
/// `src` and `dst` point to `width * height * channels` bytes.
#[no_mangle]
pub unsafe extern "C" fn imgkit_median_blur(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    radius: u32,
    dst: *mut u8,
) -> c_int {
    let src = (src, width, height, channels);
    let op = |src: ImageView<'_>, dst: ImageViewMut<'_>| {
        Ok(imgkit_kernels::median_blur(src, radius, dst)?)
    };
    // SAFETY: the header's contract, passed on.
    unsafe {
        image_op(
            "median_blur",
            entry_point!("median_blur"),
            src,
            dst,
            Output::Same,
            op,
        )
    }
}

/// Sobel gradient magnitude of the luminance (alpha ignored): `dst` is one channel,
/// `width * height` bytes.
///
/// # Safety
///
/// `src` points to `width * height * channels` bytes, `dst` to `width * height`.
#[no_mangle]
pub unsafe extern "C" fn imgkit_sobel(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    dst: *mut u8,
) -> c_int {
    let src = (src, width, height, channels);
    let op = |src: ImageView<'_>, dst: ImageViewMut<'_>| Ok(imgkit_kernels::sobel(src, dst)?);
    // SAFETY: the header's contract, passed on.
    unsafe { image_op("sobel", entry_point!("sobel"), src, dst, Output::Gray, op) }
}

/// Sharpens: src + `amount` * (src - gaussian_blur(src, `sigma`)), rounded and
/// clamped, alpha copied; `sigma` in (0, 64], `amount` in [0, 16].
///
/// # Safety
///
/// `src` and `dst` point to `width * height * channels` bytes.
#[no_mangle]
pub unsafe extern "C" fn imgkit_unsharp_mask(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    sigma: f32,
    amount: f32,
    dst: *mut u8,
) -> c_int {
    let src = (src, width, height, channels);
    let op = |src: ImageView<'_>, dst: ImageViewMut<'_>| {
        Ok(imgkit_kernels::unsharp_mask(src, sigma, amount, dst)?)
    };
    // SAFETY: the header's contract, passed on.
    unsafe {
        image_op(
            "unsharp_mask",
            entry_point!("unsharp_mask"),
            src,
            dst,
            Output::Same,
            op,
        )
    }
}
