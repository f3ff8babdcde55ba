//! Tone: exact integer operations (imgkit/legacy/tone.hpp specifies them).

use std::ffi::c_int;

use imgkit_failpoints::entry_point;
use imgkit_kernels::{ImageView, ImageViewMut};

use crate::args::{self, image_op, ImageCall, Output};
use crate::call::{entry, guarded};

/// BT.601 luminance, (77 R + 150 G + 29 B + 128) >> 8: `dst` is one channel,
/// `width * height` bytes; gray input is copied, alpha dropped.
///
/// # Safety
///
/// `src` points to `width * height * channels` bytes, `dst` to `width * height`.
#[no_mangle]
pub unsafe extern "C" fn imgkit_to_grayscale(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    dst: *mut u8,
) -> c_int {
    let src = (src, width, height, channels);
    let op =
        |src: ImageView<'_>, dst: ImageViewMut<'_>| Ok(imgkit_kernels::to_grayscale(src, dst)?);
    // SAFETY: the header's contract, passed on.
    unsafe {
        image_op(
            "to_grayscale",
            entry_point!("to_grayscale"),
            src,
            dst,
            Output::Gray,
            op,
        )
    }
}

/// One 256-bin count per channel, alpha included: `counts` holds `channels * 256`
/// values, channel 0's bins first.
///
/// # Safety
///
/// `src` points to `width * height * channels` bytes, `counts` to `channels * 256`
/// `uint64_t`s.
#[no_mangle]
pub unsafe extern "C" fn imgkit_histogram(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    counts: *mut u64,
) -> c_int {
    guarded("histogram", || {
        let bins = |_: usize| Ok(channels as usize * 256 * std::mem::size_of::<u64>());
        let out = counts.cast::<u8>();
        // SAFETY: the header's contract, checked by ImageCall::new.
        let call = unsafe { ImageCall::new(src, width, height, channels, out, bins) }?;
        args::aligned::<u64>(out, "counts")?;
        entry(entry_point!("histogram"))?;
        // SAFETY: `counts` is non-null, aligned and apart from `src` (checked above), and
        // holds channels * 256 values by the header's contract.
        let counts = unsafe { std::slice::from_raw_parts_mut(counts, channels as usize * 256) };
        imgkit_kernels::histogram(call.src, counts)?;
        Ok(())
    })
}

/// Histogram equalisation of each channel except alpha (copied).
///
/// # Safety
///
/// `src` and `dst` point to `width * height * channels` bytes.
#[no_mangle]
pub unsafe extern "C" fn imgkit_equalize(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    dst: *mut u8,
) -> c_int {
    let src = (src, width, height, channels);
    let op = |src: ImageView<'_>, dst: ImageViewMut<'_>| Ok(imgkit_kernels::equalize(src, dst)?);
    // SAFETY: the header's contract, passed on.
    unsafe {
        image_op(
            "equalize",
            entry_point!("equalize"),
            src,
            dst,
            Output::Same,
            op,
        )
    }
}

/// Otsu's threshold of the luminance, into `*level`.
///
/// # Safety
///
/// `src` points to `width * height * channels` bytes, `level` to one byte.
#[no_mangle]
pub unsafe extern "C" fn imgkit_otsu_level(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    level: *mut u8,
) -> c_int {
    guarded("otsu_level", || {
        let one = |_: usize| Ok(1);
        // SAFETY: the header's contract, checked by ImageCall::new.
        let call = unsafe { ImageCall::new(src, width, height, channels, level, one) }?;
        entry(entry_point!("otsu_level"))?;
        call.dst[0] = imgkit_kernels::otsu_level(call.src);
        Ok(())
    })
}

/// Binarises the luminance at its Otsu level: `dst` is one channel, `width * height`
/// bytes, 255 above the level, else 0.
///
/// # Safety
///
/// `src` points to `width * height * channels` bytes, `dst` to `width * height`.
#[no_mangle]
pub unsafe extern "C" fn imgkit_otsu_threshold(
    src: *const u8,
    width: u32,
    height: u32,
    channels: u32,
    dst: *mut u8,
) -> c_int {
    let src = (src, width, height, channels);
    let op =
        |src: ImageView<'_>, dst: ImageViewMut<'_>| Ok(imgkit_kernels::otsu_threshold(src, dst)?);
    // SAFETY: the header's contract, passed on.
    unsafe {
        image_op(
            "otsu_threshold",
            entry_point!("otsu_threshold"),
            src,
            dst,
            Output::Gray,
            op,
        )
    }
}
