//! PNG: decoding into a caller-owned buffer and encoding, through the `png` crate.
//!
//! The `png` crate decompresses and unfilters the image data; everything that decides
//! whether a file is valid, and how its colour type maps to 1, 3 or 4 channels, is done
//! here, mirroring libpng 1.6 as `imgkit::legacy` configures it (`cpp/legacy/src/png.cpp`):
//!
//! * every chunk up to the end of `IEND` is read: a file that ends earlier, a CRC error in
//!   any chunk (critical or ancillary), a chunk length above 2^31 - 1 or a chunk type that
//!   is not four ASCII letters is [`ErrorCategory::MalformedData`]; bytes after `IEND`
//!   are ignored;
//! * before the first `IDAT`: `IHDR` must come before every known chunk (an unknown
//!   ancillary chunk may precede it) and must be valid; an unknown critical chunk, a
//!   second `IHDR` or `PLTE`, `IEND`, an invalid `PLTE` of a palette image and an empty
//!   `PLTE` are malformed; a palette image needs `PLTE` before `IDAT`; everything libpng
//!   only warns about (misplaced, duplicate or invalid ancillary chunks) is ignored the
//!   way libpng ignores it, including its handling of `tRNS` (see [`Transparency`]);
//! * after the image data only the chunk framing and CRCs matter (legacy finishes with
//!   `png_read_end(png, nullptr)`, which skips chunks), except that `IHDR` is malformed;
//! * the pixel limit is checked once `IHDR` and everything up to the first `IDAT` have
//!   been validated, before any pixel buffer exists.
//!
//! The raw rows the `png` crate produces (no transformations: packed low bit depths,
//! big-endian 16-bit samples) are expanded here: gray 1/2/4 bit scaled to 8 bits,
//! palette indices looked up in a 256-entry palette (entries beyond `PLTE` are black,
//! indices beyond `tRNS` opaque), `tRNS` colour keys turned into an alpha channel, gray
//! replicated into RGB when an alpha channel is added. Images whose rows already have the
//! output layout (8-bit gray/RGB/RGBA without `tRNS`, and the 16-bit ones after a byte
//! swap) are decoded straight into the caller's buffer.

use std::io::{self, Write};

use png::{BitDepth, ColorType, DecodeOptions, DecodingError};

use crate::{CodecError, Depth, ErrorCategory, Header, Limits};

const SIGNATURE: [u8; 8] = [137, 80, 78, 71, 13, 10, 26, 10];
/// A complete `IEND` chunk: length 0, type, CRC.
const IEND_CHUNK: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82];
/// PNG's limit for chunk lengths and image dimensions.
const MAX_U31: u32 = 0x7fff_ffff;

const IHDR: [u8; 4] = *b"IHDR";
const PLTE: [u8; 4] = *b"PLTE";
const IDAT: [u8; 4] = *b"IDAT";
const IEND: [u8; 4] = *b"IEND";
const TRNS: [u8; 4] = *b"tRNS";

/// The ancillary chunks libpng 1.6 (as Debian builds it) has a handler for. Each handler
/// rejects the chunk fatally when it comes before `IHDR`; an ancillary chunk libpng does
/// not know is skipped wherever it is.
const KNOWN_ANCILLARY: [[u8; 4]; 18] = [
    *b"bKGD", *b"cHRM", *b"eXIf", *b"gAMA", *b"hIST", *b"iCCP", *b"iTXt", *b"oFFs", *b"pCAL",
    *b"pHYs", *b"sBIT", *b"sCAL", *b"sPLT", *b"sRGB", *b"tEXt", *b"tIME", *b"tRNS", *b"zTXt",
];

const GRAY: u8 = 0;
const RGB: u8 = 2;
const PALETTE: u8 = 3;
const GRAY_ALPHA: u8 = 4;
const RGB_ALPHA: u8 = 6;

// ---- public API ---------------------------------------------------------------------

/// Reads the signature and every chunk up to the first `IDAT` and returns the decoded
/// image's geometry and sample depth; checks `width * height` against
/// `limits.max_pixels`. Allocates nothing proportional to the image.
///
/// Mirrors the first half of `imgkit::legacy::decode_png` (signature check,
/// `png_read_info`, the pixel limit): the same input gets the same error category.
/// Channels follow the legacy mapping: gray 1, gray with `tRNS` 4, gray + alpha 4, RGB 3
/// (4 with `tRNS`), palette 3 (4 with `tRNS`), RGBA 4; 16-bit files give
/// [`Depth::Sixteen`], all others [`Depth::Eight`].
///
/// Errors: empty input is [`ErrorCategory::InvalidArgument`]; a bad signature,
/// truncation, a CRC error or an invalid chunk before the image data is
/// [`ErrorCategory::MalformedData`]; a larger image than `limits.max_pixels` is
/// [`ErrorCategory::LimitExceeded`].
pub fn read_header(bytes: &[u8], limits: Limits) -> Result<Header, CodecError> {
    let file = parse_until_image_data(bytes)?;
    check_pixel_limit(&file.ihdr, limits)?;
    Ok(file.header())
}

/// Decodes an 8-bit PNG (every colour type at bit depth 1, 2, 4 or 8) into `out`, which
/// must hold exactly [`Header::sample_count`] samples of the header [`read_header`]
/// returns for the same bytes.
///
/// Mirrors `imgkit::legacy::decode_png` for files that decode to an `Image`; the samples
/// and the error category are the same. Deliberate differences: the samples go into the
/// caller's buffer, and a buffer of the wrong length, or a 16-bit file, is
/// [`ErrorCategory::InvalidArgument`] (legacy allocates the result itself).
pub fn decode_into_u8(bytes: &[u8], limits: Limits, out: &mut [u8]) -> Result<(), CodecError> {
    let file = prepare_decode(bytes, limits, Depth::Eight, out.len(), "decode_into_u8")?;
    decode_pixels(bytes, &file, Output::Eight(out))
}

/// Decodes a 16-bit PNG (gray, gray + alpha, RGB or RGBA at bit depth 16) into `out` as
/// native-endian samples; `out` must hold exactly [`Header::sample_count`] samples.
///
/// Mirrors `imgkit::legacy::decode_png` for files that decode to an `Image16`; the
/// samples and the error category are the same. Deliberate differences: the samples go
/// into the caller's buffer, and a buffer of the wrong length, or a file of 8 bits or
/// fewer, is [`ErrorCategory::InvalidArgument`].
pub fn decode_into_u16(bytes: &[u8], limits: Limits, out: &mut [u16]) -> Result<(), CodecError> {
    let file = prepare_decode(bytes, limits, Depth::Sixteen, out.len(), "decode_into_u16")?;
    decode_pixels(bytes, &file, Output::Sixteen(out))
}

