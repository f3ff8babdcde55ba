//! The header: magic number, width, height, maxval and the limits, in legacy's order,
//! then where the raster starts.

use super::cursor::{describe_byte, is_pnm_whitespace, Cursor};
use super::{fail, malformed};
use crate::error::{CodecError, ErrorCategory};
use crate::header::{Depth, Header, Limits};

const MAX_MAXVAL: u64 = 65535;
const MAX_DIMENSION: u64 = u32::MAX as u64;

/// What the header says, before the legacy mapping to a [`Header`].
pub(super) struct PnmHeader {
    /// The digit after `P`.
    pub(super) format: u8,
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) maxval: u32,
}

impl PnmHeader {
    pub(super) fn is_plain(&self) -> bool {
        self.format == b'2' || self.format == b'3'
    }

    pub(super) fn channels(&self) -> u32 {
        if self.format == b'3' || self.format == b'6' {
            3
        } else {
            1
        }
    }

    pub(super) fn depth(&self) -> Depth {
        if self.maxval <= 255 {
            Depth::Eight
        } else {
            Depth::Sixteen
        }
    }

    pub(super) fn public(&self) -> Header {
        Header {
            width: self.width,
            height: self.height,
            channels: self.channels(),
            depth: self.depth(),
        }
    }
}

#[inline(always)]
fn read_magic(bytes: &[u8]) -> Result<u8, CodecError> {
    if bytes[0] != b'P' {
        return Err(malformed(format_args!(
            "bad magic number: file starts with {}, not 'P'",
            describe_byte(bytes[0])
        )));
    }
    let Some(&format) = bytes.get(1) else {
        return Err(malformed(format_args!(
            "truncated header: magic number cut off"
        )));
    };
    match format {
        b'2' | b'3' | b'5' | b'6' => {}
        b'1' | b'4' => {
            return Err(fail(
                ErrorCategory::Unsupported,
                format_args!("P{} (bitmap) is not supported", char::from(format)),
            ))
        }
        b'7' => {
            return Err(fail(
                ErrorCategory::Unsupported,
                format_args!("P7 (PAM) is not supported"),
            ))
        }
        _ => {
            return Err(malformed(format_args!(
                "bad magic number P{}",
                describe_byte(format)
            )))
        }
    }
    if let Some(&next) = bytes.get(2) {
        if !is_pnm_whitespace(next) && next != b'#' {
            return Err(malformed(format_args!(
                "unexpected {} after P{} at byte 2",
                describe_byte(next),
                char::from(format)
            )));
        }
    }
    Ok(format)
}

#[inline(always)]
fn read_header_field(cursor: &mut Cursor<'_>, field: &str) -> Result<u64, CodecError> {
    cursor.read_decimal(field)?.ok_or_else(|| {
        malformed(format_args!(
            "truncated header: missing {field} (file ends at byte {})",
            cursor.bytes.len()
        ))
    })
}

#[inline(always)]
fn read_dimension(cursor: &mut Cursor<'_>, field: &str) -> Result<u32, CodecError> {
    let value = read_header_field(cursor, field)?;
    if value == 0 {
        return Err(malformed(format_args!("{field} 0 must be at least 1")));
    }
    if value > MAX_DIMENSION {
        return Err(fail(
            ErrorCategory::LimitExceeded,
            format_args!("{field} {value} exceeds {MAX_DIMENSION}"),
        ));
    }
    // value <= u32::MAX was checked just above.
    Ok(value as u32)
}

/// Legacy's `decode_pnm` up to the end of maxval: empty input, magic, width, height,
/// pixel limit, maxval, byte limit, in that order.
#[inline(always)]
pub(super) fn parse_header(
    bytes: &[u8],
    limits: Limits,
) -> Result<(PnmHeader, Cursor<'_>), CodecError> {
    if bytes.is_empty() {
        return Err(fail(
            ErrorCategory::InvalidArgument,
            format_args!("empty input"),
        ));
    }
    let format = read_magic(bytes)?;
    let mut cursor = Cursor {
        bytes,
        position: 2,
        token_start: 2,
    };
    let width = read_dimension(&mut cursor, "width")?;
    let height = read_dimension(&mut cursor, "height")?;
    limits.check_pixels("PNM", width, height)?;
    let maxval = read_header_field(&mut cursor, "maxval")?;
    if !(1..=MAX_MAXVAL).contains(&maxval) {
        return Err(malformed(format_args!(
            "maxval {maxval} out of range 1..65535"
        )));
    }
    let header = PnmHeader {
        format,
        width,
        height,
        // maxval <= 65535 was checked just above.
        maxval: maxval as u32,
    };
    // Before the "file too short" check (in `locate_raster`), so that the verdict on a
    // header does not depend on how much of the raster came with it.
    limits.check_bytes("PNM", &header.public())?;
    Ok((header, cursor))
}

/// Legacy's checks between the header and the allocation of the raster: the separator
/// byte of a binary raster, the cheap "is the file long enough" bound, and the sample
/// count fitting in memory (legacy's `Raster` constructor; after the byte limit, only a
/// `usize` narrower than 64 bits can fail it). Returns the sample count and
/// leaves the cursor at the first raster byte (binary) or after maxval (plain).
#[inline(always)]
pub(super) fn locate_raster(
    header: &PnmHeader,
    cursor: &mut Cursor<'_>,
) -> Result<usize, CodecError> {
    // No overflow: parse_header checked that the raster's bytes fit `max_bytes`, a u64.
    let claimed = u64::from(header.width) * u64::from(header.height) * u64::from(header.channels());
    if header.is_plain() {
        // Every sample takes at least one byte.
        let remaining = cursor.remaining();
        if claimed > remaining as u64 {
            return Err(malformed(format_args!(
                "truncated raster: expected {claimed} samples, but only {remaining} bytes remain \
                 after byte {}",
                cursor.position
            )));
        }
    } else {
        cursor.skip_raster_separator()?;
        // One byte per sample, two once maxval exceeds 255 (a shift, not a division: this
        // runs on every decode).
        let shift = u32::from(header.maxval >= 256);
        let bytes_per_sample = 1u64 << shift;
        let remaining = cursor.remaining();
        if claimed > (remaining as u64) >> shift {
            return Err(malformed(format_args!(
                "truncated raster: expected {} bytes, found {remaining} from byte {}",
                claimed * bytes_per_sample,
                cursor.position
            )));
        }
    }
    (header.width as usize)
        .checked_mul(header.height as usize)
        .and_then(|pixels| pixels.checked_mul(header.channels() as usize))
        .ok_or_else(|| {
            fail(
                ErrorCategory::LimitExceeded,
                format_args!(
                    "image of {}x{} does not fit in memory",
                    header.width, header.height
                ),
            )
        })
}
