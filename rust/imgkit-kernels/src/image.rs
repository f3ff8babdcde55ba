use crate::error::{invalid, KernelError};

/// The geometry of an 8-bit image: `width * height * channels` samples, row-major,
/// channels interleaved, no row padding — the layout of the C++ `imgkit::Image`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub width: usize,
    pub height: usize,
    pub channels: usize,
}

impl Shape {
    /// Samples per row: `width * channels`.
    pub fn row_len(&self) -> usize {
        self.width * self.channels
    }

    /// Checks the geometry is one imgkit accepts and that a buffer of `len` samples holds
    /// exactly this image.
    fn check_buffer(&self, len: usize) -> Result<(), KernelError> {
        let Shape {
            width,
            height,
            channels,
        } = *self;
        if width == 0 || height == 0 {
            return Err(invalid(format!(
                "image dimensions must be at least 1x1, got {width}x{height}"
            )));
        }
        if !matches!(channels, 1 | 3 | 4) {
            return Err(invalid(format!(
                "channels must be 1, 3 or 4, got {channels}"
            )));
        }
        let expected = width
            .checked_mul(height)
            .and_then(|pixels| pixels.checked_mul(channels))
            .ok_or_else(|| invalid(format!("image of {width}x{height} is too large")))?;
        if len != expected {
            return Err(invalid(format!(
                "buffer holds {len} samples, a {width}x{height}x{channels} image needs {expected}"
            )));
        }
        Ok(())
    }
}

/// A borrowed 8-bit image the caller owns.
#[derive(Debug, Clone, Copy)]
pub struct ImageView<'a> {
    samples: &'a [u8],
    shape: Shape,
}

/// The writable counterpart of [`ImageView`]; the caller owns and sizes the buffer.
#[derive(Debug)]
pub struct ImageViewMut<'a> {
    samples: &'a mut [u8],
    shape: Shape,
}

impl<'a> ImageView<'a> {
    /// Checks that `samples` holds exactly `width * height * channels` samples and that
    /// the geometry is one imgkit accepts.
    pub fn new(
        samples: &'a [u8],
        width: usize,
        height: usize,
        channels: usize,
    ) -> Result<Self, KernelError> {
        let shape = Shape {
            width,
            height,
            channels,
        };
        shape.check_buffer(samples.len())?;
        Ok(Self { samples, shape })
    }

    pub fn samples(&self) -> &'a [u8] {
        self.samples
    }

    pub fn shape(&self) -> Shape {
        self.shape
    }
}

impl<'a> ImageViewMut<'a> {
    /// As [`ImageView::new`], for the output buffer.
    pub fn new(
        samples: &'a mut [u8],
        width: usize,
        height: usize,
        channels: usize,
    ) -> Result<Self, KernelError> {
        let shape = Shape {
            width,
            height,
            channels,
        };
        shape.check_buffer(samples.len())?;
        Ok(Self { samples, shape })
    }

    pub fn samples_mut(&mut self) -> &mut [u8] {
        self.samples
    }

    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// Errors unless `self` has the same shape as `src`.
    pub(crate) fn check_same_shape(
        &self,
        src: &ImageView<'_>,
        op: &str,
    ) -> Result<(), KernelError> {
        if self.shape != src.shape {
            let (out, input) = (self.shape, src.shape);
            return Err(invalid(format!(
                "{op}: output is {}x{}x{}, input is {}x{}x{}",
                out.width, out.height, out.channels, input.width, input.height, input.channels
            )));
        }
        Ok(())
    }
}