/// Encodes `width` x `height` pixels of `channels` 8-bit samples (1 gray, 3 RGB, 4 RGBA,
/// row-major, interleaved) as a non-interlaced PNG of bit depth 8.
///
/// Mirrors `imgkit::legacy::encode_png(const Image&)`. Deliberate differences: the
/// compressed bytes differ (the `png` crate's filters and deflate, not libpng's and
/// zlib's), while the decoded samples are the same; arguments that legacy's `Image`
/// cannot hold (a zero width or height, another channel count, a sample count other than
/// `width * height * channels`) are [`ErrorCategory::InvalidArgument`]. A width or
/// height above 2^31 - 1 is [`ErrorCategory::Unsupported`], as in legacy; a failure of
/// the `png` crate is [`ErrorCategory::Internal`].
pub fn encode_u8(
    samples: &[u8],
    width: u32,
    height: u32,
    channels: u32,
) -> Result<Vec<u8>, CodecError> {
    let color = check_encode_args("encode_u8", samples.len(), width, height, channels)?;
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(color);
    encoder.set_depth(BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(encode_failed)?;
    writer.write_image_data(samples).map_err(encode_failed)?;
    writer.finish().map_err(encode_failed)?;
    Ok(bytes)
}

/// Encodes `width` x `height` pixels of `channels` 16-bit samples (native-endian) as a
/// non-interlaced PNG of bit depth 16.
///
/// Mirrors `imgkit::legacy::encode_png(const Image16&)`, with the same deliberate
/// differences as [`encode_u8`].
pub fn encode_u16(
    samples: &[u16],
    width: u32,
    height: u32,
    channels: u32,
) -> Result<Vec<u8>, CodecError> {
    let color = check_encode_args("encode_u16", samples.len(), width, height, channels)?;
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(color);
    encoder.set_depth(BitDepth::Sixteen);
    let mut writer = encoder.write_header().map_err(encode_failed)?;
    {
        let mut stream = writer.stream_writer().map_err(encode_failed)?;
        // PNG stores 16-bit samples big-endian; convert a row at a time.
        let row_samples = width as usize * channels as usize;
        let mut row = vec![0u8; row_samples * 2];
        for samples_of_row in samples.chunks_exact(row_samples) {
            for (pair, &sample) in row.chunks_exact_mut(2).zip(samples_of_row) {
                pair.copy_from_slice(&sample.to_be_bytes());
            }
            stream
                .write_all(&row)
                .map_err(|e| internal(format!("PNG: encoding failed ({e})")))?;
        }
        stream.finish().map_err(encode_failed)?;
    }
    writer.finish().map_err(encode_failed)?;
    Ok(bytes)
}

// ---- errors -----------------------------------------------------------------------

fn malformed(message: impl Into<String>) -> CodecError {
    CodecError::new(ErrorCategory::MalformedData, message)
}

fn internal(message: impl Into<String>) -> CodecError {
    CodecError::new(ErrorCategory::Internal, message)
}

fn invalid_argument(message: impl Into<String>) -> CodecError {
    CodecError::new(ErrorCategory::InvalidArgument, message)
}

fn chunk_name(name: &[u8; 4]) -> String {
    name.iter()
        .map(|&b| {
            if b.is_ascii_graphic() {
                char::from(b).to_string()
            } else {
                format!("[{b:02x}]")
            }
        })
        .collect()
}

fn truncated(offset: usize, wanted: usize, size: usize) -> CodecError {
    malformed(format!(
        "PNG: truncated data: {wanted} bytes needed at offset {offset} of a {size}-byte input"
    ))
}

fn chunk_error(name: &[u8; 4], what: &str) -> CodecError {
    malformed(format!("PNG: malformed data ({}: {what})", chunk_name(name)))
}

/// Maps an error of the `png` crate's decoder. Its format and I/O errors are problems of
/// the data (the stream it reads always holds complete chunks, so an unexpected end is
/// missing image data); parameter and limit errors would be a bug here.
fn decoding_failed(error: DecodingError) -> CodecError {
    match error {
        DecodingError::Format(e) => malformed(format!("PNG: malformed data ({e})")),
        DecodingError::IoError(e) => malformed(format!("PNG: malformed data ({e})")),
        e @ (DecodingError::Parameter(_) | DecodingError::LimitsExceeded) => {
            internal(format!("PNG: unexpected decoder failure ({e})"))
        }
    }
}

fn encode_failed(error: png::EncodingError) -> CodecError {
    internal(format!("PNG: encoding failed ({error})"))
}

// ---- CRC-32 (ISO 3309, as PNG uses it) ---------------------------------------------

/// Slice-by-8 tables: `CRC_TABLES[0]` is the classic byte table, `CRC_TABLES[k][b]` the
/// CRC of byte `b` followed by `k` zero bytes.
static CRC_TABLES: [[u32; 256]; 8] = crc_tables();

const fn crc_tables() -> [[u32; 256]; 8] {
    let mut tables = [[0u32; 256]; 8];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        tables[0][n] = c;
        n += 1;
    }
    let mut t = 1;
    while t < 8 {
        let mut n = 0;
        while n < 256 {
            let previous = tables[t - 1][n];
            tables[t][n] = (previous >> 8) ^ tables[0][(previous & 0xff) as usize];
            n += 1;
        }
        t += 1;
    }
    tables
}

/// CRC-32 of `data`.
fn crc32(data: &[u8]) -> u32 {
    let t = &CRC_TABLES;
    let mut crc = !0u32;
    let mut blocks = data.chunks_exact(8);
    for block in &mut blocks {
        let low = crc ^ u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        let high = u32::from_le_bytes([block[4], block[5], block[6], block[7]]);
        crc = t[7][(low & 0xff) as usize]
            ^ t[6][((low >> 8) & 0xff) as usize]
            ^ t[5][((low >> 16) & 0xff) as usize]
            ^ t[4][(low >> 24) as usize]
            ^ t[3][(high & 0xff) as usize]
            ^ t[2][((high >> 8) & 0xff) as usize]
            ^ t[1][((high >> 16) & 0xff) as usize]
            ^ t[0][(high >> 24) as usize];
    }
    for &byte in blocks.remainder() {
        crc = (crc >> 8) ^ t[0][((crc ^ u32::from(byte)) & 0xff) as usize];
    }
    !crc
}

// ---- chunk framing ------------------------------------------------------------------

fn be32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

fn be16(bytes: &[u8]) -> u16 {
    u16::from_be_bytes([bytes[0], bytes[1]])
}

/// One chunk whose header (length and type) has been read and checked.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    /// Offset of the length field.
    start: usize,
    length: u32,
    name: [u8; 4],
}

impl Chunk {
    fn data_start(&self) -> usize {
        self.start + 8
    }
    /// Offset just past the CRC.
    fn end(&self) -> usize {
        self.start + 12 + self.length as usize
    }
    fn is_critical(&self) -> bool {
        self.name[0] & 0x20 == 0
    }
}

/// Reads the chunk header at `start` the way `png_read_chunk_header` does: the length
/// must fit in 31 bits and the type must be four ASCII letters.
fn read_chunk_header(bytes: &[u8], start: usize) -> Result<Chunk, CodecError> {
    let header = bytes
        .get(start..)
        .and_then(|rest| rest.get(..8))
        .ok_or_else(|| truncated(start, 8, bytes.len()))?;
    let length = be32(header);
    let name = [header[4], header[5], header[6], header[7]];
    if length > MAX_U31 {
        return Err(malformed(format!(
            "PNG: malformed data (chunk length {length} at offset {start} exceeds 2^31 - 1)"
        )));
    }
    if !name.iter().all(u8::is_ascii_alphabetic) {
        return Err(chunk_error(&name, "invalid chunk type"));
    }
    Ok(Chunk {
        start,
        length,
        name,
    })
}

/// The chunk's data, after checking that the data and the CRC are all there.
fn chunk_data<'a>(bytes: &'a [u8], chunk: &Chunk) -> Result<&'a [u8], CodecError> {
    if bytes.len() < chunk.end() {
        return Err(truncated(
            chunk.data_start(),
            chunk.length as usize + 4,
            bytes.len(),
        ));
    }
    Ok(&bytes[chunk.data_start()..chunk.end() - 4])
}

/// Checks that the whole chunk is present and its CRC (over type and data) matches;
/// returns the data.
fn checked_chunk_data<'a>(bytes: &'a [u8], chunk: &Chunk) -> Result<&'a [u8], CodecError> {
    let data = chunk_data(bytes, chunk)?;
    let stored = be32(&bytes[chunk.end() - 4..]);
    if crc32(&bytes[chunk.start + 4..chunk.end() - 4]) != stored {
        return Err(chunk_error(&chunk.name, "CRC error"));
    }
    Ok(data)
}

// ---- the header: everything up to the first IDAT -------------------------------------

/// The `IHDR` fields that matter after validation.
#[derive(Debug, Clone, Copy)]
struct Ihdr {
    width: u32,
    height: u32,
    bit_depth: u8,
    color_type: u8,
    interlaced: bool,
}

impl Ihdr {
    /// Validates the 13 data bytes as `png_handle_IHDR` and `png_check_IHDR` do.
    fn parse(data: &[u8]) -> Result<Ihdr, CodecError> {
        let width = be32(&data[0..4]);
        let height = be32(&data[4..8]);
        let (bit_depth, color_type) = (data[8], data[9]);
        let (compression, filter, interlace) = (data[10], data[11], data[12]);
        let invalid = |what: String| Err(chunk_error(&IHDR, &what));
        if width == 0 || height == 0 {
            let which = if width == 0 { "width" } else { "height" };
            return invalid(format!("image {which} is zero"));
        }
        if width > MAX_U31 || height > MAX_U31 {
            return invalid(format!("{width}x{height} exceeds 2^31 - 1"));
        }
        let depth_ok = match color_type {
            GRAY => matches!(bit_depth, 1 | 2 | 4 | 8 | 16),
            PALETTE => matches!(bit_depth, 1 | 2 | 4 | 8),
            RGB | GRAY_ALPHA | RGB_ALPHA => matches!(bit_depth, 8 | 16),
            _ => false,
        };
        if !depth_ok {
            return invalid(format!(
                "invalid color type/bit depth combination {color_type}/{bit_depth}"
            ));
        }
        if compression != 0 || filter != 0 || interlace > 1 {
            return invalid(format!(
                "unknown compression {compression}, filter {filter} or interlace {interlace} \
                 method"
            ));
        }
        Ok(Ihdr {
            width,
            height,
            bit_depth,
            color_type,
            interlaced: interlace == 1,
        })
    }
}

/// The transparency libpng applies (its `png_ptr->num_trans` and `trans_*` values): a
/// `tRNS` chunk that libpng ignored, or cancelled because a `PLTE` followed it, is
/// [`Transparency::None`].
///
/// Colour keys are kept as stored; when they are compared, libpng masks them to the bit
/// depth of 8-bit-or-less images (`v & (2^d - 1)`), so an out-of-range key still matches
/// the samples equal to its low bits.
#[derive(Debug, Clone, Copy)]
enum Transparency {
    None,
    Gray(u16),
    Rgb([u16; 3]),
    /// Alpha of each palette entry: the `tRNS` values, then 255 (opaque).
    Palette { alpha: [u8; 256] },
}

