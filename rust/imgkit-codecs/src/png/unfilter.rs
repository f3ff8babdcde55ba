//! Rows: unfiltering, Adam7 deinterlacing and the expansion into the legacy layout.
//!
//! Rows are unfiltered here and expanded: gray 1/2/4 bit scaled to 8 bits, palette
//! indices looked up in a 256-entry palette (entries beyond `PLTE` are black, indices
//! beyond `tRNS` opaque), `tRNS` colour keys turned into an alpha channel, gray
//! replicated into RGB when an alpha channel is added. Images whose rows already have the
//! output layout (8-bit gray/RGB/RGBA without `tRNS`, and the 16-bit ones after a byte
//! swap) are unfiltered straight into the caller's buffer.
//!
//! Why here and not the `png` crate's transformations: the crate unfilters and expands
//! only inside its own `Reader`, rows its own inflater produced, and has no public API
//! for rows it did not inflate (its `benchmarks` feature re-exports `unfilter` for its
//! own development only). The replay's rows come from zlib, so they need this module;
//! decoding clean streams through the crate's `Reader` instead would keep two
//! implementations of the legacy layout (the crate's, and this one for the replay) that
//! could drift apart. One is kept, for both paths; the crate still places Adam7 pixels
//! (`png::expand_interlaced_row`).

use super::chunks::{be16, ParsedFile, Transparency, GRAY, GRAY_ALPHA, PALETTE, RGB, RGB_ALPHA};
use super::idat::{FilteredRows, RowsError};
use super::malformed;
use crate::CodecError;

// ---- unfiltering --------------------------------------------------------------------

