//! The encoder: P2/P3/P5/P6 files with maxval 255 or 65535, the bytes legacy writes.

use super::fail;
use crate::error::{CodecError, ErrorCategory};

const MAX_PLAIN_LINE_LENGTH: usize = 70;

/// A sample type the encoder writes: its maxval and its binary form.
trait EncodeSample: Copy {
    const MAXVAL: u32;
    /// Bytes per sample in a binary raster.
    const BYTES: usize;
    fn value(self) -> u32;
    /// Writes `samples` as a binary raster into `out`, which holds exactly
    /// `samples.len() * BYTES` bytes.
    fn write_binary(out: &mut [u8], samples: &[Self]);
}

impl EncodeSample for u8 {
    const MAXVAL: u32 = 255;
    const BYTES: usize = 1;
    fn value(self) -> u32 {
        u32::from(self)
    }
    fn write_binary(out: &mut [u8], samples: &[u8]) {
        out.copy_from_slice(samples);
    }
}

impl EncodeSample for u16 {
    const MAXVAL: u32 = 65535;
    const BYTES: usize = 2;
    fn value(self) -> u32 {
        u32::from(self)
    }
    fn write_binary(out: &mut [u8], samples: &[u16]) {
        for (bytes, sample) in out.chunks_exact_mut(2).zip(samples) {
            bytes.copy_from_slice(&sample.to_be_bytes());
        }
    }
}

/// The caller's buffer being filled from the front. It was checked to hold
/// [`encoded_len_bound`] bytes, so no write runs past its end.
struct Output<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Output<'_> {
    fn push(&mut self, byte: u8) {
        self.buf[self.len] = byte;
        self.len += 1;
    }

    fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// The next `n` bytes, counted as written.
    fn take(&mut self, n: usize) -> &mut [u8] {
        let start = self.len;
        self.len += n;
        &mut self.buf[start..start + n]
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
fn append_plain<S: EncodeSample>(out: &mut Output<'_>, samples: &[S], row_stride: usize) {
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

/// "P5\n", width, ' ', height, '\n', maxval, '\n': at most 3 + 10 + 1 + 10 + 1 + 5 + 1.
const MAX_HEADER: usize = 31;

/// Checks an image as legacy's `Image` constructor and `encode_pnm` do; returns its
/// sample count.
fn check_image(
    samples_len: usize,
    width: u32,
    height: u32,
    channels: u32,
    op: &str,
) -> Result<usize, CodecError> {
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
    if samples_len != expected {
        return Err(fail(
            ErrorCategory::InvalidArgument,
            format_args!(
                "{op}: {samples_len} samples given, a {width}x{height}x{channels} image has {expected}"
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
    Ok(expected)
}

/// The most bytes a PNM file of this image takes: the header at its longest, then the
/// raster exactly for binary (P5/P6), every sample at its widest for plain text (P2/P3). `None` when that does not fit in
/// `usize`. `sample_bytes` is 1 (maxval 255) or 2 (maxval 65535).
pub fn encoded_len_bound(
    width: u32,
    height: u32,
    channels: u32,
    plain: bool,
    sample_bytes: usize,
) -> Option<usize> {
    // A plain sample is its digits (at most 3 for maxval 255, 5 for 65535) plus one
    // separator (a space or a line end).
    let per_sample = match (plain, sample_bytes) {
        (false, bytes) => bytes,
        (true, 1) => 4,
        (true, _) => 6,
    };
    (width as usize)
        .checked_mul(height as usize)?
        .checked_mul(channels as usize)?
        .checked_mul(per_sample)?
        .checked_add(MAX_HEADER)
}

/// Encodes into the front of `dst`; returns how many bytes were written.
fn encode_into<S: EncodeSample>(
    samples: &[S],
    (width, height, channels): (u32, u32, u32),
    plain: bool,
    op: &str,
    dst: &mut [u8],
) -> Result<usize, CodecError> {
    check_image(samples.len(), width, height, channels, op)?;
    let bound = encoded_len_bound(width, height, channels, plain, S::BYTES);
    if bound.is_none_or(|bound| dst.len() < bound) {
        return Err(fail(
            ErrorCategory::InvalidArgument,
            format_args!(
                "{op}: the output holds {} bytes, a {width}x{height}x{channels} image may need {}",
                dst.len(),
                bound.map_or_else(|| "more".to_owned(), |bound| bound.to_string())
            ),
        ));
    }
    let format = match (channels == 1, plain) {
        (true, true) => b'2',
        (true, false) => b'5',
        (false, true) => b'3',
        (false, false) => b'6',
    };
    let mut out = Output { buf: dst, len: 0 };
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
        S::write_binary(out.take(samples.len() * S::BYTES), samples);
    }
    Ok(out.len)
}

/// [`encode_into`] a new `Vec` of the file's length.
fn encode<S: EncodeSample>(
    samples: &[S],
    shape: (u32, u32, u32),
    plain: bool,
    op: &str,
) -> Result<Vec<u8>, CodecError> {
    let (width, height, channels) = shape;
    check_image(samples.len(), width, height, channels, op)?;
    let mut out = Vec::new();
    encoded_len_bound(width, height, channels, plain, S::BYTES)
        .and_then(|bound| out.try_reserve_exact(bound).ok().map(|()| bound))
        .map(|bound| out.resize(bound, 0))
        .ok_or_else(|| {
            fail(
                ErrorCategory::Internal,
                format_args!("{op}: out of memory for a {width}x{height} image"),
            )
        })?;
    let written = encode_into(samples, shape, plain, op, &mut out)?;
    out.truncate(written);
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
    encode(samples, (width, height, channels), plain, "encode_u8")
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
    encode(samples, (width, height, channels), plain, "encode_u16")
}

/// [`encode_u8`] into the front of the caller's `dst`, which must hold at least
/// [`encoded_len_bound`]`(width, height, channels, plain, 1)` bytes (else
/// [`ErrorCategory::InvalidArgument`]); returns the file's length.
pub fn encode_u8_into(
    samples: &[u8],
    width: u32,
    height: u32,
    channels: u32,
    plain: bool,
    dst: &mut [u8],
) -> Result<usize, CodecError> {
    encode_into(samples, (width, height, channels), plain, "encode_u8", dst)
}

/// [`encode_u16`] into the front of the caller's `dst`, which must hold at least
/// [`encoded_len_bound`]`(width, height, channels, plain, 2)` bytes; returns the file's
/// length.
pub fn encode_u16_into(
    samples: &[u16],
    width: u32,
    height: u32,
    channels: u32,
    plain: bool,
    dst: &mut [u8],
) -> Result<usize, CodecError> {
    encode_into(samples, (width, height, channels), plain, "encode_u16", dst)
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
