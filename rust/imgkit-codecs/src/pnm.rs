//! The PNM (netpbm) codec in safe Rust: P2, P3, P5 and P6, maxval 1..65535.
//!
//! Mirrors `imgkit::legacy::decode_pnm` and `imgkit::legacy::encode_pnm` (spec:
//! `cpp/legacy/include/imgkit/legacy/codecs.hpp`, code: `cpp/legacy/src/pnm.cpp`). The
//! decoder makes the same checks in the same order as legacy, so every input that legacy
//! rejects is rejected here with the same [`ErrorCategory`], and every input it accepts
//! decodes to the same samples; the encoders write the same bytes.
//!
//! Decoding is two-step so that the caller owns the pixel buffer:
//!
//! ```
//! use imgkit_codecs::{pnm, Depth, Limits};
//!
//! let bytes = b"P2 3 1 15 0 7 15";
//! let header = pnm::read_header(bytes, Limits::default()).unwrap();
//! assert_eq!((header.width, header.height, header.channels), (3, 1, 1));
//! assert_eq!(header.depth, Depth::Eight);
//! let mut samples = vec![0u8; header.sample_count()];
//! pnm::decode_into_u8(bytes, Limits::default(), &mut samples).unwrap();
//! assert_eq!(samples, [0, 119, 255]);
//! assert_eq!(pnm::encode_u8(&samples, 3, 1, 1, true).unwrap(), b"P2\n3 1\n255\n0 119 255\n");
//! ```

use std::fmt;

use crate::error::{CodecError, ErrorCategory};
use crate::header::{Depth, Header, Limits};

const MAX_MAXVAL: u64 = 65535;
const MAX_DIMENSION: u64 = u32::MAX as u64;
const MAX_PLAIN_LINE_LENGTH: usize = 70;

/// An error whose message starts with "PNM: ". Cold and out of line, so that the checks
/// on the happy path stay small enough to inline.
#[cold]
#[inline(never)]
fn fail(category: ErrorCategory, message: fmt::Arguments<'_>) -> CodecError {
    CodecError::new(category, format!("PNM: {message}"))
}

fn malformed(message: fmt::Arguments<'_>) -> CodecError {
    fail(ErrorCategory::MalformedData, message)
}

fn is_pnm_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_line_end(byte: u8) -> bool {
    byte == b'\n' || byte == b'\r'
}

/// `'x'` for a printable byte, `byte N` otherwise (as legacy words it).
fn describe_byte(byte: u8) -> String {
    if (0x21..=0x7e).contains(&byte) {
        format!("'{}'", char::from(byte))
    } else {
        format!("byte {byte}")
    }
}

/// Walks the encoded file. Plain rasters and the header share one tokenizer so that
/// comments are accepted in exactly the same places in both (as in legacy's `PnmCursor`).
struct Cursor<'a> {
    bytes: &'a [u8],
    position: usize,
    /// Where the last number read by `read_decimal` starts.
    token_start: usize,
}