/// What [`parse_until_image_data`] learned: the state of libpng after `png_read_info`.
struct ParsedFile {
    ihdr: Ihdr,
    /// Offsets of the `IHDR` chunk (length field to CRC end), for the `png` crate.
    ihdr_chunk: (usize, usize),
    /// Offset of the first `IDAT` chunk's length field.
    first_idat: usize,
    /// 256 entries, zero beyond the ones `PLTE` gave (as libpng allocates it).
    palette: [[u8; 3]; 256],
    transparency: Transparency,
}

impl ParsedFile {
    fn has_transparency(&self) -> bool {
        !matches!(self.transparency, Transparency::None)
    }

    fn channels(&self) -> u32 {
        match self.ihdr.color_type {
            GRAY if self.has_transparency() => 4,
            GRAY => 1,
            RGB | PALETTE if self.has_transparency() => 4,
            RGB | PALETTE => 3,
            _ => 4,
        }
    }

    fn depth(&self) -> Depth {
        if self.ihdr.bit_depth == 16 {
            Depth::Sixteen
        } else {
            Depth::Eight
        }
    }

    fn header(&self) -> Header {
        Header {
            width: self.ihdr.width,
            height: self.ihdr.height,
            channels: self.channels(),
            depth: self.depth(),
        }
    }
}

fn check_signature(bytes: &[u8]) -> Result<(), CodecError> {
    if bytes.is_empty() {
        return Err(invalid_argument("PNG: empty input"));
    }
    let checked = bytes.len().min(SIGNATURE.len());
    if bytes[..checked] != SIGNATURE[..checked] {
        return Err(malformed("PNG: bad signature (not a PNG file)"));
    }
    if bytes.len() < SIGNATURE.len() {
        return Err(malformed(
            "PNG: truncated data: input ends inside the 8-byte signature",
        ));
    }
    Ok(())
}

/// Mirrors the signature check and `png_read_info`: reads every chunk up to and
/// including the header of the first `IDAT`.
fn parse_until_image_data(bytes: &[u8]) -> Result<ParsedFile, CodecError> {
    check_signature(bytes)?;
    let mut ihdr: Option<(Ihdr, (usize, usize))> = None;
    let mut have_plte = false;
    let mut num_palette = 0usize;
    let mut palette = [[0u8; 3]; 256];
    let mut transparency = Transparency::None;
    // libpng's `info_ptr->valid & PNG_INFO_tRNS`: stays set when PLTE cancels the tRNS.
    let mut trns_seen = false;
    let mut pos = SIGNATURE.len();
    loop {
        let chunk = read_chunk_header(bytes, pos)?;
        if chunk.name == IDAT {
            let Some((ihdr, ihdr_chunk)) = ihdr else {
                return Err(chunk_error(&IDAT, "missing IHDR before IDAT"));
            };
            if ihdr.color_type == PALETTE && !have_plte {
                return Err(chunk_error(&IDAT, "missing PLTE before IDAT"));
            }
            return Ok(ParsedFile {
                ihdr,
                ihdr_chunk,
                first_idat: pos,
                palette,
                transparency,
            });
        }
        let known_ancillary = KNOWN_ANCILLARY.contains(&chunk.name);
        let known = known_ancillary || chunk.name == IHDR || chunk.name == PLTE;
        if chunk.name == IEND {
            return Err(chunk_error(&IEND, "out of place (before the image data)"));
        }
        if chunk.name == IHDR && ihdr.is_some() {
            return Err(chunk_error(&IHDR, "out of place (duplicate)"));
        }
        if chunk.name == IHDR && chunk.length != 13 {
            return Err(chunk_error(&IHDR, "invalid length"));
        }
        if known && chunk.name != IHDR && ihdr.is_none() {
            return Err(chunk_error(&chunk.name, "missing IHDR"));
        }
        if chunk.name == PLTE && have_plte {
            return Err(chunk_error(&PLTE, "duplicate"));
        }
        let data = checked_chunk_data(bytes, &chunk)?;
        pos = chunk.end();
        match (chunk.name, ihdr) {
            (IHDR, _) => ihdr = Some((Ihdr::parse(data)?, (chunk.start, chunk.end()))),
            (PLTE, Some((header, _))) => {
                have_plte = true;
                if header.color_type & 2 == 0 {
                    continue; // ignored in grayscale images
                }
                if data.len() > 768 || data.len() % 3 != 0 {
                    if header.color_type == PALETTE {
                        return Err(chunk_error(&PLTE, "invalid length"));
                    }
                    continue; // ignored in RGB images
                }
                let max_entries = if header.color_type == PALETTE {
                    1usize << header.bit_depth
                } else {
                    256
                };
                num_palette = (data.len() / 3).min(max_entries);
                if num_palette == 0 {
                    return Err(chunk_error(&PLTE, "invalid palette (no entries)"));
                }
                for (entry, rgb) in palette.iter_mut().zip(data.chunks_exact(3)) {
                    entry.copy_from_slice(rgb);
                }
                for entry in &mut palette[num_palette..] {
                    *entry = [0; 3];
                }
                // tRNS must follow PLTE; libpng cancels an earlier one.
                transparency = Transparency::None;
            }
            (TRNS, Some((header, _))) if !trns_seen => {
                let parsed = match header.color_type {
                    GRAY if data.len() == 2 => Some(Transparency::Gray(be16(data))),
                    RGB if data.len() == 6 => Some(Transparency::Rgb([
                        be16(&data[0..2]),
                        be16(&data[2..4]),
                        be16(&data[4..6]),
                    ])),
                    PALETTE
                        if have_plte && !data.is_empty() && data.len() <= num_palette =>
                    {
                        let mut alpha = [255u8; 256];
                        alpha[..data.len()].copy_from_slice(data);
                        Some(Transparency::Palette { alpha })
                    }
                    _ => None, // invalid or misplaced: ignored
                };
                if let Some(parsed) = parsed {
                    transparency = parsed;
                    trns_seen = true;
                }
            }
            _ if chunk.is_critical() && !known => {
                return Err(chunk_error(&chunk.name, "unhandled critical chunk"));
            }
            _ => {} // other ancillary chunks do not change the pixels
        }
    }
}

fn check_pixel_limit(ihdr: &Ihdr, limits: Limits) -> Result<(), CodecError> {
    if u64::from(ihdr.width) * u64::from(ihdr.height) > limits.max_pixels {
        return Err(CodecError::new(
            ErrorCategory::LimitExceeded,
            format!(
                "PNG: {}x{} image exceeds the limit of {} pixels",
                ihdr.width, ihdr.height, limits.max_pixels
            ),
        ));
    }
    Ok(())
}

fn prepare_decode(
    bytes: &[u8],
    limits: Limits,
    depth: Depth,
    out_len: usize,
    op: &str,
) -> Result<ParsedFile, CodecError> {
    let file = parse_until_image_data(bytes)?;
    check_pixel_limit(&file.ihdr, limits)?;
    let header = file.header();
    if header.depth != depth {
        let (bits, other) = match header.depth {
            Depth::Eight => ("8-bit", "decode_into_u8"),
            Depth::Sixteen => ("16-bit", "decode_into_u16"),
        };
        return Err(invalid_argument(format!(
            "PNG {op}: the image has {bits} samples; use {other}"
        )));
    }
    if out_len != header.sample_count() {
        return Err(invalid_argument(format!(
            "PNG {op}: output holds {out_len} samples, the {}x{}x{} image needs {}",
            header.width,
            header.height,
            header.channels,
            header.sample_count()
        )));
    }
    Ok(file)
}

// ---- the rest of the file ----------------------------------------------------------

/// Walks the chunks from the first `IDAT` to the end of `IEND` and returns the first run
/// of consecutive `IDAT` chunks (the image data libpng reads).
///
/// Mirrors what libpng checks there: every chunk header, the presence of every chunk up
/// to the end of `IEND`, every CRC, and no `IHDR`. The CRCs of the first `IDAT` run are
/// left to the `png` crate, which checks them as it reads (faster than a second pass).
fn walk_after_image_start(bytes: &[u8], file: &ParsedFile) -> Result<Vec<Chunk>, CodecError> {
    let mut pos = file.first_idat;
    let mut run = Vec::new();
    loop {
        let chunk = read_chunk_header(bytes, pos)?;
        if chunk.name != IDAT {
            break;
        }
        chunk_data(bytes, &chunk)?;
        run.push(chunk);
        pos = chunk.end();
    }
    loop {
        let chunk = read_chunk_header(bytes, pos)?;
        if chunk.name == IHDR {
            return Err(chunk_error(&IHDR, "out of place (after the image data)"));
        }
        checked_chunk_data(bytes, &chunk)?;
        pos = chunk.end();
        if chunk.name == IEND {
            return Ok(run);
        }
    }
}

