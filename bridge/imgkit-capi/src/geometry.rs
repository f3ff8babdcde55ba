//! Geometry: exact, every channel alike (imgkit/legacy/geometry.hpp specifies them).

use std::ffi::c_int;

use imgkit_failpoints::entry_point;
use imgkit_kernels::{FlipAxis, ResizeFilter};

use crate::args::{self, same_size, ImageCall};
use crate::call::{entry, guarded, Failure};
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
    guarded("resize", || {
        let filter = match filter {
            IMGKIT_RESIZE_NEAREST => ResizeFilter::Nearest,
            IMGKIT_RESIZE_BILINEAR => ResizeFilter::Bilinear,
            other => return Err(Failure::invalid(format!("resize: unknown filter {other}"))),
        };
        let target = |_: usize| {
            imgkit_kernels::check_resize_target(dst_width as usize, dst_height as usize)?;
            args::product(&[dst_width as usize, dst_height as usize, channels as usize])
                .ok_or_else(|| Failure::limit("resize: output is too large"))
        };
        // SAFETY: the header's contract, checked by ImageCall::new.
        let mut call = unsafe { ImageCall::new(src, width, height, channels, dst, target) }?;
        entry(entry_point!("resize"))?;
        let src = call.src;
        let dst = call.dst_view(dst_width as usize, dst_height as usize, channels as usize)?;
        imgkit_kernels::resize(src, filter, dst)?;
        Ok(())
    })
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
    guarded("flip", || {
        let axis = match axis {
            IMGKIT_FLIP_HORIZONTAL => FlipAxis::Horizontal,
            IMGKIT_FLIP_VERTICAL => FlipAxis::Vertical,
            other => return Err(Failure::invalid(format!("flip: unknown axis {other}"))),
        };
        // SAFETY: the header's contract, checked by ImageCall::new.
        let mut call = unsafe { ImageCall::new(src, width, height, channels, dst, same_size) }?;
        entry(entry_point!("flip"))?;
        let src = call.src;
        imgkit_kernels::flip(src, axis, call.same_shape()?)?;
        Ok(())
    })
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
    guarded("rotate90", || {
        // SAFETY: the header's contract, checked by ImageCall::new.
        let mut call = unsafe { ImageCall::new(src, width, height, channels, dst, same_size) }?;
        entry(entry_point!("rotate90"))?;
        let src = call.src;
        let dst = call.dst_view(height as usize, width as usize, channels as usize)?;
        imgkit_kernels::rotate90(src, dst)?;
        Ok(())
    })
}