/// Reverses the PNG filter of one row: `dst` becomes the unfiltered `src`; `prev` is the
/// unfiltered previous row of the same pass, empty for the first. A filter type above 4
/// is malformed, as in libpng.
pub(super) fn unfilter(
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
pub(super) fn paeth(a: u8, b: u8, c: u8) -> u8 {
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

pub(super) enum Output<'a> {
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
pub(super) fn row_bytes(width: usize, bits: usize) -> usize {
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

/// The filtered image data libpng reads: its total length and its longest row (filter
/// bytes included). Computed per pass, not per row: a table of row lengths would cost
/// more than a narrow image itself.
pub(super) fn filtered_size(expander: &Expander) -> (u64, usize) {
    let bits = expander.bits_per_pixel();
    let passes = if expander.interlaced {
        adam7_passes(expander.width, expander.height)
    } else {
        [
            (expander.width, expander.height),
            (0, 0),
            (0, 0),
            (0, 0),
            (0, 0),
            (0, 0),
            (0, 0),
        ]
    };
    passes
        .into_iter()
        .filter(|&(w, h)| w > 0 && h > 0)
        .fold((0, 0), |(total, longest), (w, h)| {
            let row = row_bytes(w, bits) + 1;
            (total + row as u64 * h as u64, longest.max(row))
        })
}

/// Unfilters every row from `rows` into `out`, in the legacy layout.
pub(super) fn decode_rows(
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
        Output::Eight(out) => decode_interlaced(rows, expander, out, Expander::expand_8),
        Output::Sixteen(out) => decode_interlaced(rows, expander, out, Expander::expand_16),
    }
}

/// An interlaced image that needs expanding: each pass row is expanded on its own
/// (expansion is per pixel) and its pixels put in their columns, so no raw frame of the
/// image is needed, only one expanded row.
fn decode_interlaced<S: Copy + Default>(
    rows: &mut impl FilteredRows,
    expander: &Expander,
    out: &mut [S],
    expand: fn(&Expander, &[u8], &mut [S]),
) -> Result<(), RowsError> {
    let channels = expander.out_channels;
    let out_row = expander.width * channels;
    let mut expanded = vec![S::default(); out_row];
    for_each_pass_row(rows, expander, |pass, line, raw| {
        let (x0, dx, y0, dy) = ADAM7[pass];
        let pixels = (expander.width - x0).div_ceil(dx);
        let expanded = &mut expanded[..pixels * channels];
        expand(expander, raw, expanded);
        let y = y0 + line * dy;
        let out_row = &mut out[y * out_row..][..out_row];
        for (i, pixel) in expanded.chunks_exact(channels).enumerate() {
            out_row[(x0 + i * dx) * channels..][..channels].copy_from_slice(pixel);
        }
    })
}

/// Unfilters the rows of every Adam7 pass in order and hands each to `f` as
/// (pass index 0..7, line within the pass, raw row as stored).
fn for_each_pass_row(
    rows: &mut impl FilteredRows,
    expander: &Expander,
    mut f: impl FnMut(usize, usize, &[u8]),
) -> Result<(), RowsError> {
    let bits = expander.bits_per_pixel();
    let bpp = (bits / 8).max(1);
    let mut raw = Vec::new();
    let mut prev = Vec::new();
    let passes = adam7_passes(expander.width, expander.height);
    for (pass, &(pass_width, pass_height)) in passes.iter().enumerate() {
        if pass_width == 0 || pass_height == 0 {
            continue;
        }
        let pass_len = row_bytes(pass_width, bits);
        prev.clear();
        for line in 0..pass_height {
            raw.resize(pass_len, 0);
            let src = rows.take(pass_len + 1)?;
            unfilter(src[0], bpp, &prev, &src[1..], &mut raw).map_err(RowsError::Fatal)?;
            f(pass, line, &raw);
            std::mem::swap(&mut raw, &mut prev);
        }
    }
    Ok(())
}

/// Decodes the raw rows (as stored: packed, big-endian) into `frame`, deinterlacing an
/// Adam7 image (of 8 bits or more: only images whose rows have the output layout come
/// here).
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
    for_each_pass_row(rows, expander, |pass, line, raw| {
        let info = png::Adam7Info::new(pass as u8 + 1, line as u32, width as u32);
        png::expand_interlaced_row(frame, row_len, raw, &info, bits as u8);
    })
}

/// Turns raw rows (as stored, unfiltered) into the legacy channel layout.
pub(super) struct Expander {
    width: usize,
    height: usize,
    interlaced: bool,
    color_type: u8,
    bit_depth: u8,
    out_channels: usize,
    palette: [[u8; 3]; 256],
    /// The palette with each entry's alpha (255 without `tRNS`).
    palette_rgba: [[u8; 4]; 256],
    transparency: Transparency,
}

impl Expander {
    pub(super) fn new(file: &ParsedFile) -> Self {
        Self {
            width: file.ihdr.width as usize,
            height: file.ihdr.height as usize,
            interlaced: file.ihdr.interlaced,
            color_type: file.ihdr.color_type,
            bit_depth: file.ihdr.bit_depth,
            out_channels: file.channels() as usize,
            palette: file.palette,
            palette_rgba: std::array::from_fn(|index| {
                let [r, g, b] = file.palette[index];
                let alpha = match file.transparency {
                    Transparency::Palette { alpha } => alpha[index],
                    _ => 255,
                };
                [r, g, b, alpha]
            }),
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
            (PALETTE, Transparency::Palette { .. }) => {
                let rgba = &self.palette_rgba;
                let pixels = out.chunks_exact_mut(4);
                if depth == 8 {
                    // One index a byte: no unpacking.
                    for (pixel, &index) in pixels.zip(raw) {
                        pixel.copy_from_slice(&rgba[usize::from(index)]);
                    }
                } else {
                    for (x, pixel) in pixels.enumerate() {
                        pixel.copy_from_slice(&rgba[unpack(raw, x, depth) as usize]);
                    }
                }
            }
            (PALETTE, _) => {
                let pixels = out.chunks_exact_mut(3);
                if depth == 8 {
                    for (pixel, &index) in pixels.zip(raw) {
                        pixel.copy_from_slice(&self.palette[usize::from(index)]);
                    }
                } else {
                    for (x, pixel) in pixels.enumerate() {
                        pixel.copy_from_slice(&self.palette[unpack(raw, x, depth) as usize]);
                    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCategory;

    /// The PNG specification's predictor, as written there.
    fn paeth_reference(a: u8, b: u8, c: u8) -> u8 {
        let p = i16::from(a) + i16::from(b) - i16::from(c);
        let (pa, pb, pc) = (
            (p - i16::from(a)).abs(),
            (p - i16::from(b)).abs(),
            (p - i16::from(c)).abs(),
        );
        if pa <= pb && pa <= pc {
            a
        } else if pb <= pc {
            b
        } else {
            c
        }
    }

    #[test]
    fn paeth_matches_the_specification_everywhere() {
        for a in 0..=255u8 {
            for b in (0..=255u8).step_by(3) {
                for c in 0..=255u8 {
                    assert_eq!(paeth(a, b, c), paeth_reference(a, b, c), "{a} {b} {c}");
                }
            }
        }
    }

    /// Unfiltering written straight from the specification, byte by byte.
    fn unfilter_reference(filter: u8, bpp: usize, prev: &[u8], src: &[u8]) -> Vec<u8> {
        let mut out = src.to_vec();
        for i in 0..out.len() {
            let a = if i >= bpp { out[i - bpp] } else { 0 };
            let b = prev.get(i).copied().unwrap_or(0);
            let c = if i >= bpp {
                prev.get(i - bpp).copied().unwrap_or(0)
            } else {
                0
            };
            let predictor = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                _ => paeth_reference(a, b, c),
            };
            out[i] = out[i].wrapping_add(predictor);
        }
        out
    }

    #[test]
    fn unfilter_matches_the_specification_for_every_filter_and_pixel_size() {
        let bytes = |n: usize, seed: u32| -> Vec<u8> {
            (0..n as u32)
                .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 13) as u8)
                .collect()
        };
        for bpp in [1, 2, 3, 4, 6, 8] {
            for pixels in [1, 2, 5, 17] {
                let len = bpp * pixels;
                let (src, prev) = (bytes(len, 1), bytes(len, 99));
                for filter in 0..=4 {
                    for previous in [&prev[..], &[][..]] {
                        let mut dst = vec![0xee; len];
                        unfilter(filter, bpp, previous, &src, &mut dst).unwrap();
                        let expected = unfilter_reference(filter, bpp, previous, &src);
                        assert_eq!(dst, expected, "filter {filter} bpp {bpp} len {len}");
                    }
                }
            }
        }
        let mut dst = [0u8; 3];
        let error = unfilter(5, 3, &[], &[1, 2, 3], &mut dst).unwrap_err();
        assert_eq!(error.category, ErrorCategory::MalformedData);
    }

    #[test]
    fn adam7_pass_sizes_cover_every_pixel_once() {
        for width in 1..20 {
            for height in 1..20 {
                let pixels: usize = adam7_passes(width, height)
                    .iter()
                    .map(|&(w, h)| w * h)
                    .sum();
                assert_eq!(pixels, width * height, "{width}x{height}");
            }
        }
        assert_eq!(
            adam7_passes(1, 1),
            [(1, 1), (0, 1), (1, 0), (0, 1), (1, 0), (0, 1), (1, 0)]
        );
    }
}
