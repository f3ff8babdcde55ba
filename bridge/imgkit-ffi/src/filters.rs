//! Filters bridged to C++: each mirrors the imgkit::legacy function of the same name.

use fail::fail_point;
use imgkit_kernels::{ImageView, ImageViewMut, Kernel};

use crate::status::{dimension, guarded, BridgeError, KernelStatus};

#[cxx::bridge(namespace = "imgkit::ffi")]
mod ffi {
    // ---- Shared types -------------------------------------------------------------
    // The image geometry every filter call carries. Buffers travel beside it as slices
    // because cxx shared structs cannot hold borrowed slices.
    struct ImageShape {
        width: u32,
        height: u32,
        channels: u32,
    }

    // ---- Types defined by another bridge module ------------------------------------
    #[namespace = "imgkit::ffi"]
    extern "C++" {
        include!("imgkit_ffi_cxx/status.h");
        type KernelStatus = crate::status::ffi::KernelStatus;
    }

    // ---- Rust functions C++ may call -----------------------------------------------
    // `src` and `dst` are C++-owned buffers of shape.width * height * channels samples;
    // on any status but Ok the contents of `dst` are unspecified.
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
    }
}

pub use ffi::ImageShape;

fn views<'a>(
    shape: &ImageShape,
    src: &'a [u8],
    dst: &'a mut [u8],
) -> Result<(ImageView<'a>, ImageViewMut<'a>), BridgeError> {
    let (width, height, channels) = (
        dimension(shape.width),
        dimension(shape.height),
        dimension(shape.channels),
    );
    Ok((
        ImageView::new(src, width, height, channels)?,
        ImageViewMut::new(dst, width, height, channels)?,
    ))
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
        fail_point!("imgkit::convolve", |arg| Err(BridgeError::injected(arg)));
        let (src, dst) = views(shape, src, dst)?;
        let kernel = Kernel {
            width: dimension(kernel_width),
            height: dimension(kernel_height),
            weights,
        };
        Ok(imgkit_kernels::convolve(src, &kernel, dst)?)
    })
}

/// Mirrors `imgkit::legacy::gaussian_blur`. Failpoint: `imgkit::gaussian_blur`.
pub fn gaussian_blur(shape: &ImageShape, src: &[u8], sigma: f32, dst: &mut [u8]) -> KernelStatus {
    guarded("gaussian_blur", || {
        fail_point!("imgkit::gaussian_blur", |arg| Err(BridgeError::injected(
            arg
        )));
        let (src, dst) = views(shape, src, dst)?;
        Ok(imgkit_kernels::gaussian_blur(src, sigma, dst)?)
    })
}
