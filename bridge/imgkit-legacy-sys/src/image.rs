//! The image the bindings take and answer.

use crate::error::{ErrorCategory, LegacyError};

/// An owned 8-bit image in `imgkit::Image`'s layout: row-major, channels interleaved.
///
/// Only the sample count is checked here (it must be `width * height * channels`); the
/// geometry itself is left for legacy to judge, so that a test can hand it a 0-wide or
/// 2-channel image and see legacy's own answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    samples: Vec<u8>,
    width: u32,
    height: u32,
    channels: u32,
}

impl Image {
    /// An [`ErrorCategory::InvalidArgument`] error unless `samples` holds exactly
    /// `width * height * channels` samples.
    pub fn new(
        samples: Vec<u8>,
        width: u32,
        height: u32,
        channels: u32,
    ) -> Result<Self, LegacyError> {
        match sample_count(width, height, channels) {
            Some(expected) if expected == samples.len() => Ok(Self {
                samples,
                width,
                height,
                channels,
            }),
            _ => Err(LegacyError {
                category: ErrorCategory::InvalidArgument,
                message: format!(
                    "buffer holds {} samples, a {width}x{height}x{channels} image needs \
                     {width} * {height} * {channels}",
                    samples.len()
                ),
            }),
        }
    }

    pub fn samples(&self) -> &[u8] {
        &self.samples
    }

    pub fn into_samples(self) -> Vec<u8> {
        self.samples
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn channels(&self) -> u32 {
        self.channels
    }
}

pub(crate) fn sample_count(width: u32, height: u32, channels: u32) -> Option<usize> {
    usize::try_from(width)
        .ok()?
        .checked_mul(usize::try_from(height).ok()?)?
        .checked_mul(usize::try_from(channels).ok()?)
}
