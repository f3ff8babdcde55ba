//! The caller's pointers and sizes, checked in the header's order and turned into slices:
//! null pointers and bad dimensions (invalid argument), sizes overflowing `usize` (limit
//! exceeded), outputs overlapping inputs (invalid argument), misaligned 16-bit or 64-bit
//! buffers (invalid argument). Only then does any slice exist, so a borrowed output
//! never aliases a borrowed input.

use std::ffi::c_int;
use std::ops::Range;

use imgkit_kernels::{ImageView, ImageViewMut, Shape};

use crate::call::{entry, guarded, Failure};

/// Errors when any of `pointers` (name, address) is null, naming the first.
pub(crate) fn non_null(pointers: &[(&str, *const ())]) -> Result<(), Failure> {
    match pointers.iter().find(|(_, pointer)| pointer.is_null()) {
        Some((name, _)) => Err(Failure::invalid(format!("{name} is NULL"))),
        None => Ok(()),
    }
}

/// Checks an image's dimensions (at least 1x1, 1, 3 or 4 channels) and returns its
/// sample count, `LIMIT_EXCEEDED` when that overflows.
pub(crate) fn samples(width: u32, height: u32, channels: u32) -> Result<usize, Failure> {
    if width == 0 || height == 0 {
        return Err(Failure::invalid(format!(
            "image dimensions must be at least 1x1, got {width}x{height}"
        )));
    }
    if !matches!(channels, 1 | 3 | 4) {
        return Err(Failure::invalid(format!(
            "channels must be 1, 3 or 4, got {channels}"
        )));
    }
    product(&[width as usize, height as usize, channels as usize])
        .ok_or_else(|| Failure::limit(format!("a {width}x{height}x{channels} image is too large")))
}

/// The product of `factors`, `None` when it overflows `usize`.
pub(crate) fn product(factors: &[usize]) -> Option<usize> {
    factors
        .iter()
        .try_fold(1usize, |acc, &f| acc.checked_mul(f))
}

fn span(pointer: *const u8, bytes: usize) -> Range<usize> {
    let start = pointer as usize;
    start..start.saturating_add(bytes)
}

/// Errors when the output's bytes overlap the input's.
pub(crate) fn disjoint(
    input: (*const u8, usize),
    output: (*const u8, usize),
    what: &str,
) -> Result<(), Failure> {
    let (a, b) = (span(input.0, input.1), span(output.0, output.1));
    if a.start < b.end && b.start < a.end {
        return Err(Failure::invalid(format!(
            "{what} overlaps the input; use a separate buffer"
        )));
    }
    Ok(())
}

/// Errors unless `pointer` is aligned for `T`.
pub(crate) fn aligned<T>(pointer: *const u8, what: &str) -> Result<(), Failure> {
    if !pointer.cast::<T>().is_aligned() {
        return Err(Failure::invalid(format!(
            "{what} is not aligned to {} bytes",
            std::mem::align_of::<T>()
        )));
    }
    Ok(())
}

/// `len` bytes at `pointer`.
///
/// # Safety
///
/// `pointer` is non-null and points to `len` readable bytes that nothing writes while
/// the slice lives (the C caller's promise).
pub(crate) unsafe fn bytes<'a>(pointer: *const u8, len: usize) -> &'a [u8] {
    // SAFETY: the caller's promise above.
    unsafe { std::slice::from_raw_parts(pointer, len) }
}

/// `len` writable bytes at `pointer`.
///
/// # Safety
///
/// `pointer` is non-null and points to `len` writable bytes that nothing else reads or
/// writes while the slice lives ([`disjoint`] has checked it against the inputs).
pub(crate) unsafe fn bytes_mut<'a>(pointer: *mut u8, len: usize) -> &'a mut [u8] {
    // SAFETY: the caller's promise above.
    unsafe { std::slice::from_raw_parts_mut(pointer, len) }
}

/// The input image and the output buffer of an image operation, checked in order.
/// `dst_samples` gives the output's size from the input's sample count (its error, e.g.
/// an output size out of range, comes after the input's checks).
pub(crate) struct ImageCall<'a> {
    pub(crate) src: ImageView<'a>,
    pub(crate) dst: &'a mut [u8],
}

