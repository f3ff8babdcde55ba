//! Filters bridged to C++: each mirrors the imgkit::legacy function of the same name.

use imgkit_failpoints::entry_point;
use imgkit_kernels::Kernel;

use crate::faults::at_entry;
use crate::status::ffi::ImageShape;
use crate::status::{dimension, guarded, view, view_mut, KernelStatus};

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
    // `src` and `dst` are C++-owned buffers of the shapes given (`dst` has `shape`
    // unless a function says otherwise); on any status but Ok the contents of `dst` are
    // unspecified.
    extern "Rust" {
        fn convolve(
            shape: &ImageShape,
            src: &[u8],
            kernel_width: u32,
            kernel_height: u32,
            weights: &[f32],
            dst: &mut [u8],
        ) -> KernelStatus;

        fn gaussian_blur(
            shape: &ImageShape,
            src: &[u8],
            sigma: f32,
            dst: &mut [u8],
        ) -> KernelStatus;

        fn box_blur(shape: &ImageShape, src: &[u8], radius: u32, dst: &mut [u8]) -> KernelStatus;

        fn median_blur(shape: &ImageShape, src: &[u8], radius: u32, dst: &mut [u8])
            -> KernelStatus;

        // `dst` is 1 channel of shape's width x height.
        fn sobel(shape: &ImageShape, src: &[u8], dst: &mut [u8]) -> KernelStatus;

        fn unsharp_mask(
            shape: &ImageShape,
            src: &[u8],
            sigma: f32,
            amount: f32,
            dst: &mut [u8],
        ) -> KernelStatus;
    }
}

/// `shape` with one channel: the output of the luminance-based operations.
pub(crate) fn gray(shape: &ImageShape) -> ImageShape {
    ImageShape {
        channels: 1,
        ..*shape
    }
}

/// Mirrors `imgkit::legacy::convolve`. Failpoint: `imgkit::convolve`.
pub fn convolve(
    shape: &ImageShape,
    src: &[u8],
    kernel_width: u32,
    kernel_height: u32,
    weights: &[f32],
    dst: &mut [u8],
) -> KernelStatus {
    guarded("convolve", || {
        let fault = at_entry(entry_point!("convolve"))?;
        let kernel = Kernel {
            width: dimension(kernel_width),
            height: dimension(kernel_height),
            weights,
        };
        imgkit_kernels::convolve(view(shape, src)?, &kernel, view_mut(shape, dst)?)?;
        fault.samples(dst);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::gaussian_blur`. Failpoint: `imgkit::gaussian_blur`.
pub fn gaussian_blur(shape: &ImageShape, src: &[u8], sigma: f32, dst: &mut [u8]) -> KernelStatus {
    guarded("gaussian_blur", || {
        let fault = at_entry(entry_point!("gaussian_blur"))?;
        imgkit_kernels::gaussian_blur(view(shape, src)?, sigma, view_mut(shape, dst)?)?;
        fault.samples(dst);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::box_blur`. Failpoint: `imgkit::box_blur`.
pub fn box_blur(shape: &ImageShape, src: &[u8], radius: u32, dst: &mut [u8]) -> KernelStatus {
    guarded("box_blur", || {
        let fault = at_entry(entry_point!("box_blur"))?;
        imgkit_kernels::box_blur(view(shape, src)?, radius, view_mut(shape, dst)?)?;
        fault.samples(dst);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::median_blur`. Failpoint: `imgkit::median_blur`.
pub fn median_blur(shape: &ImageShape, src: &[u8], radius: u32, dst: &mut [u8]) -> KernelStatus {
    guarded("median_blur", || {
        let fault = at_entry(entry_point!("median_blur"))?;
        imgkit_kernels::median_blur(view(shape, src)?, radius, view_mut(shape, dst)?)?;
        fault.samples(dst);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::sobel`. Failpoint: `imgkit::sobel`.
pub fn sobel(shape: &ImageShape, src: &[u8], dst: &mut [u8]) -> KernelStatus {
    guarded("sobel", || {
        let fault = at_entry(entry_point!("sobel"))?;
        imgkit_kernels::sobel(view(shape, src)?, view_mut(&gray(shape), dst)?)?;
        fault.samples(dst);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::unsharp_mask`. Failpoint: `imgkit::unsharp_mask`.
pub fn unsharp_mask(
    shape: &ImageShape,
    src: &[u8],
    sigma: f32,
    amount: f32,
    dst: &mut [u8],
) -> KernelStatus {
    guarded("unsharp_mask", || {
        let fault = at_entry(entry_point!("unsharp_mask"))?;
        imgkit_kernels::unsharp_mask(view(shape, src)?, sigma, amount, view_mut(shape, dst)?)?;
        fault.samples(dst);
        Ok(())
    })
}
