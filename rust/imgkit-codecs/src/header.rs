/// Decoder limits; mirrors `imgkit::DecodeLimits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest `width * height` a decoder accepts; larger is
    /// [`ErrorCategory::LimitExceeded`](crate::ErrorCategory::LimitExceeded), reported
    /// before any pixel buffer is allocated.
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pixels: 100_000_000,
        }
    }
}

/// Sample width of a decoded image: what `imgkit::DecodedImage` holds, `Image` (8) or
/// `Image16` (16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    Eight,
    Sixteen,
}

/// What a decoder's first step learned: the decoded image's geometry and sample depth.
/// The caller allocates `sample_count()` samples of that depth for `decode_into`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub width: u32,
    pub height: u32,
    /// 1, 3 or 4, after the legacy mapping of colour types.
    pub channels: u32,
    pub depth: Depth,
}

impl Header {
    /// `width * height * channels`.
    pub fn sample_count(&self) -> usize {
        self.width as usize * self.height as usize * self.channels as usize
    }
}
