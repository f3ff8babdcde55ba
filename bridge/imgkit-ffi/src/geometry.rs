//! Geometry bridged to C++: each mirrors the imgkit::legacy function of the same name.

use imgkit_failpoints::entry_point;

use crate::faults::at_entry;
use crate::status::ffi::ImageShape;
use crate::status::{dimension, guarded, view, view_mut, BridgeError, KernelStatus};

#[cxx::bridge(namespace = "imgkit::ffi")]
mod ffi {
    // ---- Shared types -------------------------------------------------------------
    #[derive(Debug)]
    enum ResizeFilter {
        Nearest,
        Bilinear,
    }

    #[derive(Debug)]
    enum FlipAxis {
        Horizontal,
        Vertical,
    }

    // ---- Types defined by another bridge module ------------------------------------
    #[namespace = "imgkit::ffi"]
    extern "C++" {
        include!("imgkit_ffi_cxx/status.h");
        type KernelStatus = crate::status::ffi::KernelStatus;
        type ImageShape = crate::status::ffi::ImageShape;
    }

    // ---- Rust functions C++ may call -----------------------------------------------
    extern "Rust" {
        // Ok when width x height is a size resize accepts; C++ asks before allocating
        // the output.
        fn check_resize_target(width: u32, height: u32) -> KernelStatus;

        // `dst` has `dst_shape` (the target size, `shape`'s channels).
        fn resize(
            shape: &ImageShape,
            src: &[u8],
            filter: ResizeFilter,
            dst_shape: &ImageShape,
            dst: &mut [u8],
        ) -> KernelStatus;

        fn flip(shape: &ImageShape, src: &[u8], axis: FlipAxis, dst: &mut [u8]) -> KernelStatus;

        // `dst` is height x width x channels.
        fn rotate90(shape: &ImageShape, src: &[u8], dst: &mut [u8]) -> KernelStatus;
    }
}

pub use ffi::{FlipAxis, ResizeFilter};

/// Mirrors the size check of `imgkit::legacy::resize`; no failpoint (it allocates and
/// computes nothing).
pub fn check_resize_target(width: u32, height: u32) -> KernelStatus {
    guarded("resize", || {
        Ok(imgkit_kernels::check_resize_target(
            dimension(width),
            dimension(height),
        )?)
    })
}

/// Mirrors `imgkit::legacy::resize`. Failpoint: `imgkit::resize`.
pub fn resize(
    shape: &ImageShape,
    src: &[u8],
    filter: ffi::ResizeFilter,
    dst_shape: &ImageShape,
    dst: &mut [u8],
) -> KernelStatus {
    guarded("resize", || {
        let fault = at_entry(entry_point!("resize"))?;
        let filter = match filter {
            ffi::ResizeFilter::Nearest => imgkit_kernels::ResizeFilter::Nearest,
            ffi::ResizeFilter::Bilinear => imgkit_kernels::ResizeFilter::Bilinear,
            _ => return Err(BridgeError::unknown_enum("resize filter", filter.repr)),
        };
        imgkit_kernels::resize(view(shape, src)?, filter, view_mut(dst_shape, dst)?)?;
        fault.samples(dst);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::flip`. Failpoint: `imgkit::flip`.
pub fn flip(shape: &ImageShape, src: &[u8], axis: ffi::FlipAxis, dst: &mut [u8]) -> KernelStatus {
    guarded("flip", || {
        let fault = at_entry(entry_point!("flip"))?;
        let axis = match axis {
            ffi::FlipAxis::Horizontal => imgkit_kernels::FlipAxis::Horizontal,
            ffi::FlipAxis::Vertical => imgkit_kernels::FlipAxis::Vertical,
            _ => return Err(BridgeError::unknown_enum("flip axis", axis.repr)),
        };
        imgkit_kernels::flip(view(shape, src)?, axis, view_mut(shape, dst)?)?;
        fault.samples(dst);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::rotate90`. Failpoint: `imgkit::rotate90`.
pub fn rotate90(shape: &ImageShape, src: &[u8], dst: &mut [u8]) -> KernelStatus {
    guarded("rotate90", || {
        let fault = at_entry(entry_point!("rotate90"))?;
        let rotated = ImageShape {
            width: shape.height,
            height: shape.width,
            channels: shape.channels,
        };
        imgkit_kernels::rotate90(view(shape, src)?, view_mut(&rotated, dst)?)?;
        fault.samples(dst);
        Ok(())
    })
}