// ---- the image data ------------------------------------------------------------------
//
// libpng inflates the image data row by row with zlib, in read pieces of at most 8 KiB
// per chunk, and decides from zlib's results whether the file is valid; with the last
// row zlib also reads whatever follows that needs no output (end-of-block code, block
// headers, the Adler-32), and after the image libpng inflates once more "to check",
// where errors are only warnings but running out of image data is fatal. Exactly where
// zlib stops therefore decides some files.
//
// The fast path decompresses with the `png` crate (fdeflate) straight through and
// accepts the file when the stream decodes without error and ends with a correct
// Adler-32 inside the `IDAT` run: zlib then accepts it too. Anything else (an error, a
// stream that does not end, a zlib window smaller than 32 KiB that the data outgrows) is
// rare and is re-decided by `replay`, a port of zlib's inflate state machine driven the
// way libpng drives zlib; its output then supplies the pixels.

/// Most bytes the `png` crate decompresses per call.
const GROWTH: usize = 8 * 1024;

/// Room kept for the decompressor's 32 KiB look-back window and a few rows.
const INITIAL_WINDOW: usize = 256 * 1024;

/// Why filtered rows could not be had.
enum RowsError {
    /// Fatal for legacy too, whatever zlib says (a bad filter type, a CRC error).
    Fatal(CodecError),
    /// The fast decompressor stopped; zlib may disagree.
    Stream,
}

/// A source of the filtered image bytes, row after row.
trait FilteredRows {
    /// The next `len` filtered bytes (a filter type byte and a row).
    fn take(&mut self, len: usize) -> Result<&[u8], RowsError>;
}

/// The fast path: the `png` crate's [`png::StreamingDecoder`] decompressing the `IDAT`
/// run into `buf`: `buf[cursor..filled]` is not consumed yet, `buf[available..filled]`
/// is the decompressor's look-back window.
struct FastRows<'a> {
    decoder: png::StreamingDecoder,
    /// The `IDAT` run, then a synthetic `IEND`.
    parts: [&'a [u8]; 2],
    part: usize,
    offset: usize,
    buf: Vec<u8>,
    region: png::UnfilterRegion,
    cursor: usize,
    /// Bytes shifted out of the front of `buf`.
    discarded: u64,
    /// Filtered bytes of the whole image (all rows of all passes, filter bytes included).
    image_bytes: u64,
    /// The `IDAT` run is over.
    flushed: bool,
    /// `IEND` has been read.
    ended: bool,
}

impl<'a> FastRows<'a> {
    fn new(
        bytes: &'a [u8],
        ihdr_chunk: (usize, usize),
        run: (usize, usize),
        image_bytes: u64,
        max_row: usize,
    ) -> Result<Self, CodecError> {
        let mut options = DecodeOptions::default();
        // zlib checks the Adler-32 whenever it reaches the end of the stream.
        options.set_ignore_adler32(false);
        let mut decoder = png::StreamingDecoder::new_with_options(options);
        let (ihdr_start, ihdr_end) = ihdr_chunk;
        for part in [&SIGNATURE[..], &bytes[ihdr_start..ihdr_end]] {
            let mut rest = part;
            while !rest.is_empty() {
                let (consumed, _) = decoder.update(rest, None).map_err(decoding_failed)?;
                if consumed == 0 {
                    return Err(internal("PNG: decoder made no progress on the header"));
                }
                rest = &rest[consumed..];
            }
        }
        Ok(Self {
            decoder,
            parts: [&bytes[run.0..run.1], &IEND_CHUNK],
            part: 0,
            offset: 0,
            buf: vec![0; INITIAL_WINDOW.max(2 * max_row + 64 * 1024)],
            region: png::UnfilterRegion::default(),
            cursor: 0,
            discarded: 0,
            image_bytes,
            flushed: false,
            ended: false,
        })
    }

    fn produced(&self) -> u64 {
        self.discarded + self.region.filled as u64
    }

    /// Makes room for `want` more decompressed bytes: drops consumed bytes that are out of
    /// the look-back window, or grows the buffer.
    fn make_room(&mut self, want: usize) {
        let filled = self.region.filled;
        if self.buf.len() >= filled + want {
            return;
        }
        let drop = self.cursor.min(self.region.available);
        if drop > 0 {
            self.buf.copy_within(drop..filled, 0);
            self.region.filled -= drop;
            self.region.available -= drop;
            self.cursor -= drop;
            self.discarded += drop as u64;
        }
        let filled = self.region.filled;
        if self.buf.len() < filled + want {
            let len = (2 * self.buf.len()).max(filled + want);
            self.buf.resize(len, 0);
        }
    }

    /// One `StreamingDecoder::update` on the rest of the input. While the image is
    /// incomplete, output stops at its last byte.
    fn step(&mut self) -> Result<(), DecodingError> {
        while self.offset == self.parts[self.part].len() {
            if self.part + 1 == self.parts.len() {
                return Err(DecodingError::IoError(io::ErrorKind::UnexpectedEof.into()));
            }
            self.part += 1;
            self.offset = 0;
        }
        let produced = self.produced();
        let room = if produced < self.image_bytes {
            (self.image_bytes - produced).min(GROWTH as u64) as usize
        } else {
            GROWTH
        };
        self.make_room(room);
        if room < GROWTH {
            // The crate decompresses at most GROWTH bytes per call, up to `buf.len()`.
            self.buf.truncate(self.region.filled + room);
        }
        let input = &self.parts[self.part][self.offset..];
        let (consumed, decoded) = {
            let mut out = self.region.as_buf(&mut self.buf);
            self.decoder.update(input, Some(&mut out))?
        };
        self.offset += consumed;
        match decoded {
            png::Decoded::ImageDataFlushed => self.flushed = true,
            png::Decoded::ChunkComplete(png::chunk::IEND) => self.ended = true,
            _ => {}
        }
        Ok(())
    }

    /// After the last row: whether the rest of the stream decodes and ends (with a
    /// correct Adler-32) within the `IDAT` run, which the crate also CRC-checks.
    fn finish_cleanly(&mut self) -> bool {
        while !self.ended {
            if self.step().is_err() {
                return false;
            }
            // The output after the image is not needed.
            self.cursor = self.region.filled;
        }
        true
    }
}

impl FilteredRows for FastRows<'_> {
    fn take(&mut self, len: usize) -> Result<&[u8], RowsError> {
        while self.region.filled - self.cursor < len {
            if self.flushed {
                return Err(RowsError::Stream);
            }
            self.step().map_err(|_| RowsError::Stream)?;
        }
        let start = self.cursor;
        self.cursor += len;
        Ok(&self.buf[start..start + len])
    }
}

/// Filtered rows from a buffer (what [`replay`] produced).
struct BufferedRows<'a> {
    data: &'a [u8],
}

impl FilteredRows for BufferedRows<'_> {
    fn take(&mut self, len: usize) -> Result<&[u8], RowsError> {
        if self.data.len() < len {
            return Err(RowsError::Fatal(internal("PNG: replayed image data too short")));
        }
        let (row, rest) = self.data.split_at(len);
        self.data = rest;
        Ok(row)
    }
}

/// zlib's behaviour, as libpng drives it.
mod replay {
    use super::{chunk_data, Chunk};

    /// libpng's `PNG_IDAT_READ_SIZE`: `IDAT` data reaches zlib in pieces of at most this
    /// many bytes, counted from the start of each chunk's data.
    const IDAT_READ_SIZE: usize = 8192;
    /// libpng's buffer for the final "check" inflate.
    const CHECK_BUFFER: usize = 1024;
    const MAX_BITS: usize = 15;

