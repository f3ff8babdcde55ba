//! Filters: `src` and `dst` are `width * height * channels` bytes (sobel's `dst` is one
//! channel), `dst` apart from `src`. Each computes what the imgkit::legacy function of the
//! same name does (imgkit/legacy/filters.hpp specifies borders, rounding and domains).

use std::ffi::c_int;

use imgkit_failpoints::entry_point;
use imgkit_kernels::Kernel;

use crate::args::{self, same_size, ImageCall};
use crate::call::{entry, guarded};

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
    guarded("convolve", || {
        args::non_null(&[("weights", weights.cast())])?;
        // SAFETY: the header's contract, checked by ImageCall::new.
        let mut call = unsafe { ImageCall::new(src, width, height, channels, dst, same_size) }?;
        let count = kernel_width as usize * kernel_height as usize;
        let weight_bytes = count * std::mem::size_of::<f32>();
        args::disjoint(
            (weights.cast(), weight_bytes),
            (dst.cast_const(), call.dst.len()),
            "dst",
        )?;
        args::aligned::<f32>(weights.cast(), "weights")?;
        // SAFETY: non-null, apart from `dst` and aligned (checked above), and `count`
        // floats by the header's contract.
        let weights = unsafe { std::slice::from_raw_parts(weights, count) };
        let kernel = Kernel {
            width: kernel_width as usize,
            height: kernel_height as usize,
            weights,
        };
        entry(entry_point!("convolve"))?;
        let src = call.src;
        imgkit_kernels::convolve(src, &kernel, call.same_shape()?)?;
        Ok(())
    })
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
    guarded("gaussian_blur", || {
        // SAFETY: the header's contract, checked by ImageCall::new.
        let mut call = unsafe { ImageCall::new(src, width, height, channels, dst, same_size) }?;
        entry(entry_point!("gaussian_blur"))?;
        let src = call.src;
        imgkit_kernels::gaussian_blur(src, sigma, call.same_shape()?)?;
        Ok(())
    })
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
    guarded("box_blur", || {
        // SAFETY: the header's contract, checked by ImageCall::new.
        let mut call = unsafe { ImageCall::new(src, width, height, channels, dst, same_size) }?;
        entry(entry_point!("box_blur"))?;
        let src = call.src;
        imgkit_kernels::box_blur(src, radius, call.same_shape()?)?;
        Ok(())
    })
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
    guarded("median_blur", || {
        // SAFETY: the header's contract, checked by ImageCall::new.
        let mut call = unsafe { ImageCall::new(src, width, height, channels, dst, same_size) }?;
        entry(entry_point!("median_blur"))?;
        let src = call.src;
        imgkit_kernels::median_blur(src, radius, call.same_shape()?)?;
        Ok(())
    })
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
    guarded("sobel", || {
        let gray = |samples: usize| Ok(samples / channels as usize);
        // SAFETY: the header's contract, checked by ImageCall::new.
        let mut call = unsafe { ImageCall::new(src, width, height, channels, dst, gray) }?;
        entry(entry_point!("sobel"))?;
        let src = call.src;
        imgkit_kernels::sobel(src, call.gray()?)?;
        Ok(())
    })
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
    guarded("unsharp_mask", || {
        // SAFETY: the header's contract, checked by ImageCall::new.
        let mut call = unsafe { ImageCall::new(src, width, height, channels, dst, same_size) }?;
        entry(entry_point!("unsharp_mask"))?;
        let src = call.src;
        imgkit_kernels::unsharp_mask(src, sigma, amount, call.same_shape()?)?;
        Ok(())
    })
}
