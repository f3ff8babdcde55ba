//! The chunk walker: the signature, chunk framing and CRCs, `IHDR`, `PLTE` and `tRNS`,
//! and the accept/reject rules of libpng 1.6.39 as legacy configures it, so that the
//! same bytes get the same error category:
//!
//! * every chunk up to the end of `IEND` is read: a file that ends earlier, a CRC error in
//!   any chunk (critical or ancillary), a chunk length above 2^31 - 1 or a chunk type that
//!   is not four ASCII letters is malformed data; bytes after `IEND` are ignored;
//! * before the first `IDAT`: `IHDR` must come before every known chunk (an unknown
//!   ancillary chunk may precede it) and must be valid; an unknown critical chunk, a
//!   second `IHDR` or `PLTE`, `IEND`, an invalid `PLTE` of a palette image and an empty
//!   `PLTE` are malformed; a palette image needs `PLTE` before `IDAT`; everything libpng
//!   only warns about (misplaced, duplicate or invalid ancillary chunks) is ignored the
//!   way libpng ignores it, including its handling of `tRNS` (see [`Transparency`]);
//! * after the image data only the chunk framing and CRCs matter (legacy finishes with
//!   `png_read_end(png, nullptr)`, which skips chunks), except that `IHDR` is malformed;
//! * the pixel and byte limits are checked once `IHDR` and everything up to the first
//!   `IDAT` have been validated, before any pixel buffer exists.

use super::{invalid_argument, malformed};
use crate::{CodecError, Depth, Header, Limits};

pub(super) const SIGNATURE: [u8; 8] = [137, 80, 78, 71, 13, 10, 26, 10];
/// A complete `IEND` chunk: length 0, type, CRC.
pub(super) const IEND_CHUNK: [u8; 12] =
    [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82];
/// PNG's limit for chunk lengths and image dimensions.
pub(super) const MAX_U31: u32 = 0x7fff_ffff;

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

pub(super) const GRAY: u8 = 0;
pub(super) const RGB: u8 = 2;
pub(super) const PALETTE: u8 = 3;
pub(super) const GRAY_ALPHA: u8 = 4;
pub(super) const RGB_ALPHA: u8 = 6;

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
    malformed(format!(
        "PNG: malformed data ({}: {what})",
        chunk_name(name)
    ))
}

// ---- chunk framing ------------------------------------------------------------------

fn be32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

pub(super) fn be16(bytes: &[u8]) -> u16 {
    u16::from_be_bytes([bytes[0], bytes[1]])
}

/// One chunk whose header (length and type) has been read and checked.
#[derive(Debug, Clone, Copy)]
pub(super) struct Chunk {
    /// Offset of the length field.
    pub(super) start: usize,
    pub(super) length: u32,
    pub(super) name: [u8; 4],
}

impl Chunk {
    pub(super) fn data_start(&self) -> usize {
        self.start + 8
    }
    /// Offset just past the CRC.
    pub(super) fn end(&self) -> usize {
        self.start + 12 + self.length as usize
    }
    fn is_critical(&self) -> bool {
        self.name[0] & 0x20 == 0
    }
}

/// Reads the chunk header at `start` the way `png_read_chunk_header` does: the length
/// must fit in 31 bits and the type must be four ASCII letters.
pub(super) fn read_chunk_header(bytes: &[u8], start: usize) -> Result<Chunk, CodecError> {
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
pub(super) fn chunk_data<'a>(bytes: &'a [u8], chunk: &Chunk) -> Result<&'a [u8], CodecError> {
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
pub(super) fn checked_chunk_data<'a>(
    bytes: &'a [u8],
    chunk: &Chunk,
) -> Result<&'a [u8], CodecError> {
    let data = chunk_data(bytes, chunk)?;
    let stored = be32(&bytes[chunk.end() - 4..]);
    if crc32fast::hash(&bytes[chunk.start + 4..chunk.end() - 4]) != stored {
        return Err(chunk_error(&chunk.name, "CRC error"));
    }
    Ok(data)
}

// ---- the header: everything up to the first IDAT -------------------------------------

/// The `IHDR` fields that matter after validation.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ihdr {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) bit_depth: u8,
    pub(super) color_type: u8,
    pub(super) interlaced: bool,
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
// One value per decode: its size does not matter, copying it keeps the matches simple.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Copy)]
pub(super) enum Transparency {
    None,
    Gray(u16),
    Rgb([u16; 3]),
    /// Alpha of each palette entry: the `tRNS` values, then 255 (opaque).
    Palette {
        alpha: [u8; 256],
    },
}

/// What [`parse_until_image_data`] learned: the state of libpng after `png_read_info`.
pub(super) struct ParsedFile {
    pub(super) ihdr: Ihdr,
    /// Offsets of the `IHDR` chunk (length field to CRC end), for the `png` crate.
    pub(super) ihdr_chunk: (usize, usize),
    /// Offset of the first `IDAT` chunk's length field.
    pub(super) first_idat: usize,
    /// 256 entries, zero beyond the ones `PLTE` gave (as libpng allocates it).
    pub(super) palette: [[u8; 3]; 256],
    pub(super) transparency: Transparency,
}

impl ParsedFile {
    fn has_transparency(&self) -> bool {
        !matches!(self.transparency, Transparency::None)
    }

    pub(super) fn channels(&self) -> u32 {
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

    pub(super) fn header(&self) -> Header {
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
pub(super) fn parse_until_image_data(bytes: &[u8]) -> Result<ParsedFile, CodecError> {
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
                    PALETTE if have_plte && !data.is_empty() && data.len() <= num_palette => {
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

/// The limits, in legacy's order: `width * height` against `max_pixels`, then the decoded
/// image's bytes (in the channels and depth [`ParsedFile::header`] gives, the layout
/// legacy's libpng transformations produce) against `max_bytes`.
pub(super) fn check_limits(file: &ParsedFile, limits: Limits) -> Result<(), CodecError> {
    limits.check_pixels("PNG", file.ihdr.width, file.ihdr.height)?;
    limits.check_bytes("PNG", &file.header())
}

// ---- from the first IDAT to IEND ----------------------------------------------------

/// Walks the chunks from the first `IDAT` to the end of `IEND` and returns the first run
/// of consecutive `IDAT` chunks (the image data libpng reads).
///
/// Mirrors what libpng checks there: every chunk header, the presence of every chunk up
/// to the end of `IEND`, every CRC, and no `IHDR`. The CRCs of the first `IDAT` run are
/// left to the `png` crate, which checks them as it reads (faster than a second pass).
pub(super) fn walk_after_image_start(
    bytes: &[u8],
    file: &ParsedFile,
) -> Result<Vec<Chunk>, CodecError> {
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