impl Cursor<'_> {
    #[inline(always)]
    fn remaining(&self) -> usize {
        self.bytes.len() - self.position
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    /// A comment counts as whitespace; it ends with its line terminator, which it
    /// consumes.
    fn skip_comment(&mut self) {
        let rest = &self.bytes[self.position..];
        self.position += match rest.iter().position(|&b| is_line_end(b)) {
            Some(end) => end + 1,
            None => rest.len(),
        };
    }

    #[inline(always)]
    fn skip_separators(&mut self) {
        while let Some(byte) = self.peek() {
            if byte == b'#' {
                self.skip_comment();
            } else if is_pnm_whitespace(byte) {
                self.position += 1;
            } else {
                return;
            }
        }
    }

    /// `Ok(None)` when the data ends before a number starts. Values too large for `u64`
    /// saturate; every caller range-checks what it gets.
    #[inline(always)]
    fn read_decimal(&mut self, field: &str) -> Result<Option<u64>, CodecError> {
        self.skip_separators();
        let Some(first) = self.peek() else {
            return Ok(None);
        };
        if !first.is_ascii_digit() {
            return Err(malformed(format_args!(
                "expected a decimal {field}, found {} at byte {}",
                describe_byte(first),
                self.position
            )));
        }
        self.token_start = self.position;
        let mut value: u64 = 0;
        while let Some(byte) = self.peek() {
            if !byte.is_ascii_digit() {
                break;
            }
            let digit = u64::from(byte - b'0');
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(digit))
                .unwrap_or(u64::MAX);
            self.position += 1;
        }
        if let Some(byte) = self.peek() {
            if !is_pnm_whitespace(byte) && byte != b'#' {
                return Err(malformed(format_args!(
                    "unexpected {} after {field} at byte {}",
                    describe_byte(byte),
                    self.position
                )));
            }
        }
        Ok(Some(value))
    }

    /// The single whitespace byte that separates maxval from a binary raster; a comment
    /// in its place ends with its line terminator, which then serves as that byte.
    fn skip_raster_separator(&mut self) -> Result<(), CodecError> {
        match self.peek() {
            None => Err(malformed(format_args!(
                "truncated header: no whitespace after maxval (file ends at byte {})",
                self.position
            ))),
            Some(b'#') => {
                self.skip_comment();
                Ok(())
            }
            Some(_) => {
                self.position += 1;
                Ok(())
            }
        }
    }
}

/// What the header says, before the legacy mapping to a [`Header`].
struct PnmHeader {
    /// The digit after `P`.
    format: u8,
    width: u32,
    height: u32,
    maxval: u32,
}

impl PnmHeader {
    fn is_plain(&self) -> bool {
        self.format == b'2' || self.format == b'3'
    }

    fn channels(&self) -> u32 {
        if self.format == b'3' || self.format == b'6' {
            3
        } else {
            1
        }
    }

    fn depth(&self) -> Depth {
        if self.maxval <= 255 {
            Depth::Eight
        } else {
            Depth::Sixteen
        }
    }

    fn public(&self) -> Header {
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
fn parse_header(bytes: &[u8], limits: Limits) -> Result<(PnmHeader, Cursor<'_>), CodecError> {
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
fn locate_raster(header: &PnmHeader, cursor: &mut Cursor<'_>) -> Result<usize, CodecError> {
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

    fn cursor(bytes: &[u8]) -> Cursor<'_> {
        Cursor {
            bytes,
            position: 0,
            token_start: 0,
        }
    }

    #[test]
    fn describe_byte_quotes_printable_bytes_only() {
        assert_eq!(describe_byte(b'x'), "'x'");
        assert_eq!(describe_byte(b'!'), "'!'");
        assert_eq!(describe_byte(b'~'), "'~'");
        assert_eq!(describe_byte(b' '), "byte 32");
        assert_eq!(describe_byte(0x7f), "byte 127");
        assert_eq!(describe_byte(0), "byte 0");
    }

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

    #[test]
    fn read_decimal_saturates_and_records_where_the_token_starts() {
        let mut c = cursor(b" #c\n 99999999999999999999 7#x");
        assert_eq!(c.read_decimal("a"), Ok(Some(u64::MAX)));
        assert_eq!(c.token_start, 5);
        assert_eq!(c.read_decimal("b"), Ok(Some(7)));
        assert_eq!(c.token_start, 26);
        assert_eq!(c.read_decimal("c"), Ok(None));
        let mut c = cursor(b"18446744073709551615 18446744073709551614");
        assert_eq!(c.read_decimal("a"), Ok(Some(u64::MAX)));
        assert_eq!(c.read_decimal("b"), Ok(Some(u64::MAX - 1)));
    }

    #[test]
    fn a_comment_without_a_line_end_runs_to_the_end() {
        let mut c = cursor(b"# no end");
        c.skip_separators();
        assert_eq!(c.position, 8);
        let mut c = cursor(b"#");
        assert!(c.skip_raster_separator().is_ok());
        assert_eq!(c.remaining(), 0);
    }

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
