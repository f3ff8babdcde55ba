//! The encoder: the arguments checked as legacy's `Image` would hold them, then the
//! `png` crate's encoder over zlib.

use png::{BitDepth, ColorType, DeflateCompression, Filter};

use super::chunks::MAX_U31;
use super::{internal, invalid_argument};
use crate::{CodecError, ErrorCategory};

pub(super) fn check_encode_args(
    op: &str,
    len: usize,
    width: u32,
    height: u32,
    channels: u32,
) -> Result<ColorType, CodecError> {
    let color = match channels {
        1 => ColorType::Grayscale,
        3 => ColorType::Rgb,
        4 => ColorType::Rgba,
        _ => {
            return Err(invalid_argument(format!(
                "PNG {op}: channels must be 1, 3 or 4, got {channels}"
            )))
        }
    };
    if width == 0 || height == 0 {
        return Err(invalid_argument(format!(
            "PNG {op}: image must be at least 1x1, got {width}x{height}"
        )));
    }
    let expected = (width as usize)
        .checked_mul(height as usize)
        .and_then(|n| n.checked_mul(channels as usize));
    if expected != Some(len) {
        return Err(invalid_argument(format!(
            "PNG {op}: {len} samples given, a {width}x{height}x{channels} image has {}",
            expected.map_or_else(|| "more than usize::MAX".to_string(), |n| n.to_string())
        )));
    }
    if width > MAX_U31 || height > MAX_U31 {
        return Err(CodecError::new(
            ErrorCategory::Unsupported,
            format!("PNG {op}: {width}x{height} exceeds the PNG maximum dimension {MAX_U31}"),
        ));
    }
    Ok(color)
}

/// zlib's default level 6, the one legacy's libpng uses. The `png` crate compresses
/// through flate2, whose one backend per build is the system zlib (the decoder's zlib
/// replay needs it), and zlib's greedy levels 1-3, at most about 1.5x faster on
/// photo-like images, leave files over a tenth larger than legacy's (the bound the tests
/// hold the encoder to).
const LEVEL: DeflateCompression = DeflateCompression::Level(6);

/// [`super::encode_u8`] after its arguments were checked.
pub(super) fn encode_8(
    samples: &[u8],
    width: u32,
    height: u32,
    color: ColorType,
) -> Result<Vec<u8>, CodecError> {
    encode(samples, width, height, color, BitDepth::Eight)
}

/// [`super::encode_u16`] after its arguments were checked.
pub(super) fn encode_16(
    samples: &[u16],
    width: u32,
    height: u32,
    color: ColorType,
) -> Result<Vec<u8>, CodecError> {
    // PNG stores 16-bit samples big-endian.
    let mut bytes = vec![0u8; samples.len() * 2];
    for (pair, &sample) in bytes.chunks_exact_mut(2).zip(samples) {
        pair.copy_from_slice(&sample.to_be_bytes());
    }
    encode(&bytes, width, height, color, BitDepth::Sixteen)
}

/// Encodes `data` (the rows as PNG stores them) with libpng's default adaptive filtering
/// (each row takes the filter with the smallest sum of absolute differences) at [`LEVEL`].
fn encode(
    data: &[u8],
    width: u32,
    height: u32,
    color: ColorType,
    depth: BitDepth,
) -> Result<Vec<u8>, CodecError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(color);
    encoder.set_depth(depth);
    encoder.set_filter(Filter::Adaptive);
    encoder.set_deflate_compression(LEVEL);
    let mut writer = encoder.write_header().map_err(encode_failed)?;
    writer.write_image_data(data).map_err(encode_failed)?;
    writer.finish().map_err(encode_failed)?;
    Ok(bytes)
}

fn encode_failed(error: png::EncodingError) -> CodecError {
    internal(format!("PNG: encoding failed ({error})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_more_than_two_to_the_31_is_unsupported() {
        // Checked from the sizes alone: no 2 GiB buffer needed.
        let big = 1usize << 31;
        let error = check_encode_args("encode_u8", big, 1 << 31, 1, 1).unwrap_err();
        assert_eq!(error.category, ErrorCategory::Unsupported);
        let error = check_encode_args("encode_u8", big, 1, 1 << 31, 1).unwrap_err();
        assert_eq!(error.category, ErrorCategory::Unsupported);
        assert!(check_encode_args("encode_u8", 1 << 30, 1 << 30, 1, 1).is_ok());
    }
}
