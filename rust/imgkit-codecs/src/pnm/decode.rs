//! The decoder's two steps: [`read_header`], then [`decode_into_u8`] / [`decode_into_u16`]
//! into the caller's buffer.

use super::cursor::Cursor;
use super::header::{locate_raster, parse_header, PnmHeader};
use super::{fail, malformed};
use crate::error::{CodecError, ErrorCategory};
use crate::header::{Depth, Header, Limits};

/// Reads and validates a PNM header and says what buffer the image needs.
///
/// Checks, in legacy's order: empty input ([`ErrorCategory::InvalidArgument`]), the magic
/// number (P1/P4/P7 are [`ErrorCategory::Unsupported`], anything else but P2/P3/P5/P6 is
/// [`ErrorCategory::MalformedData`]), width and height (1..2^32-1; larger is
/// [`ErrorCategory::LimitExceeded`]), `width * height` against `limits.max_pixels`
/// ([`ErrorCategory::LimitExceeded`]), maxval (1..65535), the decoded size
/// (`width * height * channels` samples of 1 byte, 2 once maxval exceeds 255) against
/// `limits.max_bytes` ([`ErrorCategory::LimitExceeded`]), comments wherever whitespace may
/// stand. The result has 1 (P2/P5) or 3 (P3/P6) channels and [`Depth::Eight`] when
/// maxval <= 255, [`Depth::Sixteen`] otherwise. Allocates nothing.
///
/// Mirrors the header part of `imgkit::legacy::decode_pnm`. Deliberate difference: legacy
/// decodes in one call; this is the first of two steps (see [`decode_into_u8`],
/// [`decode_into_u16`]). It also makes legacy's checks that come before the raster is
/// allocated (a binary raster's separator byte after maxval, a file too short for the
/// raster it claims, a sample count that does not fit in memory), so that a caller never
/// allocates a huge buffer for a tiny file; these report the same errors as legacy, in the
/// same order, only one step earlier.
pub fn read_header(bytes: &[u8], limits: Limits) -> Result<Header, CodecError> {
    let (header, mut cursor) = parse_header(bytes, limits)?;
    locate_raster(&header, &mut cursor)?;
    Ok(header.public())
}

/// Errors unless the caller's buffer suits the image: the right depth, the right length.
fn check_output(
    header: &PnmHeader,
    expected: Depth,
    len: usize,
    samples: usize,
    op: &str,
) -> Result<(), CodecError> {
    if header.depth() != expected {
        let (have, other) = match expected {
            Depth::Eight => ("16-bit", "decode_into_u16"),
            Depth::Sixteen => ("8-bit", "decode_into_u8"),
        };
        return Err(fail(
            ErrorCategory::InvalidArgument,
            format_args!(
                "{op}: the file has {have} samples (maxval {}); use {other}",
                header.maxval
            ),
        ));
    }
    if len != samples {
        return Err(fail(
            ErrorCategory::InvalidArgument,
            format_args!(
                "{op}: output holds {len} samples, the {}x{}x{} image needs {samples}",
                header.width,
                header.height,
                header.channels()
            ),
        ));
    }
    Ok(())
}

fn sample_above_maxval(value: u64, index: usize, maxval: u32, byte: usize) -> CodecError {
    malformed(format_args!(
        "sample {value} at index {index} exceeds maxval {maxval} (byte {byte})"
    ))
}

/// `(v * full_scale + maxval / 2) / maxval`, the legacy scaling for a maxval that is
/// neither 255 nor 65535. The product fits in `u32`: 65535 * 65535 + 32767 < 2^32.
#[inline(always)]
fn scale(value: u32, maxval: u32, full_scale: u32) -> u32 {
    (value * full_scale + maxval / 2) / maxval
}

