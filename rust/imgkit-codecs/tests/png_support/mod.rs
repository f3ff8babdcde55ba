//! Building PNG test files byte by byte: chunks with their CRCs, zlib streams of stored
//! deflate blocks (any content, no compressor needed), Adam7 interlacing, and chunk
//! surgery on encoded files. Also a reference expansion of raw rows into the legacy
//! channel layout, written straight from the table in `codecs.hpp`, and the sample data
//! the benchmarks use too (`sample_data`).

#![allow(dead_code)]

#[path = "../sample_data/mod.rs"]
mod sample_data;
// Each test binary uses some of them.
#[allow(unused_imports)]
pub use sample_data::{noise, rgb_gradient};

pub const SIGNATURE: [u8; 8] = [137, 80, 78, 71, 13, 10, 26, 10];

pub const GRAY: u8 = 0;
pub const RGB: u8 = 2;
pub const PALETTE: u8 = 3;
pub const GRAY_ALPHA: u8 = 4;
pub const RGBA: u8 = 6;

pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

pub fn adler32(data: &[u8]) -> u32 {
    adler2::adler32_slice(data)
}

/// A complete chunk: length, type, data, CRC.
pub fn chunk(name: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&out[4..]).to_be_bytes());
    out
}

pub fn ihdr(width: u32, height: u32, depth: u8, color: u8, interlaced: bool) -> Vec<u8> {
    let mut data = Vec::new();
    data.extend_from_slice(&width.to_be_bytes());
    data.extend_from_slice(&height.to_be_bytes());
    data.extend_from_slice(&[depth, color, 0, 0, u8::from(interlaced)]);
    chunk(b"IHDR", &data)
}

/// A zlib stream (window 32 KiB) of stored blocks of at most `block` bytes.
pub fn zlib_stored(data: &[u8], block: usize) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = if data.is_empty() {
        vec![&[]]
    } else {
        data.chunks(block.clamp(1, 65535)).collect()
    };
    for (i, piece) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = piece.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(piece);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// Bits of one stored pixel.
pub fn bits_per_pixel(color: u8, depth: u8) -> usize {
    let samples = match color {
        GRAY | PALETTE => 1,
        GRAY_ALPHA => 2,
        RGB => 3,
        _ => 4,
    };
    samples * usize::from(depth)
}

pub fn row_bytes(width: usize, bits: usize) -> usize {
    (width * bits).div_ceil(8)
}

/// Pixel `x` of a packed row, as its bytes (sub-byte pixels right-aligned in one byte).
fn get_pixel(row: &[u8], x: usize, bits: usize) -> Vec<u8> {
    if bits >= 8 {
        row[x * bits / 8..(x + 1) * bits / 8].to_vec()
    } else {
        let bit = x * bits;
        let shift = 8 - bits - bit % 8;
        vec![(row[bit / 8] >> shift) & ((1 << bits) - 1) as u8]
    }
}

fn put_pixel(row: &mut [u8], x: usize, bits: usize, pixel: &[u8]) {
    if bits >= 8 {
        row[x * bits / 8..(x + 1) * bits / 8].copy_from_slice(pixel);
    } else {
        let bit = x * bits;
        let shift = 8 - bits - bit % 8;
        row[bit / 8] |= pixel[0] << shift;
    }
}

const ADAM7: [(usize, usize, usize, usize); 7] = [
    (0, 8, 0, 8),
    (4, 8, 0, 8),
    (0, 4, 4, 8),
    (2, 4, 0, 4),
    (0, 2, 2, 4),
    (1, 2, 0, 2),
    (0, 1, 1, 2),
];

/// The rows PNG stores for an image given as packed rows: the rows themselves, or the
/// reduced rows of the seven Adam7 passes (empty passes have no rows).
pub fn stored_rows(rows: &[Vec<u8>], width: usize, bits: usize, interlaced: bool) -> Vec<Vec<u8>> {
    if !interlaced {
        return rows.to_vec();
    }
    let height = rows.len();
    let mut out = Vec::new();
    for (x0, dx, y0, dy) in ADAM7 {
        let pass_width = width.saturating_sub(x0).div_ceil(dx);
        if pass_width == 0 {
            continue;
        }
        for y in (y0..height).step_by(dy) {
            let mut row = vec![0u8; row_bytes(pass_width, bits)];
            for (i, x) in (x0..width).step_by(dx).enumerate() {
                put_pixel(&mut row, i, bits, &get_pixel(&rows[y], x, bits));
            }
            out.push(row);
        }
    }
    out
}

