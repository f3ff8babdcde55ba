//! The encoder: P2/P3/P5/P6 files with maxval 255 or 65535, the bytes legacy writes.

use super::fail;
use crate::error::{CodecError, ErrorCategory};

const MAX_PLAIN_LINE_LENGTH: usize = 70;

/// A sample type the encoder writes: its maxval and its binary form.
trait EncodeSample: Copy {
    const MAXVAL: u32;
    /// Bytes per sample in a binary raster.
    const BYTES: usize;
    /// Decimal digits of `MAXVAL`.
    const MAX_DIGITS: usize;
    fn value(self) -> u32;
    fn append_binary(out: &mut Vec<u8>, samples: &[Self]);
}

impl EncodeSample for u8 {
    const MAXVAL: u32 = 255;
    const BYTES: usize = 1;
    const MAX_DIGITS: usize = 3;
    fn value(self) -> u32 {
        u32::from(self)
    }
    fn append_binary(out: &mut Vec<u8>, samples: &[u8]) {
        out.extend_from_slice(samples);
    }
}

impl EncodeSample for u16 {
    const MAXVAL: u32 = 65535;
    const BYTES: usize = 2;
    const MAX_DIGITS: usize = 5;
    fn value(self) -> u32 {
        u32::from(self)
    }
    fn append_binary(out: &mut Vec<u8>, samples: &[u16]) {
        out.extend(samples.iter().flat_map(|s| s.to_be_bytes()));
    }
}

/// `value` in decimal, written right-aligned into `buf`.
#[inline(always)]
fn decimal(mut value: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut start = buf.len();
    loop {
        start -= 1;
        // value % 10 < 10.
        buf[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            return &buf[start..];
        }
    }
}

/// One image row per line, wrapped so that no line exceeds 70 characters (legacy's
/// `append_plain_raster`): a sample goes on the current line, after a space, unless
/// that would make the line longer than 70 characters.
fn append_plain<S: EncodeSample>(out: &mut Vec<u8>, samples: &[S], row_stride: usize) {
    let mut buf = [0u8; 10];
    for row in samples.chunks_exact(row_stride) {
        let mut line_length = 0usize;
        for &sample in row {
            let text = decimal(sample.value(), &mut buf);
            if line_length > 0 {
                if line_length + 1 + text.len() > MAX_PLAIN_LINE_LENGTH {
                    out.push(b'\n');
                    line_length = 0;
                } else {
                    out.push(b' ');
                    line_length += 1;
                }
            }
            out.extend_from_slice(text);
            line_length += text.len();
        }
        out.push(b'\n');
    }
}

fn encode<S: EncodeSample>(
    samples: &[S],
    width: u32,
    height: u32,
    channels: u32,
    plain: bool,
    op: &str,
) -> Result<Vec<u8>, CodecError> {
    // What legacy's Image constructor (checked_sample_count) guarantees of its argument.
    if width == 0 || height == 0 {
        return Err(fail(
            ErrorCategory::InvalidArgument,
            format_args!("{op}: image dimensions must be at least 1x1, got {width}x{height}"),
        ));
    }
    if !matches!(channels, 1 | 3 | 4) {
        return Err(fail(
            ErrorCategory::InvalidArgument,
            format_args!("{op}: channels must be 1, 3 or 4, got {channels}"),
        ));
    }
    let expected = (width as usize)
        .checked_mul(height as usize)
        .and_then(|pixels| pixels.checked_mul(channels as usize))
        .ok_or_else(|| {
            fail(
                ErrorCategory::LimitExceeded,
                format_args!("{op}: image of {width}x{height} does not fit in memory"),
            )
        })?;
    if samples.len() != expected {
        return Err(fail(
            ErrorCategory::InvalidArgument,
            format_args!(
                "{op}: {} samples given, a {width}x{height}x{channels} image has {expected}",
                samples.len()
            ),
        ));
    }
    if channels == 4 {
        return Err(fail(
            ErrorCategory::Unsupported,
            format_args!(
                "cannot encode a {channels}-channel image (PNM has no alpha; drop it first)"
            ),
        ));
    }
    let format = match (channels == 1, plain) {
        (true, true) => b'2',
        (true, false) => b'5',
        (false, true) => b'3',
        (false, false) => b'6',
    };
    // "P5\n", width, ' ', height, '\n', maxval, '\n': at most 3 + 10 + 1 + 10 + 1 + 5 + 1.
    const MAX_HEADER: usize = 31;
    // A plain sample is its digits plus one separator (a space or a line end).
    let per_sample = if plain { S::MAX_DIGITS + 1 } else { S::BYTES };
    let mut out = Vec::new();
    expected
        .checked_mul(per_sample)
        .and_then(|raster| raster.checked_add(MAX_HEADER))
        .and_then(|capacity| out.try_reserve_exact(capacity).ok())
        .ok_or_else(|| {
            fail(
                ErrorCategory::Internal,
                format_args!("{op}: out of memory for a {width}x{height} image"),
            )
        })?;
    let mut buf = [0u8; 10];
    out.extend_from_slice(&[b'P', format, b'\n']);
    out.extend_from_slice(decimal(width, &mut buf));
    out.push(b' ');
    out.extend_from_slice(decimal(height, &mut buf));
    out.push(b'\n');
    out.extend_from_slice(decimal(S::MAXVAL, &mut buf));
    out.push(b'\n');
    if plain {
        append_plain(&mut out, samples, width as usize * channels as usize);
    } else {
        S::append_binary(&mut out, samples);
    }
    Ok(out)
}

/// Encodes 8-bit samples (interleaved, row-major) as P5 (1 channel) or P6 (3 channels),
/// or as P2/P3 when `plain` (one image row per line, wrapped at 70 characters); maxval is
/// 255.
///
/// Mirrors `imgkit::legacy::encode_pnm(const Image&, PnmEncoding)` and writes the same
/// bytes. A 4-channel image is [`ErrorCategory::Unsupported`] (PNM has no alpha).
/// Deliberate differences: the image is a borrowed slice, so what legacy's `Image`
/// constructor enforces is checked here: width or height 0, channels other than 1, 3 or
/// 4, or `samples.len() != width * height * channels` is
/// [`ErrorCategory::InvalidArgument`] (checked before the channel count is refused); an
/// output too large to allocate is [`ErrorCategory::Internal`].
pub fn encode_u8(
    samples: &[u8],
    width: u32,
    height: u32,
    channels: u32,
    plain: bool,
) -> Result<Vec<u8>, CodecError> {
    encode(samples, width, height, channels, plain, "encode_u8")
}

/// Encodes 16-bit samples (interleaved, row-major) as P5/P6 with two bytes per sample,
/// big-endian, or as P2/P3 when `plain`; maxval is 65535.
///
/// Mirrors `imgkit::legacy::encode_pnm(const Image16&, PnmEncoding)` and writes the same
/// bytes, with the same deliberate differences as [`encode_u8`].
pub fn encode_u16(
    samples: &[u16],
    width: u32,
    height: u32,
    channels: u32,
    plain: bool,
) -> Result<Vec<u8>, CodecError> {
    encode(samples, width, height, channels, plain, "encode_u16")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_writes_every_width() {
        let mut buf = [0u8; 10];
        for (value, text) in [
            (0u32, "0"),
            (7, "7"),
            (10, "10"),
            (255, "255"),
            (65535, "65535"),
            (u32::MAX, "4294967295"),
        ] {
            assert_eq!(decimal(value, &mut buf), text.as_bytes());
        }
    }
}