/// The plain (P2/P3) raster: decimal samples separated by whitespace or comments.
fn decode_plain<S>(
    cursor: &mut Cursor<'_>,
    maxval: u32,
    full_scale: u32,
    out: &mut [S],
    convert: impl Fn(u32) -> S,
) -> Result<(), CodecError> {
    let total = out.len();
    for (index, slot) in out.iter_mut().enumerate() {
        let value = cursor.read_decimal("sample")?.ok_or_else(|| {
            malformed(format_args!(
                "truncated raster: expected {total} samples, found {index} (file ends at byte {})",
                cursor.bytes.len()
            ))
        })?;
        if value > u64::from(maxval) {
            return Err(sample_above_maxval(
                value,
                index,
                maxval,
                cursor.token_start,
            ));
        }
        // value <= maxval <= 65535.
        let value = value as u32;
        *slot = convert(if maxval == full_scale {
            value
        } else {
            scale(value, maxval, full_scale)
        });
    }
    Ok(())
}

/// Decodes the raster of a PNM file with maxval <= 255 into the caller's buffer.
///
/// `out.len()` must equal [`Header::sample_count`] of [`read_header`]'s result and its
/// depth must be [`Depth::Eight`], else [`ErrorCategory::InvalidArgument`]. Samples are
/// interleaved, row-major; maxval 255 is copied as is, any other maxval is scaled to
/// 0..255 as `(v * 255 + maxval / 2) / maxval`. A truncated raster, a sample above
/// maxval and a bad plain-raster token are [`ErrorCategory::MalformedData`]. Every header
/// error of [`read_header`] is reported first, unchanged.
///
/// Mirrors `imgkit::legacy::decode_pnm` for 8-bit files. Deliberate differences: the
/// samples go into the caller's `out` (whose contents are unspecified after an error);
/// the caller chooses the depth, and the other depth is an
/// [`ErrorCategory::InvalidArgument`]; a sample count that does not fit in memory is
/// [`ErrorCategory::LimitExceeded`] here as in legacy, but with a "PNM:" message.
pub fn decode_into_u8(bytes: &[u8], limits: Limits, out: &mut [u8]) -> Result<(), CodecError> {
    let (header, mut cursor) = parse_header(bytes, limits)?;
    let samples = locate_raster(&header, &mut cursor)?;
    check_output(&header, Depth::Eight, out.len(), samples, "decode_into_u8")?;
    samples_failpoint();
    let maxval = header.maxval;
    if header.is_plain() {
        return decode_plain(&mut cursor, maxval, 255, out, |v| v as u8);
    }
    let start = cursor.position;
    // locate_raster checked that the file holds `samples` bytes from `start`.
    let raster = &bytes[start..start + samples];
    if maxval == 255 {
        out.copy_from_slice(raster);
        return Ok(());
    }
    let mut table = [0u8; 256];
    for (v, slot) in table.iter_mut().enumerate().take(maxval as usize + 1) {
        // v <= maxval < 255, so the scaled value is <= 255.
        *slot = scale(v as u32, maxval, 255) as u8;
    }
    for (chunk, (dst, src)) in out.chunks_mut(CHUNK).zip(raster.chunks(CHUNK)).enumerate() {
        check_chunk(src.iter().map(|&v| u32::from(v)), maxval, chunk, |index| {
            start + index
        })?;
        for (slot, &value) in dst.iter_mut().zip(src) {
            *slot = table[usize::from(value)];
        }
    }
    Ok(())
}

/// The failpoint `imgkit::codecs::pnm_samples`, once per decode before the raster is read
/// (panic or stall only; nothing without the `failpoints` feature).
#[inline(always)]
fn samples_failpoint() {
    #[cfg(feature = "failpoints")]
    imgkit_failpoints::failpoint!(imgkit_failpoints::point::PNM_SAMPLES);
}

/// Samples per block of a scaled binary raster: each block is checked against maxval
/// (a vectorised maximum) before it is scaled through the table.
const CHUNK: usize = 4096;

/// Errors with the first sample above maxval of block `chunk`, if any; `byte_of` maps a
/// sample index to its byte offset in the file.
#[inline(always)]
fn check_chunk(
    values: impl Iterator<Item = u32> + Clone,
    maxval: u32,
    chunk: usize,
    byte_of: impl Fn(usize) -> usize,
) -> Result<(), CodecError> {
    if values.clone().fold(0, u32::max) <= maxval {
        return Ok(());
    }
    let (offset, value) = values
        .enumerate()
        .find(|&(_, v)| v > maxval)
        .unwrap_or_default();
    let index = chunk * CHUNK + offset;
    Err(sample_above_maxval(
        u64::from(value),
        index,
        maxval,
        byte_of(index),
    ))
}