impl<'a> ImageCall<'a> {
    /// # Safety
    ///
    /// `src` points to `width * height * channels` readable bytes and `dst` to the number
    /// of writable bytes `dst_samples` returns (the header's contract), when non-null.
    pub(crate) unsafe fn new(
        src: *const u8,
        width: u32,
        height: u32,
        channels: u32,
        dst: *mut u8,
        dst_samples: impl FnOnce(usize) -> Result<usize, Failure>,
    ) -> Result<Self, Failure> {
        non_null(&[("src", src.cast()), ("dst", dst.cast_const().cast())])?;
        let src_len = samples(width, height, channels)?;
        let dst_len = dst_samples(src_len)?;
        disjoint((src, src_len), (dst.cast_const(), dst_len), "dst")?;
        // SAFETY: non-null, sized per the header's contract, and disjoint (checked above).
        let (src, dst) = unsafe { (bytes(src, src_len), bytes_mut(dst, dst_len)) };
        let src = ImageView::new(src, width as usize, height as usize, channels as usize)?;
        Ok(Self { src, dst })
    }

    /// `dst` as an image of `width` x `height` x `channels`.
    pub(crate) fn dst_view(
        &mut self,
        width: usize,
        height: usize,
        channels: usize,
    ) -> Result<ImageViewMut<'_>, Failure> {
        Ok(ImageViewMut::new(self.dst, width, height, channels)?)
    }
}

/// The output an image operation writes, given its input's shape.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Output {
    /// The input's shape.
    Same,
    /// One channel, the input's width and height.
    Gray,
    /// The input turned a quarter: height x width.
    Rotated,
    /// `width` x `height`, the input's channels (each side 1..=65535, resize's rule).
    Resized { width: u32, height: u32 },
}

impl Output {
    /// The output's width, height and channels for an input of `shape`, checked.
    fn shape(self, shape: Shape) -> Result<(usize, usize, usize), Failure> {
        let Shape {
            width,
            height,
            channels,
        } = shape;
        Ok(match self {
            Output::Same => (width, height, channels),
            Output::Gray => (width, height, 1),
            Output::Rotated => (height, width, channels),
            Output::Resized { width, height } => {
                let (width, height) = (width as usize, height as usize);
                imgkit_kernels::check_resize_target(width, height)?;
                (width, height, channels)
            }
        })
    }
}

/// Runs an image operation for an export: the arguments checked in the header's order,
/// the component's failpoint, then `op` on the input and the output's view.
///
/// # Safety
///
/// `src` points to `width * height * channels` readable bytes and `dst` to as many
/// writable bytes as `output` makes of them (the header's contract), when non-null.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn image_op(
    name: &str,
    point: &'static str,
    (src, width, height, channels): (*const u8, u32, u32, u32),
    dst: *mut u8,
    output: Output,
    op: impl FnOnce(ImageView<'_>, ImageViewMut<'_>) -> Result<(), Failure>,
) -> c_int {
    guarded(name, || {
        let mut out_shape = (0, 0, 0);
        let dst_samples = |_: usize| {
            let shape = Shape {
                width: width as usize,
                height: height as usize,
                channels: channels as usize,
            };
            out_shape = output.shape(shape)?;
            let (w, h, c) = out_shape;
            product(&[w, h, c])
                .ok_or_else(|| Failure::limit(format!("{name}: output is too large")))
        };
        // SAFETY: the caller's promise, checked by ImageCall::new.
        let mut call = unsafe { ImageCall::new(src, width, height, channels, dst, dst_samples) }?;
        entry(point)?;
        let src = call.src;
        let (w, h, c) = out_shape;
        op(src, call.dst_view(w, h, c)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_is_any_shared_byte() {
        let buffer = [0u8; 16];
        let at = |i: usize| buffer.as_ptr().wrapping_add(i);
        assert!(disjoint((at(0), 8), (at(8), 8), "dst").is_ok());
        assert!(disjoint((at(0), 9), (at(8), 8), "dst").is_err());
        assert!(disjoint((at(8), 8), (at(0), 9), "dst").is_err());
        assert!(disjoint((at(4), 1), (at(0), 16), "dst").is_err());
    }

    #[test]
    fn dimensions_before_overflow() {
        assert_eq!(
            samples(0, 1 << 31, 4).unwrap_err().status,
            crate::IMGKIT_ERR_INVALID_ARGUMENT
        );
        assert_eq!(
            samples(3, 2, 2).unwrap_err().status,
            crate::IMGKIT_ERR_INVALID_ARGUMENT
        );
        assert_eq!(
            samples(u32::MAX, u32::MAX, 4).unwrap_err().status,
            crate::IMGKIT_ERR_LIMIT_EXCEEDED
        );
        assert_eq!(samples(3, 2, 4).unwrap(), 24);
    }
}
