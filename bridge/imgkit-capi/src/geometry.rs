//! Geometry: exact, every channel alike (imgkit/legacy/geometry.hpp specifies them).

use std::ffi::c_int;

use imgkit_failpoints::entry_point;
use imgkit_kernels::{FlipAxis, ImageView, ImageViewMut, ResizeFilter};

use crate::args::{image_op, Output};
use crate::call::{guarded, Failure};
use crate::{IMGKIT_FLIP_HORIZONTAL, IMGKIT_FLIP_VERTICAL};
use crate::{IMGKIT_RESIZE_BILINEAR, IMGKIT_RESIZE_NEAREST};

/// Resizes to `dst_width` x `dst_height` (each 1..=65535) with `filter`
/// (`IMGKIT_RESIZE_NEAREST` or `IMGKIT_RESIZE_BILINEAR`), pixel centres aligned.
///
/// # Safety
///
/// `src` points to `width * height * channels` bytes, `dst` to
/// `dst_width * dst_height * channels`.
#[no_mangle]
pub unsafe extern "C" fn imgkit_resize(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    dst_width: u32,
    dst_height: u32,
    filter: u32,
    dst: *mut u8,
) -> c_int {
    let filter = match filter {
        IMGKIT_RESIZE_NEAREST => ResizeFilter::Nearest,
        IMGKIT_RESIZE_BILINEAR => ResizeFilter::Bilinear,
        other => {
            let failure = Failure::invalid(format!("resize: unknown filter {other}"));
            return guarded("resize", || Err(failure));
        }
    };
    let src = (src, width, height, channels);
    let output = Output::Resized {
        width: dst_width,
        height: dst_height,
    };
    let op =
        |src: ImageView<'_>, dst: ImageViewMut<'_>| Ok(imgkit_kernels::resize(src, filter, dst)?);
    // SAFETY: the header's contract, passed on.
    unsafe { image_op("resize", entry_point!("resize"), src, dst, output, op) }
}

/// Mirrors left-right (`IMGKIT_FLIP_HORIZONTAL`) or top-bottom (`IMGKIT_FLIP_VERTICAL`).
///
/// # Safety
///
/// `src` and `dst` point to `width * height * channels` bytes.
#[no_mangle]
pub unsafe extern "C" fn imgkit_flip(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    axis: u32,
    dst: *mut u8,
) -> c_int {
    let axis = match axis {
        IMGKIT_FLIP_HORIZONTAL => FlipAxis::Horizontal,
        IMGKIT_FLIP_VERTICAL => FlipAxis::Vertical,
        other => {
            let failure = Failure::invalid(format!("flip: unknown axis {other}"));
            return guarded("flip", || Err(failure));
        }
    };
    let src = (src, width, height, channels);
    let op = |src: ImageView<'_>, dst: ImageViewMut<'_>| Ok(imgkit_kernels::flip(src, axis, dst)?);
    // SAFETY: the header's contract, passed on.
    unsafe { image_op("flip", entry_point!("flip"), src, dst, Output::Same, op) }
}

/// Rotates clockwise by 90 degrees: `dst` is `height` x `width` x `channels`.
///
/// # Safety
///
/// `src` and `dst` point to `width * height * channels` bytes.
#[no_mangle]
pub unsafe extern "C" fn imgkit_rotate90(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    dst: *mut u8,
) -> c_int {
    let src = (src, width, height, channels);
    let op = |src: ImageView<'_>, dst: ImageViewMut<'_>| Ok(imgkit_kernels::rotate90(src, dst)?);
    // SAFETY: the header's contract, passed on.
    unsafe {
        image_op(
            "rotate90",
            entry_point!("rotate90"),
            src,
            dst,
            Output::Rotated,
            op,
        )
    }
}