/// Decodes the raster of a PNM file with maxval > 255 into the caller's buffer.
///
/// `out.len()` must equal [`Header::sample_count`] of [`read_header`]'s result and its
/// depth must be [`Depth::Sixteen`], else [`ErrorCategory::InvalidArgument`]. Binary
/// samples are two bytes, big-endian. Maxval 65535 is taken as is, any other maxval is
/// scaled to 0..65535 as `(v * 65535 + maxval / 2) / maxval`. A truncated raster, a
/// sample above maxval and a bad plain-raster token are [`ErrorCategory::MalformedData`].
/// Every header error of [`read_header`] is reported first, unchanged.
///
/// Mirrors `imgkit::legacy::decode_pnm` for 16-bit files, with the same deliberate
/// differences as [`decode_into_u8`].
pub fn decode_into_u16(bytes: &[u8], limits: Limits, out: &mut [u16]) -> Result<(), CodecError> {
    let (header, mut cursor) = parse_header(bytes, limits)?;
    let samples = locate_raster(&header, &mut cursor)?;
    check_output(
        &header,
        Depth::Sixteen,
        out.len(),
        samples,
        "decode_into_u16",
    )?;
    samples_failpoint();
    let maxval = header.maxval;
    if header.is_plain() {
        // Every scaled value is <= 65535.
        return decode_plain(&mut cursor, maxval, 65535, out, |v| v as u16);
    }
    let start = cursor.position;
    // locate_raster checked that the file holds `2 * samples` bytes from `start`.
    let raster = &bytes[start..start + 2 * samples];
    let pairs = raster
        .chunks_exact(2)
        .map(|p| u16::from_be_bytes([p[0], p[1]]));
    if maxval == 65535 {
        for (slot, value) in out.iter_mut().zip(pairs) {
            *slot = value;
        }
        return Ok(());
    }
    let byte_of = |index: usize| start + 2 * index;
    // A table costs maxval + 1 divisions; it pays off once there are more samples.
    if samples > maxval as usize {
        let mut table = vec![0u16; 65536];
        for (v, slot) in table.iter_mut().enumerate().take(maxval as usize + 1) {
            // Every scaled value is <= 65535.
            *slot = scale(v as u32, maxval, 65535) as u16;
        }
        for (chunk, (dst, src)) in out
            .chunks_mut(CHUNK)
            .zip(raster.chunks(2 * CHUNK))
            .enumerate()
        {
            for (slot, pair) in dst.iter_mut().zip(src.chunks_exact(2)) {
                *slot = u16::from_be_bytes([pair[0], pair[1]]);
            }
            check_chunk(dst.iter().map(|&v| u32::from(v)), maxval, chunk, byte_of)?;
            for slot in dst.iter_mut() {
                // The table has an entry for every u16.
                *slot = table.get(usize::from(*slot)).copied().unwrap_or_default();
            }
        }
    } else {
        for (index, (slot, value)) in out.iter_mut().zip(pairs).enumerate() {
            let value = u32::from(value);
            if value > maxval {
                return Err(sample_above_maxval(
                    u64::from(value),
                    index,
                    maxval,
                    byte_of(index),
                ));
            }
            // Every scaled value is <= 65535.
            *slot = scale(value, maxval, 65535) as u16;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_chunk_reports_the_first_sample_above_maxval() {
        let values = [3u32, 9, 4, 10, 2];
        assert!(check_chunk(values.iter().copied(), 10, 0, |i| i).is_ok());
        let error = check_chunk(values.iter().copied(), 8, 2, |i| 100 + i).unwrap_err();
        assert_eq!(error.category, ErrorCategory::MalformedData);
        let index = 2 * CHUNK + 1;
        assert_eq!(
            error.message,
            format!(
                "PNM: sample 9 at index {index} exceeds maxval 8 (byte {})",
                100 + index
            )
        );
    }

    #[test]
    fn scale_does_not_overflow_at_the_largest_inputs() {
        assert_eq!(scale(65534, 65534, 65535), 65535);
        assert_eq!(scale(65533, 65534, 65535), 65534);
        assert_eq!(scale(254, 254, 255), 255);
    }
}