/// The filtered data stream: filter type 0 (None) before every stored row.
pub fn unfiltered_stream(stored: &[Vec<u8>]) -> Vec<u8> {
    let mut data = Vec::new();
    for row in stored {
        data.push(0);
        data.extend_from_slice(row);
    }
    data
}

/// A PNG file to build, in the file's own terms.
#[derive(Clone)]
pub struct Spec {
    pub width: u32,
    pub height: u32,
    pub depth: u8,
    pub color: u8,
    pub interlaced: bool,
    /// Packed rows as PNG stores them (big-endian 16-bit samples).
    pub rows: Vec<Vec<u8>>,
    /// Chunks between IHDR and IDAT, complete (see [`chunk`]).
    pub before_idat: Vec<Vec<u8>>,
    /// Chunks between the last IDAT and IEND.
    pub after_idat: Vec<Vec<u8>>,
    /// Split the zlib stream into IDAT chunks of at most this many bytes.
    pub idat_size: usize,
}

impl Spec {
    pub fn new(width: u32, height: u32, depth: u8, color: u8, rows: Vec<Vec<u8>>) -> Spec {
        Spec {
            width,
            height,
            depth,
            color,
            interlaced: false,
            rows,
            before_idat: Vec::new(),
            after_idat: Vec::new(),
            idat_size: usize::MAX,
        }
    }

    pub fn bits(&self) -> usize {
        bits_per_pixel(self.color, self.depth)
    }

    /// The zlib stream of the image data.
    pub fn zlib(&self) -> Vec<u8> {
        let stored = stored_rows(
            &self.rows,
            self.width as usize,
            self.bits(),
            self.interlaced,
        );
        zlib_stored(&unfiltered_stream(&stored), 4000)
    }

    pub fn build(&self) -> Vec<u8> {
        self.build_with_zlib(&self.zlib())
    }

    pub fn build_with_zlib(&self, zlib: &[u8]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend(ihdr(
            self.width,
            self.height,
            self.depth,
            self.color,
            self.interlaced,
        ));
        for c in &self.before_idat {
            out.extend_from_slice(c);
        }
        for piece in zlib.chunks(self.idat_size.max(1)) {
            out.extend(chunk(b"IDAT", piece));
        }
        for c in &self.after_idat {
            out.extend_from_slice(c);
        }
        out.extend(chunk(b"IEND", &[]));
        out
    }
}

/// Random packed rows; unused low bits of the last byte are zero.
pub fn random_rows(width: usize, height: usize, bits: usize, seed: u64) -> Vec<Vec<u8>> {
    let len = row_bytes(width, bits);
    (0..height)
        .map(|y| {
            let mut row = noise(len, seed * 1000 + y as u64);
            let used = width * bits % 8;
            if used != 0 {
                row[len - 1] &= !(0xffu8 >> used);
            }
            row
        })
        .collect()
}

// ---- editing encoded files ----------------------------------------------------------

fn be32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// Offsets of every chunk's length field, with its type.
pub fn chunks(png: &[u8]) -> Vec<(usize, [u8; 4])> {
    let mut out = Vec::new();
    let mut pos = 8;
    while pos + 12 <= png.len() {
        let len = be32(&png[pos..]) as usize;
        out.push((
            pos,
            [png[pos + 4], png[pos + 5], png[pos + 6], png[pos + 7]],
        ));
        pos += 12 + len;
    }
    out
}

/// Offset of the length field of the first chunk of that type.
pub fn find_chunk(png: &[u8], name: &[u8; 4]) -> usize {
    chunks(png)
        .into_iter()
        .find(|(_, n)| n == name)
        .unwrap_or_else(|| panic!("no {} chunk", String::from_utf8_lossy(name)))
        .0
}

pub fn chunk_len(png: &[u8], offset: usize) -> usize {
    be32(&png[offset..]) as usize
}

/// Recomputes the CRC of the chunk at `offset`.
pub fn update_crc(png: &mut [u8], offset: usize) {
    let len = chunk_len(png, offset);
    let crc = crc32(&png[offset + 4..offset + 8 + len]);
    png[offset + 8 + len..offset + 12 + len].copy_from_slice(&crc.to_be_bytes());
}

/// Flips a bit of the CRC of the first chunk of that type.
pub fn corrupt_crc(png: &mut [u8], name: &[u8; 4]) {
    let offset = find_chunk(png, name);
    let len = chunk_len(png, offset);
    png[offset + 8 + len] ^= 0x01;
}

