//! Tone operations bridged to C++: each mirrors the imgkit::legacy function of the same
//! name.

use imgkit_failpoints::entry_point;

use crate::faults::at_entry;
use crate::filters::gray;
use crate::status::ffi::ImageShape;
use crate::status::{guarded, view, view_mut, KernelStatus};

#[cxx::bridge(namespace = "imgkit::ffi")]
mod ffi {
    // ---- Types defined by another bridge module ------------------------------------
    #[namespace = "imgkit::ffi"]
    extern "C++" {
        include!("imgkit_ffi_cxx/status.h");
        type KernelStatus = crate::status::ffi::KernelStatus;
        type ImageShape = crate::status::ffi::ImageShape;
    }

    // ---- Rust functions C++ may call -----------------------------------------------
    // Outputs named `gray` are 1 channel of shape's width x height.
    extern "Rust" {
        fn to_grayscale(shape: &ImageShape, src: &[u8], gray: &mut [u8]) -> KernelStatus;

        // `counts` holds channels * 256 counts, channel-major.
        fn histogram(shape: &ImageShape, src: &[u8], counts: &mut [u64]) -> KernelStatus;

        fn equalize(shape: &ImageShape, src: &[u8], dst: &mut [u8]) -> KernelStatus;

        fn otsu_level(shape: &ImageShape, src: &[u8], level: &mut u8) -> KernelStatus;

        fn otsu_threshold(shape: &ImageShape, src: &[u8], gray: &mut [u8]) -> KernelStatus;
    }
}

/// Mirrors `imgkit::legacy::to_grayscale`. Failpoint: `imgkit::to_grayscale`.
pub fn to_grayscale(shape: &ImageShape, src: &[u8], gray_out: &mut [u8]) -> KernelStatus {
    guarded("to_grayscale", || {
        let fault = at_entry(entry_point!("to_grayscale"))?;
        imgkit_kernels::to_grayscale(view(shape, src)?, view_mut(&gray(shape), gray_out)?)?;
        fault.samples(gray_out);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::histogram`. Failpoint: `imgkit::histogram`.
pub fn histogram(shape: &ImageShape, src: &[u8], counts: &mut [u64]) -> KernelStatus {
    guarded("histogram", || {
        let fault = at_entry(entry_point!("histogram"))?;
        imgkit_kernels::histogram(view(shape, src)?, counts)?;
        fault.counts(counts);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::equalize`. Failpoint: `imgkit::equalize`.
pub fn equalize(shape: &ImageShape, src: &[u8], dst: &mut [u8]) -> KernelStatus {
    guarded("equalize", || {
        let fault = at_entry(entry_point!("equalize"))?;
        imgkit_kernels::equalize(view(shape, src)?, view_mut(shape, dst)?)?;
        fault.samples(dst);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::otsu_level`. Failpoint: `imgkit::otsu_level`.
pub fn otsu_level(shape: &ImageShape, src: &[u8], level: &mut u8) -> KernelStatus {
    guarded("otsu_level", || {
        let fault = at_entry(entry_point!("otsu_level"))?;
        *level = imgkit_kernels::otsu_level(view(shape, src)?);
        fault.level(level);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::otsu_threshold`. Failpoint: `imgkit::otsu_threshold`.
pub fn otsu_threshold(shape: &ImageShape, src: &[u8], gray_out: &mut [u8]) -> KernelStatus {
    guarded("otsu_threshold", || {
        let fault = at_entry(entry_point!("otsu_threshold"))?;
        imgkit_kernels::otsu_threshold(view(shape, src)?, view_mut(&gray(shape), gray_out)?)?;
        fault.samples(gray_out);
        Ok(())
    })
}
