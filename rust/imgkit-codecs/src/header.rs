use crate::{CodecError, ErrorCategory};

/// The default [`Limits::max_pixels`]: 100 megapixels (`imgkit::kDefaultMaxDecodePixels`).
pub const DEFAULT_MAX_PIXELS: u64 = 100_000_000;

/// The default [`Limits::max_bytes`]: 512 MiB of decoded samples
/// (`imgkit::kDefaultMaxDecodeBytes`).
pub const DEFAULT_MAX_BYTES: u64 = 512 << 20;

/// Decoder limits; mirrors `imgkit::DecodeLimits` (`cpp/core/include/imgkit/params.hpp`).
///
/// Both are checked by a decoder's first step, from the header, pixels first, before any
/// buffer of the image's size exists; over either is
/// [`ErrorCategory::LimitExceeded`](crate::ErrorCategory::LimitExceeded), the verdict
/// legacy reaches for the same file and limits.
///
/// ```
/// use imgkit_codecs::{pnm, ErrorCategory, Limits};
///
/// let limits = Limits { max_bytes: 5, ..Limits::DEFAULT };
/// let error = pnm::read_header(b"P2 3 2 255 1 2 3 4 5 6", limits).unwrap_err();
/// assert_eq!(error.category, ErrorCategory::LimitExceeded);
/// assert_eq!(
///     error.message,
///     "PNM: image needs 6 bytes (3x2, 1 channel, 8-bit), over the 5-byte limit (max_bytes)"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest `width * height` a decoder accepts.
    pub max_pixels: u64,
    /// Largest decoded image a decoder accepts, in bytes: `width * height * channels *
    /// bytes per sample` of the [`Header`] it returns (a palette image counts its 3 or 4
    /// decoded channels, 1-bit gray one byte a sample), i.e. the buffer the caller
    /// allocates for `decode_into_*`. The decoders' own scratch is a few rows besides
    /// (see the `png` module).
    pub max_bytes: u64,
}

impl Limits {
    /// `imgkit::DecodeLimits{}`: 100 megapixels, 512 MiB.
    pub const DEFAULT: Self = Self {
        max_pixels: DEFAULT_MAX_PIXELS,
        max_bytes: DEFAULT_MAX_BYTES,
    };

    /// Errors when `width * height` is above `max_pixels`; `format` starts the message
    /// ("PNG", "PNM"), which is legacy's `detail::check_pixel_limit`'s.
    pub(crate) fn check_pixels(
        self,
        format: &str,
        width: u32,
        height: u32,
    ) -> Result<(), CodecError> {
        if u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(CodecError::new(
                ErrorCategory::LimitExceeded,
                format!(
                    "{format}: {width}x{height} image exceeds the limit of {} pixels",
                    self.max_pixels
                ),
            ));
        }
        Ok(())
    }

    /// Errors when the decoded image `header` describes needs more than `max_bytes`; a
    /// size beyond `u64::MAX` is over every limit. Mirrors legacy's
    /// `detail::check_byte_limit`, message included.
    pub(crate) fn check_bytes(self, format: &str, header: &Header) -> Result<(), CodecError> {
        let pixels = u64::from(header.width) * u64::from(header.height);
        let per_pixel = u64::from(header.channels) * header.depth.bytes();
        // `pixels * per_pixel > max_bytes` without a product that can overflow (a raised
        // `max_pixels` admits up to 2^64 - 2^33 + 1 pixels, 8 bytes each).
        if pixels <= self.max_bytes / per_pixel {
            return Ok(());
        }
        let needed = match pixels.checked_mul(per_pixel) {
            Some(bytes) => bytes.to_string(),
            None => format!("more than {}", u64::MAX),
        };
        Err(CodecError::new(
            ErrorCategory::LimitExceeded,
            format!(
                "{format}: image needs {needed} bytes ({}x{}, {} {}, {}-bit), over the {}-byte \
                 limit (max_bytes)",
                header.width,
                header.height,
                header.channels,
                if header.channels == 1 {
                    "channel"
                } else {
                    "channels"
                },
                8 * header.depth.bytes(),
                self.max_bytes
            ),
        ))
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Sample width of a decoded image: what `imgkit::DecodedImage` holds, `Image` (8) or
/// `Image16` (16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    Eight,
    Sixteen,
}

impl Depth {
    /// Bytes of one sample: 1 or 2.
    pub fn bytes(self) -> u64 {
        match self {
            Depth::Eight => 1,
            Depth::Sixteen => 2,
        }
    }
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
