//! The encoder: the arguments checked as legacy's `Image` would hold them, then the
//! `png` crate's encoder, tuned to be faster than legacy's libpng at a similar size.

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

/// The `png` crate's deflate (flate2 over miniz_oxide) at level 1: a greedy matcher
/// with one probe, several times faster than zlib's default level 6 that legacy's libpng
/// uses, and within a few percent of its size on photo-like (noisy) images.
const FAST: DeflateCompression = DeflateCompression::Level(1);

/// Level 3 (greedy, 32 probes): on very compressible images (smooth gradients, flat
/// areas, line art, low noise) level 1 falls far behind zlib's level 6, up to several
/// times its size; level 3 closes most of that gap, and on such images it is still
/// faster than zlib's level 6.
const DENSE: DeflateCompression = DeflateCompression::Level(3);

/// Output of [`FAST`] at most `1 / DENSE_BELOW` of the raw samples marks a very
/// compressible image, which is compressed again with [`DENSE`]; the smaller file wins.
const DENSE_BELOW: usize = 2;

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
/// (each row takes the filter with the smallest sum of absolute differences) and
/// [`FAST`], or [`DENSE`] when that gives a smaller file of a very compressible image.
fn encode(
    data: &[u8],
    width: u32,
    height: u32,
    color: ColorType,
    depth: BitDepth,
) -> Result<Vec<u8>, CodecError> {
    let fast = encode_with(data, width, height, color, depth, FAST)?;
    if fast.len() > data.len() / DENSE_BELOW {
        return Ok(fast);
    }
    let dense = encode_with(data, width, height, color, depth, DENSE)?;
    Ok(if dense.len() < fast.len() {
        dense
    } else {
        fast
    })
}

fn encode_with(
    data: &[u8],
    width: u32,
    height: u32,
    color: ColorType,
    depth: BitDepth,
    compression: DeflateCompression,
) -> Result<Vec<u8>, CodecError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(color);
    encoder.set_depth(depth);
    encoder.set_filter(Filter::Adaptive);
    encoder.set_deflate_compression(compression);
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

    /// Gray samples: a horizontal ramp plus `noise_bits` bits of xorshift noise.
    fn ramp(width: u32, height: u32, noise_bits: u32) -> Vec<u8> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        (0..width * height)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let noise = if noise_bits == 0 {
                    0
                } else {
                    state >> (64 - noise_bits)
                };
                ((i % width) as u64 * 255 / u64::from(width) + noise) as u8
            })
            .collect()
    }

    #[test]
    fn noisy_images_take_the_fast_level_and_compressible_ones_the_smaller_file() {
        let (width, height) = (128, 96);
        let gray = ColorType::Grayscale;
        let with = |samples: &[u8], level| {
            encode_with(samples, width, height, gray, BitDepth::Eight, level).unwrap()
        };
        // Noise: the fast level leaves more than half the bytes, and is kept.
        let noisy = ramp(width, height, 6);
        let fast = with(&noisy, FAST);
        assert!(fast.len() > noisy.len() / DENSE_BELOW);
        assert_eq!(encode_8(&noisy, width, height, gray).unwrap(), fast);
        // A smooth ramp: the denser level gives the smaller file, and it is taken.
        let smooth = ramp(width, height, 0);
        let (fast, dense) = (with(&smooth, FAST), with(&smooth, DENSE));
        assert!(fast.len() <= smooth.len() / DENSE_BELOW);
        assert!(dense.len() < fast.len(), "{} {}", dense.len(), fast.len());
        assert_eq!(encode_8(&smooth, width, height, gray).unwrap(), dense);
    }

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