    /// Inflates the `IDAT` run as libpng 1.6 does with zlib 1.2: one inflate call per row
    /// (and per read piece), then the check after the last row. Returns the filtered
    /// image bytes, or the reason libpng gives up.
    pub(super) fn inflate_idat(
        bytes: &[u8],
        run: &[Chunk],
        rows: &[usize],
    ) -> Result<Vec<u8>, String> {
        let mut pieces = run.iter().flat_map(|chunk| {
            let data = chunk_data(bytes, chunk).unwrap_or(&[]);
            data.chunks(IDAT_READ_SIZE)
        });
        let total: usize = rows.iter().sum();
        let mut z = Inflate::new(total);
        let mut input: &[u8] = &[];
        let mut ended = false;
        for &row in rows {
            let mut left = row;
            while left > 0 {
                if input.is_empty() {
                    input = pieces.next().ok_or("not enough image data")?;
                }
                let (result, written) = z.inflate(&mut input, left);
                left -= written;
                match result {
                    Ok(Status::StreamEnd) if left > 0 => return Err("not enough image data".into()),
                    Ok(Status::StreamEnd) => {
                        ended = true;
                        break;
                    }
                    Ok(Status::Ok) => {}
                    Err(message) => return Err(message.to_string()),
                }
            }
            if ended && left > 0 {
                return Err("not enough image data".into());
            }
        }
        if ended {
            return Ok(z.into_output());
        }
        // png_read_finish_IDAT: inflate into a scratch buffer until the stream ends;
        // errors are warnings, but needing another piece when none is left is fatal.
        let mut extra = 0usize;
        loop {
            if input.is_empty() {
                input = pieces.next().ok_or("not enough image data")?;
            }
            let (result, written) = z.inflate(&mut input, CHECK_BUFFER);
            extra += written;
            match result {
                Ok(Status::StreamEnd) | Err(_) => break,
                Ok(Status::Ok) if extra == 0 => break,
                Ok(Status::Ok) => {}
            }
        }
        Ok(z.into_output())
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Status {
        Ok,
        StreamEnd,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Mode {
        Head,
        DictId,
        Type,
        Stored,
        Copy,
        Table,
        LenLens,
        CodeLens,
        Len,
        LenExt,
        Dist,
        DistExt,
        Match,
        Lit,
        Check,
        Done,
        Bad,
    }

    /// A canonical Huffman code, decoded bit by bit (as puff.c does): bytes are pulled
    /// exactly when zlib pulls them.
    struct Huffman {
        count: [u16; MAX_BITS + 1],
        symbols: Vec<u16>,
        /// Longest code length; codes are searched up to here (at least 1 bit).
        max: usize,
    }

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum CodeKind {
        CodeLengths,
        Other,
    }

    impl Huffman {
        /// zlib's `inflate_table` rules: over-subscribed is an error; incomplete is an
        /// error unless the longest code has one bit (then the missing code is invalid
        /// when met); no codes at all is accepted (and any code is invalid).
        fn new(lengths: &[u8], kind: CodeKind) -> Option<Huffman> {
            let mut count = [0u16; MAX_BITS + 1];
            for &len in lengths {
                count[usize::from(len)] += 1;
            }
            let max = (1..=MAX_BITS).rev().find(|&l| count[l] != 0).unwrap_or(0);
            let mut symbols = Vec::with_capacity(lengths.len());
            if max > 0 {
                let mut left: i32 = 1;
                for &c in &count[1..] {
                    left = 2 * left - i32::from(c);
                    if left < 0 {
                        return None;
                    }
                }
                if left > 0 && (kind == CodeKind::CodeLengths || max != 1) {
                    return None;
                }
                for len in 1..=MAX_BITS {
                    for (symbol, &l) in lengths.iter().enumerate() {
                        if usize::from(l) == len {
                            symbols.push(symbol as u16);
                        }
                    }
                }
            }
            count[0] = 0;
            Some(Huffman {
                count,
                symbols,
                max,
            })
        }
    }

    fn adler32(mut adler: u32, data: &[u8]) -> u32 {
        const BASE: u32 = 65521;
        let (mut a, mut b) = (adler & 0xffff, adler >> 16);
        for block in data.chunks(5552) {
            for &byte in block {
                a += u32::from(byte);
                b += a;
            }
            a %= BASE;
            b %= BASE;
        }
        adler = (b << 16) | a;
        adler
    }

    const LENGTH_BASE: [u16; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
        115, 131, 163, 195, 227, 258,
    ];
    const LENGTH_EXTRA: [u8; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    const DIST_BASE: [u16; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
        1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ];
    const DIST_EXTRA: [u8; 30] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12,
        12, 13, 13,
    ];
    /// Order of the code length code lengths.
    const ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// zlib 1.2's `inflate()` state machine (the slow path, which `inflate_fast` only
    /// speeds up), for a zlib stream with the window size from its header, plus
    /// libpng's check of that size.
    struct Inflate {
        mode: Mode,
        last: bool,
        hold: u64,
        bits: u32,
        /// Window size; `whave` of it is filled (updated at the end of each call).
        wsize: usize,
        whave: usize,
        length: usize,
        offset: usize,
        extra: u32,
        nlen: usize,
        ndist: usize,
        ncode: usize,
        have: usize,
        lens: [u8; 320],
        codes: Option<Huffman>,
        lencode: Option<Huffman>,
        distcode: Option<Huffman>,
        adler: u32,
        /// Adler-32 computed up to `output[..checked]`.
        checked: usize,
        /// All output of the image, then (beyond `keep`) a sliding 32 KiB of the rest.
        output: Vec<u8>,
        keep: usize,
        started: bool,
    }

    enum Bits {
        Ready(u32),
        Short,
    }

    impl Inflate {
        fn new(keep: usize) -> Self {
            Self {
                mode: Mode::Head,
                last: false,
                hold: 0,
                bits: 0,
                wsize: 0,
                whave: 0,
                length: 0,
                offset: 0,
                extra: 0,
                nlen: 0,
                ndist: 0,
                ncode: 0,
                have: 0,
                lens: [0; 320],
                codes: None,
                lencode: None,
                distcode: None,
                adler: 1,
                checked: 0,
                output: Vec::with_capacity(keep),
                keep,
                started: false,
            }
        }

        fn into_output(mut self) -> Vec<u8> {
            self.output.truncate(self.keep);
            self.output
        }

        /// NEEDBITS: pulls whole bytes until `n` bits are held.
        fn need(&mut self, input: &mut &[u8], n: u32) -> bool {
            while self.bits < n {
                let Some((&byte, rest)) = input.split_first() else {
                    return false;
                };
                self.hold |= u64::from(byte) << self.bits;
                self.bits += 8;
                *input = rest;
            }
            true
        }

        fn take_bits(&mut self, n: u32) -> u32 {
            let value = (self.hold & ((1u64 << n) - 1)) as u32;
            self.hold >>= n;
            self.bits -= n;
            value
        }

        fn byte_align(&mut self) {
            let n = self.bits % 8;
            self.take_bits(n);
        }

        /// Finds the next symbol, pulling bytes as zlib would, without dropping its bits:
        /// returns the symbol (`None` for an invalid code) and its length in bits, or
        /// `Err` when the input runs out first.
        fn peek_symbol(
            &mut self,
            input: &mut &[u8],
            code: &Huffman,
        ) -> Result<(Option<u16>, u32), ()> {
            let (mut value, mut first, mut index) = (0i32, 0i32, 0i32);
            for len in 1..=code.max.max(1) {
                if !self.need(input, len as u32) {
                    return Err(());
                }
                value |= ((self.hold >> (len - 1)) & 1) as i32;
                let count = i32::from(code.count[len]);
                if value - first < count {
                    let symbol = code.symbols[(index + value - first) as usize];
                    return Ok((Some(symbol), len as u32));
                }
                index += count;
                first = (first + count) << 1;
                value <<= 1;
            }
            Ok((None, code.max.max(1) as u32))
        }

        /// Decodes and drops one symbol; `Ok(None)` is an invalid code.
        fn decode(&mut self, input: &mut &[u8], code: &Huffman) -> Result<Option<u16>, ()> {
            let (symbol, len) = self.peek_symbol(input, code)?;
            self.take_bits(len);
            Ok(symbol)
        }

        fn bits_value(&mut self, input: &mut &[u8], n: u32) -> Bits {
            if self.need(input, n) {
                Bits::Ready(self.take_bits(n))
            } else {
                Bits::Short
            }
        }

        fn fail(&mut self, message: &'static str) -> Result<Status, &'static str> {
            self.mode = Mode::Bad;
            Err(message)
        }

        /// One `inflate(strm, Z_NO_FLUSH)` call with `avail_out` bytes of room. Returns
        /// the result and the bytes written.
        fn inflate(
            &mut self,
            input: &mut &[u8],
            avail_out: usize,
        ) -> (Result<Status, &'static str>, usize) {
            let start = self.output.len();
            let result = self.run(input, avail_out, start);
            let written = self.output.len() - start;
            // updatewindow at inf_leave.
            self.whave = (self.whave + written).min(self.wsize);
            self.slide();
            (result, written)
        }

        /// Keeps the image bytes and the last 32 KiB of anything after them.
        fn slide(&mut self) {
            const WINDOW: usize = 32 * 1024;
            if self.output.len() > self.keep + 4 * WINDOW {
                self.update_adler();
                let drop_to = self.output.len() - WINDOW;
                self.output.drain(self.keep..drop_to);
                self.checked = self.output.len();
            }
        }

        fn update_adler(&mut self) {
            self.adler = adler32(self.adler, &self.output[self.checked..]);
            self.checked = self.output.len();
        }

        fn run(
            &mut self,
            input: &mut &[u8],
            avail_out: usize,
            start: usize,
        ) -> Result<Status, &'static str> {
            // libpng's png_zlib_inflate: the window size nibble of the first byte.
            if !self.started {
                if let Some(&first) = input.first() {
                    self.started = true;
                    if first >> 4 > 7 {
                        return self.fail("invalid window size (libpng)");
                    }
                }
            }
            loop {
                let left = avail_out - (self.output.len() - start);
                match self.mode {
                    Mode::Head => {
                        if !self.need(input, 16) {
                            return Ok(Status::Ok);
                        }
                        let cmf = (self.hold & 0xff) as u32;
                        let flg = ((self.hold >> 8) & 0xff) as u32;
                        if ((cmf << 8) + flg) % 31 != 0 {
                            return self.fail("incorrect header check");
                        }
                        if cmf & 0x0f != 8 {
                            return self.fail("unknown compression method");
                        }
                        let wbits = (cmf >> 4) + 8;
                        if wbits > 15 {
                            return self.fail("invalid window size");
                        }
                        self.wsize = 1 << wbits;
                        self.take_bits(16);
                        self.mode = if flg & 0x20 != 0 { Mode::DictId } else { Mode::Type };
                    }
                    Mode::DictId => {
                        if !self.need(input, 32) {
                            return Ok(Status::Ok);
                        }
                        // Z_NEED_DICT: an error for libpng.
                        return self.fail("missing LZ dictionary");
                    }
                    Mode::Type => {
                        if self.last {
                            self.byte_align();
                            self.mode = Mode::Check;
                            continue;
                        }
                        if !self.need(input, 3) {
                            return Ok(Status::Ok);
                        }
                        self.last = self.take_bits(1) == 1;
                        match self.take_bits(2) {
                            0 => self.mode = Mode::Stored,
                            1 => {
                                let mut lengths = [0u8; 320];
                                lengths[..144].fill(8);
                                lengths[144..256].fill(9);
                                lengths[256..280].fill(7);
                                lengths[280..288].fill(8);
                                lengths[288..320].fill(5);
                                self.lencode = Huffman::new(&lengths[..288], CodeKind::Other);
                                self.distcode = Huffman::new(&lengths[288..], CodeKind::Other);
                                self.mode = Mode::Len;
                            }
                            2 => self.mode = Mode::Table,
                            _ => return self.fail("invalid block type"),
                        }
                    }
                    Mode::Stored => {
                        self.byte_align();
                        if !self.need(input, 32) {
                            return Ok(Status::Ok);
                        }
                        let word = self.take_bits(32);
                        if word & 0xffff != (word >> 16) ^ 0xffff {
                            return self.fail("invalid stored block lengths");
                        }
                        self.length = (word & 0xffff) as usize;
                        self.mode = Mode::Copy;
                    }
                    Mode::Copy => {
                        if self.length == 0 {
                            self.mode = Mode::Type;
                            continue;
                        }
                        let n = self.length.min(input.len()).min(left);
                        if n == 0 {
                            return Ok(Status::Ok);
                        }
                        self.output.extend_from_slice(&input[..n]);
                        *input = &input[n..];
                        self.length -= n;
                    }
                    Mode::Table => {
                        if !self.need(input, 14) {
                            return Ok(Status::Ok);
                        }
                        self.nlen = self.take_bits(5) as usize + 257;
                        self.ndist = self.take_bits(5) as usize + 1;
                        self.ncode = self.take_bits(4) as usize + 4;
                        if self.nlen > 286 || self.ndist > 30 {
                            return self.fail("too many length or distance symbols");
                        }
                        self.have = 0;
                        self.mode = Mode::LenLens;
                    }
                    Mode::LenLens => {
                        while self.have < self.ncode {
                            let Bits::Ready(len) = self.bits_value(input, 3) else {
                                return Ok(Status::Ok);
                            };
                            self.lens[ORDER[self.have]] = len as u8;
                            self.have += 1;
                        }
                        while self.have < 19 {
                            self.lens[ORDER[self.have]] = 0;
                            self.have += 1;
                        }
                        self.codes = Huffman::new(&self.lens[..19], CodeKind::CodeLengths);
                        if self.codes.is_none() {
                            return self.fail("invalid code lengths set");
                        }
                        self.have = 0;
                        self.mode = Mode::CodeLens;
                    }
                    Mode::CodeLens => {
                        let Some(codes) = self.codes.take() else {
                            return self.fail("invalid code lengths set");
                        };
                        let result = self.code_lengths(input, &codes);
                        self.codes = Some(codes);
                        match result {
                            Ok(true) => {}
                            Ok(false) => return Ok(Status::Ok),
                            Err(message) => return self.fail(message),
                        }
                        if self.lens[256] == 0 {
                            return self.fail("invalid code -- missing end-of-block");
                        }
                        let (nlen, ndist) = (self.nlen, self.ndist);
                        self.lencode = Huffman::new(&self.lens[..nlen], CodeKind::Other);
                        if self.lencode.is_none() {
                            return self.fail("invalid literal/lengths set");
                        }
                        self.distcode =
                            Huffman::new(&self.lens[nlen..nlen + ndist], CodeKind::Other);
                        if self.distcode.is_none() {
                            return self.fail("invalid distances set");
                        }
                        self.mode = Mode::Len;
                    }
                    Mode::Len => {
                        let Some(code) = self.lencode.take() else {
                            return self.fail("invalid literal/length code");
                        };
                        let symbol = self.decode(input, &code);
                        self.lencode = Some(code);
                        let symbol = match symbol {
                            Err(()) => return Ok(Status::Ok),
                            Ok(None) => return self.fail("invalid literal/length code"),
                            Ok(Some(symbol)) => usize::from(symbol),
                        };
                        if symbol < 256 {
                            self.length = symbol;
                            self.mode = Mode::Lit;
                        } else if symbol == 256 {
                            self.mode = Mode::Type;
                        } else if symbol - 257 < LENGTH_BASE.len() {
                            self.length = usize::from(LENGTH_BASE[symbol - 257]);
                            self.extra = u32::from(LENGTH_EXTRA[symbol - 257]);
                            self.mode = Mode::LenExt;
                        } else {
                            return self.fail("invalid literal/length code");
                        }
                    }
                    Mode::LenExt => {
                        let extra = self.extra;
                        let Bits::Ready(value) = self.bits_value(input, extra) else {
                            return Ok(Status::Ok);
                        };
                        self.length += value as usize;
                        self.mode = Mode::Dist;
                    }
                    Mode::Dist => {
                        let Some(code) = self.distcode.take() else {
                            return self.fail("invalid distance code");
                        };
                        let symbol = self.decode(input, &code);
                        self.distcode = Some(code);
                        let symbol = match symbol {
                            Err(()) => return Ok(Status::Ok),
                            Ok(None) => return self.fail("invalid distance code"),
                            Ok(Some(symbol)) => usize::from(symbol),
                        };
                        if symbol >= DIST_BASE.len() {
                            return self.fail("invalid distance code");
                        }
                        self.offset = usize::from(DIST_BASE[symbol]);
                        self.extra = u32::from(DIST_EXTRA[symbol]);
                        self.mode = Mode::DistExt;
                    }
                    Mode::DistExt => {
                        let extra = self.extra;
                        let Bits::Ready(value) = self.bits_value(input, extra) else {
                            return Ok(Status::Ok);
                        };
                        self.offset += value as usize;
                        self.mode = Mode::Match;
                    }
                    Mode::Match => {
                        if left == 0 {
                            return Ok(Status::Ok);
                        }
                        let this_call = self.output.len() - start;
                        if self.offset > this_call && self.offset - this_call > self.whave {
                            return self.fail("invalid distance too far back");
                        }
                        let n = self.length.min(left);
                        for _ in 0..n {
                            let byte = self.output[self.output.len() - self.offset];
                            self.output.push(byte);
                        }
                        self.length -= n;
                        if self.length == 0 {
                            self.mode = Mode::Len;
                        }
                    }
                    Mode::Lit => {
                        if left == 0 {
                            return Ok(Status::Ok);
                        }
                        self.output.push(self.length as u8);
                        self.mode = Mode::Len;
                    }
                    Mode::Check => {
                        if !self.need(input, 32) {
                            return Ok(Status::Ok);
                        }
                        self.update_adler();
                        let stored = self.take_bits(32).swap_bytes();
                        if stored != self.adler {
                            return self.fail("incorrect data check");
                        }
                        self.hold = 0;
                        self.bits = 0;
                        self.mode = Mode::Done;
                    }
                    Mode::Done => return Ok(Status::StreamEnd),
                    Mode::Bad => return Err("invalid zlib state"),
                }
            }
        }

        /// The code lengths of a dynamic block; `Ok(false)` when input runs out.
        fn code_lengths(&mut self, input: &mut &[u8], codes: &Huffman) -> Result<bool, &'static str> {
            while self.have < self.nlen + self.ndist {
                let (symbol, code_bits) = match self.peek_symbol(input, codes) {
                    Err(()) => return Ok(false),
                    Ok((None, _)) => return Err("invalid code lengths set"),
                    Ok((Some(symbol), bits)) => (symbol, bits),
                };
                if symbol < 16 {
                    self.take_bits(code_bits);
                    self.lens[self.have] = symbol as u8;
                    self.have += 1;
                    continue;
                }
                // NEEDBITS(code + extra) before anything is dropped.
                let extra = [2, 3, 7][usize::from(symbol) - 16];
                if !self.need(input, code_bits + extra) {
                    return Ok(false);
                }
                self.take_bits(code_bits);
                let (len, base) = match symbol {
                    16 => {
                        if self.have == 0 {
                            return Err("invalid bit length repeat");
                        }
                        (self.lens[self.have - 1], 3)
                    }
                    17 => (0, 3),
                    _ => (0, 11),
                };
                let copy = base + self.take_bits(extra) as usize;
                if self.have + copy > self.nlen + self.ndist {
                    return Err("invalid bit length repeat");
                }
                self.lens[self.have..self.have + copy].fill(len);
                self.have += copy;
            }
            Ok(true)
        }
    }
}

// ---- unfiltering --------------------------------------------------------------------

/// Reverses the PNG filter of one row: `dst` becomes the unfiltered `src`; `prev` is the
/// unfiltered previous row of the same pass, empty for the first. A filter type above 4
/// is malformed, as in libpng.
fn unfilter(
    filter: u8,
    bpp: usize,
    prev: &[u8],
    src: &[u8],
    dst: &mut [u8],
) -> Result<(), CodecError> {
    match bpp {
        1 => unfilter_bpp::<1>(filter, prev, src, dst),
        2 => unfilter_bpp::<2>(filter, prev, src, dst),
        3 => unfilter_bpp::<3>(filter, prev, src, dst),
        4 => unfilter_bpp::<4>(filter, prev, src, dst),
        6 => unfilter_bpp::<6>(filter, prev, src, dst),
        _ => unfilter_bpp::<8>(filter, prev, src, dst),
    }
}

#[inline(always)]
fn paeth(a: u8, b: u8, c: u8) -> u8 {
    // The PNG predictor in the branch-free form of stb_image: the closest of a, b, c to
    // a + b - c, ties in that order.
    let (a, b, c) = (i16::from(a), i16::from(b), i16::from(c));
    let thresh = c * 3 - (a + b);
    let lo = a.min(b);
    let hi = a.max(b);
    let t0 = if hi <= thresh { lo } else { c };
    let t1 = if thresh <= lo { hi } else { t0 };
    t1 as u8
}

fn unfilter_bpp<const N: usize>(
    filter: u8,
    prev: &[u8],
    src: &[u8],
    dst: &mut [u8],
) -> Result<(), CodecError> {
    let first_row = prev.is_empty();
    match filter {
        0 => dst.copy_from_slice(src),
        1 | 4 if filter == 1 || first_row => {
            // Sub (and Paeth against a zero row, which picks the left neighbour).
            let mut left = [0u8; N];
            for (d, s) in dst.chunks_exact_mut(N).zip(src.chunks_exact(N)) {
                for i in 0..N {
                    left[i] = s[i].wrapping_add(left[i]);
                }
                d.copy_from_slice(&left);
            }
        }
        2 if first_row => dst.copy_from_slice(src),
        2 => {
            for ((d, &s), &p) in dst.iter_mut().zip(src).zip(prev) {
                *d = s.wrapping_add(p);
            }
        }
        3 if first_row => {
            let mut left = [0u8; N];
            for (d, s) in dst.chunks_exact_mut(N).zip(src.chunks_exact(N)) {
                for i in 0..N {
                    left[i] = s[i].wrapping_add(left[i] / 2);
                }
                d.copy_from_slice(&left);
            }
        }
        3 => {
            let mut left = [0u8; N];
            for ((d, s), p) in dst
                .chunks_exact_mut(N)
                .zip(src.chunks_exact(N))
                .zip(prev.chunks_exact(N))
            {
                for i in 0..N {
                    let average = (u16::from(left[i]) + u16::from(p[i])) / 2;
                    left[i] = s[i].wrapping_add(average as u8);
                }
                d.copy_from_slice(&left);
            }
        }
        4 => {
            let mut left = [0u8; N];
            let mut up_left = [0u8; N];
            for ((d, s), p) in dst
                .chunks_exact_mut(N)
                .zip(src.chunks_exact(N))
                .zip(prev.chunks_exact(N))
            {
                for i in 0..N {
                    left[i] = s[i].wrapping_add(paeth(left[i], p[i], up_left[i]));
                    up_left[i] = p[i];
                }
                d.copy_from_slice(&left);
            }
        }
        _ => {
            return Err(malformed(format!(
                "PNG: malformed data (bad adaptive filter value {filter})"
            )))
        }
    }
    Ok(())
}

// ---- decoding the pixels -----------------------------------------------------------

enum Output<'a> {
    Eight(&'a mut [u8]),
    Sixteen(&'a mut [u16]),
}

/// Adam7: first column, column step, first row, row step of passes 1 to 7.
const ADAM7: [(usize, usize, usize, usize); 7] = [
    (0, 8, 0, 8),
    (4, 8, 0, 8),
    (0, 4, 4, 8),
    (2, 4, 0, 4),
    (0, 2, 2, 4),
    (1, 2, 0, 2),
    (0, 1, 1, 2),
];

/// Bytes of a packed row of `width` pixels of `bits` bits.
fn row_bytes(width: usize, bits: usize) -> usize {
    (width * bits).div_ceil(8)
}

/// Width and height of each Adam7 pass (0 for an empty pass).
fn adam7_passes(width: usize, height: usize) -> [(usize, usize); 7] {
    ADAM7.map(|(x0, dx, y0, dy)| {
        (
            width.saturating_sub(x0).div_ceil(dx),
            height.saturating_sub(y0).div_ceil(dy),
        )
    })
}

/// The length of every filtered row libpng reads, in order (filter byte included).
fn filtered_row_lengths(expander: &Expander) -> Vec<usize> {
    let bits = expander.bits_per_pixel();
    let passes = if expander.interlaced {
        adam7_passes(expander.width, expander.height).to_vec()
    } else {
        vec![(expander.width, expander.height)]
    };
    passes
        .into_iter()
        .filter(|&(w, h)| w > 0 && h > 0)
        .flat_map(|(w, h)| std::iter::repeat(row_bytes(w, bits) + 1).take(h))
        .collect()
}

/// Whether zlib's window, as the stream header declares it, is smaller than the data:
/// zlib then rejects back-references beyond it that other decoders follow.
fn window_may_matter(bytes: &[u8], run: &[Chunk], image_bytes: u64) -> bool {
    let first = run
        .iter()
        .find(|c| c.length > 0)
        .map(|c| bytes[c.data_start()]);
    match first {
        Some(cmf) if cmf >> 4 < 7 => image_bytes > 1u64 << ((cmf >> 4) + 8),
        _ => false,
    }
}

fn decode_pixels(bytes: &[u8], file: &ParsedFile, mut out: Output<'_>) -> Result<(), CodecError> {
    let run = walk_after_image_start(bytes, file)?;
    let expander = Expander::new(file);
    let rows = filtered_row_lengths(&expander);
    let image_bytes: u64 = rows.iter().map(|&r| r as u64).sum();
    if !window_may_matter(bytes, &run, image_bytes) && std::env::var_os("TMP_FORCE_REPLAY").is_none() {
        let run_range = (
            run.first().map_or(file.first_idat, |c| c.start),
            run.last().map_or(file.first_idat, |c| c.end()),
        );
        let max_row = rows.iter().copied().max().unwrap_or(0);
        let mut fast = FastRows::new(bytes, file.ihdr_chunk, run_range, image_bytes, max_row)?;
        match decode_rows(&mut fast, &expander, &mut out) {
            Ok(()) if fast.finish_cleanly() => return Ok(()),
            Ok(()) | Err(RowsError::Stream) => {}
            Err(RowsError::Fatal(e)) => return Err(e),
        }
    }
    // The fast path could not decide: check the CRCs the crate may not have reached,
    // then ask zlib's rules.
    for chunk in &run {
        checked_chunk_data(bytes, chunk)?;
    }
    let data = replay::inflate_idat(bytes, &run, &rows)
        .map_err(|reason| malformed(format!("PNG: malformed data (IDAT: {reason})")))?;
    match decode_rows(&mut BufferedRows { data: &data }, &expander, &mut out) {
        Ok(()) => Ok(()),
        Err(RowsError::Fatal(e)) => Err(e),
        Err(RowsError::Stream) => Err(internal("PNG: replayed image data incomplete")),
    }
}

/// Unfilters every row from `rows` into `out`, in the legacy layout.
fn decode_rows(
    rows: &mut impl FilteredRows,
    expander: &Expander,
    out: &mut Output<'_>,
) -> Result<(), RowsError> {
    let bits = expander.bits_per_pixel();
    let bpp = (bits / 8).max(1);
    let row_len = row_bytes(expander.width, bits);
    let out_row = expander.width * expander.out_channels;
    let fatal = RowsError::Fatal;
    match out {
        Output::Eight(out) if expander.is_identity() => decode_raw(rows, expander, out),
        Output::Sixteen(out) if expander.is_identity() => {
            decode_raw(rows, expander, bytemuck::cast_slice_mut(out))?;
            // Rows are decoded as PNG stores them: big-endian.
            for sample in out.iter_mut() {
                *sample = u16::from_be(*sample);
            }
            Ok(())
        }
        out if !expander.interlaced => {
            // Row by row through two scratch rows.
            let (mut raw, mut prev) = (vec![0u8; row_len], Vec::with_capacity(row_len));
            for y in 0..expander.height {
                let src = rows.take(row_len + 1)?;
                unfilter(src[0], bpp, &prev, &src[1..], &mut raw).map_err(fatal)?;
                match out {
                    Output::Eight(o) => expander.expand_8(&raw, &mut o[y * out_row..][..out_row]),
                    Output::Sixteen(o) => {
                        expander.expand_16(&raw, &mut o[y * out_row..][..out_row])
                    }
                }
                std::mem::swap(&mut raw, &mut prev);
                raw.resize(row_len, 0);
            }
            Ok(())
        }
        out => {
            // Interlaced: deinterlace the raw rows into a zeroed frame, then expand.
            let mut frame = vec![0u8; row_len * expander.height];
            decode_raw(rows, expander, &mut frame)?;
            for (y, raw) in frame.chunks_exact(row_len).enumerate() {
                match out {
                    Output::Eight(o) => expander.expand_8(raw, &mut o[y * out_row..][..out_row]),
                    Output::Sixteen(o) => {
                        expander.expand_16(raw, &mut o[y * out_row..][..out_row])
                    }
                }
            }
            Ok(())
        }
    }
}

/// Decodes the raw rows (as stored: packed, big-endian) into `frame`, deinterlacing an
/// Adam7 image. `frame` must be zeroed for bit depths below 8 when interlaced.
fn decode_raw(
    rows: &mut impl FilteredRows,
    expander: &Expander,
    frame: &mut [u8],
) -> Result<(), RowsError> {
    let bits = expander.bits_per_pixel();
    let bpp = (bits / 8).max(1);
    let (width, height) = (expander.width, expander.height);
    let row_len = row_bytes(width, bits);
    if !expander.interlaced {
        // Straight into the caller's rows: each row is unfiltered against the one above.
        for y in 0..height {
            let src = rows.take(row_len + 1)?;
            let (above, rest) = frame.split_at_mut(y * row_len);
            let prev = if y == 0 {
                &[][..]
            } else {
                &above[(y - 1) * row_len..]
            };
            unfilter(src[0], bpp, prev, &src[1..], &mut rest[..row_len])
                .map_err(RowsError::Fatal)?;
        }
        return Ok(());
    }
    let mut raw = Vec::new();
    let mut prev = Vec::new();
    for (pass, &(pass_width, pass_height)) in adam7_passes(width, height).iter().enumerate() {
        if pass_width == 0 || pass_height == 0 {
            continue;
        }
        let pass_len = row_bytes(pass_width, bits);
        prev.clear();
        for line in 0..pass_height {
            raw.resize(pass_len, 0);
            let src = rows.take(pass_len + 1)?;
            unfilter(src[0], bpp, &prev, &src[1..], &mut raw).map_err(RowsError::Fatal)?;
            let info = png::Adam7Info::new(pass as u8 + 1, line as u32, width as u32);
            png::expand_interlaced_row(frame, row_len, &raw, &info, bits as u8);
            std::mem::swap(&mut raw, &mut prev);
        }
    }
    Ok(())
}

/// Turns raw rows (as stored, unfiltered) into the legacy channel layout.
struct Expander {
    width: usize,
    height: usize,
    interlaced: bool,
    color_type: u8,
    bit_depth: u8,
    out_channels: usize,
    palette: [[u8; 3]; 256],
    transparency: Transparency,
}

impl Expander {
    fn new(file: &ParsedFile) -> Self {
        Self {
            width: file.ihdr.width as usize,
            height: file.ihdr.height as usize,
            interlaced: file.ihdr.interlaced,
            color_type: file.ihdr.color_type,
            bit_depth: file.ihdr.bit_depth,
            out_channels: file.channels() as usize,
            palette: file.palette,
            transparency: file.transparency,
        }
    }

    /// Bits of one stored pixel.
    fn bits_per_pixel(&self) -> usize {
        let samples = match self.color_type {
            GRAY | PALETTE => 1,
            GRAY_ALPHA => 2,
            RGB => 3,
            _ => 4,
        };
        samples * usize::from(self.bit_depth)
    }

    /// Whether raw rows already have the output layout (for 16 bits, up to byte order).
    fn is_identity(&self) -> bool {
        let plain = matches!(self.transparency, Transparency::None);
        match self.color_type {
            GRAY => plain && self.bit_depth >= 8,
            RGB => plain,
            RGB_ALPHA => true,
            _ => false,
        }
    }

    /// Expands one raw row of an image of 8 bits or fewer.
    fn expand_8(&self, raw: &[u8], out: &mut [u8]) {
        let depth = self.bit_depth;
        match (self.color_type, self.transparency) {
            (GRAY, Transparency::Gray(key)) => {
                let scale = gray_scale(depth);
                let key = key & sample_mask(depth);
                for (x, pixel) in out.chunks_exact_mut(4).enumerate() {
                    let v = unpack(raw, x, depth);
                    let g = (v * scale) as u8;
                    let alpha = if v == key { 0 } else { 255 };
                    pixel.copy_from_slice(&[g, g, g, alpha]);
                }
            }
            (GRAY, _) => {
                let scale = gray_scale(depth);
                for (x, sample) in out.iter_mut().enumerate() {
                    *sample = (unpack(raw, x, depth) * scale) as u8;
                }
            }
            (RGB, Transparency::Rgb(key)) => {
                let key = key.map(|k| (k & 0xff) as u8);
                for (rgb, pixel) in raw.chunks_exact(3).zip(out.chunks_exact_mut(4)) {
                    let alpha = if rgb == key { 0 } else { 255 };
                    pixel.copy_from_slice(&[rgb[0], rgb[1], rgb[2], alpha]);
                }
            }
            (PALETTE, Transparency::Palette { alpha }) => {
                for (x, pixel) in out.chunks_exact_mut(4).enumerate() {
                    let index = unpack(raw, x, depth) as usize;
                    let [r, g, b] = self.palette[index];
                    pixel.copy_from_slice(&[r, g, b, alpha[index]]);
                }
            }
            (PALETTE, _) => {
                for (x, pixel) in out.chunks_exact_mut(3).enumerate() {
                    let index = unpack(raw, x, depth) as usize;
                    pixel.copy_from_slice(&self.palette[index]);
                }
            }
            (GRAY_ALPHA, _) => {
                for (ga, pixel) in raw.chunks_exact(2).zip(out.chunks_exact_mut(4)) {
                    pixel.copy_from_slice(&[ga[0], ga[0], ga[0], ga[1]]);
                }
            }
            _ => {
                // RGB / RGBA without tRNS are identity layouts, decoded directly.
                for (o, &r) in out.iter_mut().zip(raw) {
                    *o = r;
                }
            }
        }
    }

    /// Expands one raw row (big-endian samples) of a 16-bit image.
    fn expand_16(&self, raw: &[u8], out: &mut [u16]) {
        match (self.color_type, self.transparency) {
            (GRAY, Transparency::Gray(key)) => {
                for (g, pixel) in raw.chunks_exact(2).zip(out.chunks_exact_mut(4)) {
                    let g = be16(g);
                    let alpha = if g == key { 0 } else { u16::MAX };
                    pixel.copy_from_slice(&[g, g, g, alpha]);
                }
            }
            (RGB, Transparency::Rgb(key)) => {
                for (rgb, pixel) in raw.chunks_exact(6).zip(out.chunks_exact_mut(4)) {
                    let rgb = [be16(&rgb[0..2]), be16(&rgb[2..4]), be16(&rgb[4..6])];
                    let alpha = if rgb == key { 0 } else { u16::MAX };
                    pixel.copy_from_slice(&[rgb[0], rgb[1], rgb[2], alpha]);
                }
            }
            (GRAY_ALPHA, _) => {
                for (ga, pixel) in raw.chunks_exact(4).zip(out.chunks_exact_mut(4)) {
                    let (g, a) = (be16(&ga[0..2]), be16(&ga[2..4]));
                    pixel.copy_from_slice(&[g, g, g, a]);
                }
            }
            _ => {
                // Identity layouts (gray, RGB, RGBA) are decoded directly.
                for (o, pair) in out.iter_mut().zip(raw.chunks_exact(2)) {
                    *o = be16(pair);
                }
            }
        }
    }
}

/// `255 / (2^depth - 1)` for depths up to 8: the factor libpng's expansion multiplies by.
fn gray_scale(depth: u8) -> u16 {
    match depth {
        1 => 255,
        2 => 85,
        4 => 17,
        _ => 1,
    }
}

fn sample_mask(depth: u8) -> u16 {
    (1u16 << depth.min(8)) - 1
}

/// Sample `x` of a packed row of `depth`-bit samples (1, 2, 4 or 8).
#[inline(always)]
fn unpack(raw: &[u8], x: usize, depth: u8) -> u16 {
    let depth = usize::from(depth);
    let bit = x * depth;
    let shift = 8 - depth - bit % 8;
    u16::from(raw[bit / 8] >> shift) & ((1 << depth) - 1)
}

// ---- encoding ------------------------------------------------------------------------

fn check_encode_args(
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