/// Sets a data byte of the first chunk of that type and keeps its CRC valid.
pub fn patch_chunk_byte(png: &mut [u8], name: &[u8; 4], index: usize, value: u8) {
    let offset = find_chunk(png, name);
    png[offset + 8 + index] = value;
    update_crc(png, offset);
}

pub fn patch_ihdr_size(png: &mut [u8], width: u32, height: u32) {
    let offset = find_chunk(png, b"IHDR");
    png[offset + 8..offset + 12].copy_from_slice(&width.to_be_bytes());
    png[offset + 12..offset + 16].copy_from_slice(&height.to_be_bytes());
    update_crc(png, offset);
}

/// Inserts a complete chunk before the first chunk of type `before`.
pub fn insert_before(png: &[u8], before: &[u8; 4], new_chunk: &[u8]) -> Vec<u8> {
    let at = find_chunk(png, before);
    let mut out = png[..at].to_vec();
    out.extend_from_slice(new_chunk);
    out.extend_from_slice(&png[at..]);
    out
}

// ---- the legacy channel mapping, for reference -----------------------------------------

/// The transparency a file carries, as written in its tRNS chunk.
#[derive(Clone, Debug)]
pub enum Trns {
    None,
    Gray(u16),
    Rgb(u16, u16, u16),
    Palette(Vec<u8>),
}

/// The decoded samples legacy gives for packed rows: 8-bit results as `u16` values too.
/// Straight from codecs.hpp: low-depth gray scaled by 255 / (2^d - 1), gray+alpha and
/// gray with tRNS replicated into RGB, palette looked up (black beyond PLTE), tRNS keys
/// giving alpha 0 (compared on the sample's bits), else max.
pub fn reference(spec: &Spec, palette: &[[u8; 3]], trns: &Trns) -> (u32, Vec<u16>) {
    let (width, depth) = (spec.width as usize, usize::from(spec.depth));
    let bits = spec.bits();
    let max = if depth == 16 { 65535u32 } else { 255 };
    let sample = |row: &[u8], x: usize, s: usize| -> u32 {
        let samples = bits / depth;
        let index = x * samples + s;
        if depth == 16 {
            u32::from(u16::from_be_bytes([row[2 * index], row[2 * index + 1]]))
        } else if depth == 8 {
            u32::from(row[index])
        } else {
            let bit = index * depth;
            u32::from(row[bit / 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1)
        }
    };
    let scale = |v: u32| {
        if depth < 8 {
            v * 255 / ((1 << depth) - 1)
        } else {
            v
        }
    };
    let mut out = Vec::new();
    let channels = match (spec.color, trns) {
        (GRAY, Trns::Gray(_)) => 4,
        (GRAY, _) => 1,
        (RGB, Trns::Rgb(..)) | (PALETTE, Trns::Palette(_)) => 4,
        (RGB, _) | (PALETTE, _) => 3,
        _ => 4,
    };
    for row in &spec.rows {
        for x in 0..width {
            match (spec.color, trns) {
                (GRAY, Trns::Gray(key)) => {
                    let v = sample(row, x, 0);
                    let key = if depth == 16 {
                        u32::from(*key)
                    } else {
                        u32::from(*key) & ((1 << depth) - 1)
                    };
                    let g = scale(v) as u16;
                    out.extend([g, g, g, if v == key { 0 } else { max as u16 }]);
                }
                (GRAY, _) => out.push(scale(sample(row, x, 0)) as u16),
                (RGB, Trns::Rgb(r, g, b)) => {
                    let px: Vec<u32> = (0..3).map(|s| sample(row, x, s)).collect();
                    let mask = if depth == 16 { 0xffff } else { 0xff };
                    let key = [
                        u32::from(*r) & mask,
                        u32::from(*g) & mask,
                        u32::from(*b) & mask,
                    ];
                    let alpha = if px == key { 0 } else { max };
                    out.extend(px.iter().map(|&v| v as u16));
                    out.push(alpha as u16);
                }
                (PALETTE, _) => {
                    let index = sample(row, x, 0) as usize;
                    let rgb = palette.get(index).copied().unwrap_or([0, 0, 0]);
                    out.extend(rgb.iter().map(|&v| u16::from(v)));
                    if let Trns::Palette(alpha) = trns {
                        out.push(u16::from(alpha.get(index).copied().unwrap_or(255)));
                    }
                }
                (GRAY_ALPHA, _) => {
                    let (g, a) = (sample(row, x, 0) as u16, sample(row, x, 1) as u16);
                    out.extend([g, g, g, a]);
                }
                _ => out.extend((0..bits / depth).map(|s| sample(row, x, s) as u16)),
            }
        }
    }
    (channels, out)
}
