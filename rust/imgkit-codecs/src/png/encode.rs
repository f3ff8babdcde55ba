//! The encoder: the arguments checked as legacy's `Image` would hold them; rows filtered
//! as libpng filters them (`filter`); deflated by `miniz_oxide` at a fast level; the
//! container (signature, `IHDR`, the `IDAT` chunks and their CRCs, `IEND`) written by the
//! `png` crate.
//!
//! Why `miniz_oxide` directly and not the `png` crate's own deflate: the crate deflates
//! through flate2, whose one backend per build is the system zlib here (the decoder's
//! replay needs it), and zlib is slow for this job: its level 6 runs at about legacy's
//! speed (it is legacy's deflate), and its levels 1-3, at most about 1.5x faster, leave
//! photo-like files over a tenth larger than legacy's. With `miniz_oxide`'s level 1 (the
//! one the `png` crate used over flate2's default backend) the encoder is 5-6x faster
//! than legacy, for photo-like files 5-10% larger. The crate's other fast path
//! (`FdeflateUltraFast`) leaves photo-like files a third larger than legacy's.
//!
//! Memory besides the samples: the file's buffer, reserved once at the size of the rows
//! stored uncompressed (about the samples' size; growing it would hold two buffers at
//! once), of which the file's length is written; three filter rows, and two big-endian
//! rows for 16-bit samples; the deflate state (about 320 KiB) and the `IDAT` chunk being
//! filled (64 KiB). The rows are filtered and compressed one at a time into the file: no
//! filtered copy of the image and no separate zlib stream is held. A very compressible
//! image is compressed a second time (see [`encode`]) into a buffer of the first file's
//! size, at most half the samples'. `tests/encode_memory.rs` measures it.

use std::io::Write;

use miniz_oxide::deflate::core::{
    compress_to_output, CompressionStrategy, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::DataFormat;
use png::chunk::IDAT;
use png::{BitDepth, ColorType};

use super::chunks::MAX_U31;
use super::filter::RowFilter;
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

/// The `png` crate's deflate before this build's flate2 moved to zlib: `miniz_oxide` at
/// level 1, a greedy matcher with one probe, several times faster than zlib's default
/// level 6 that legacy's libpng uses, and within a few percent of its size on photo-like
/// (noisy) images.
const FAST: u8 = 1;

/// Level 3 (greedy, 32 probes): on very compressible images (smooth gradients, flat
/// areas, line art, low noise) level 1 falls far behind zlib's level 6, up to several
/// times its size; level 3 closes most of that gap, and on such images it is still
/// faster than zlib's level 6.
const DENSE: u8 = 3;

/// A file of [`FAST`] at most `1 / DENSE_BELOW` of the samples' size marks a very
/// compressible image, which is compressed again with [`DENSE`]; the smaller file wins.
const DENSE_BELOW: usize = 2;

/// Compressed bytes per `IDAT` chunk (the last one holds the rest): the chunk being
/// filled is all of the file that is buffered apart from the file itself.
const IDAT_LEN: usize = 1 << 16;

/// zlib's largest window, 32 KiB.
const WINDOW_BITS: u8 = 15;

/// The samples of an image as the caller gives them.
#[derive(Clone, Copy)]
pub(super) enum Samples<'a> {
    Eight(&'a [u8]),
    /// Native-endian; PNG stores them big-endian.
    Sixteen(&'a [u16]),
}

impl Samples<'_> {
    fn byte_len(self) -> usize {
        match self {
            Samples::Eight(s) => s.len(),
            Samples::Sixteen(s) => s.len() * 2,
        }
    }
}

/// Encodes checked arguments (see [`check_encode_args`]): rows filtered with libpng's
/// default adaptive rule (see `filter`), compressed at [`FAST`], or at [`DENSE`] when
/// that gives a smaller file of a very compressible image.
pub(super) fn encode(
    samples: Samples<'_>,
    width: u32,
    height: u32,
    color: ColorType,
) -> Result<Vec<u8>, CodecError> {
    let capacity = stored_file_size(samples.byte_len(), height as usize);
    let Some((fast, fast_deflated)) =
        write_file(samples, width, height, color, FAST, capacity, usize::MAX)?
    else {
        return Err(internal("PNG: deflate gave up with no size limit"));
    };
    if fast.len() > samples.byte_len() / DENSE_BELOW {
        return Ok(fast);
    }
    // Given up, and dropped, as soon as it is no smaller than the fast one.
    let dense = write_file(
        samples,
        width,
        height,
        color,
        DENSE,
        fast.len(),
        fast_deflated,
    )?;
    Ok(dense.map_or(fast, |(dense, _)| dense))
}

/// The size of the file if its rows were stored uncompressed, with room to spare
/// (1/256): level 1 writes no more, but on pathological data, for which the buffer grows.
/// The file's buffer is reserved at this size once (growing it holds the old buffer and
/// the new one at once).
fn stored_file_size(sample_bytes: usize, height: usize) -> usize {
    let rows = sample_bytes.saturating_add(height); // a filter type byte per row
    let zlib = rows.saturating_add(rows / 256).saturating_add(64);
    let chunks = zlib.div_ceil(IDAT_LEN).saturating_add(2); // IDATs, IHDR, IEND
    zlib.saturating_add(chunks.saturating_mul(12))
        .saturating_add(8 + 13)
}

/// Writes the whole file into a buffer of `capacity` bytes, the image data deflated at
/// `level`; returns it and the length of its zlib stream, or `None` once that stream
/// reaches `give_up_at` bytes.
fn write_file(
    samples: Samples<'_>,
    width: u32,
    height: u32,
    color: ColorType,
    level: u8,
    capacity: usize,
    give_up_at: usize,
) -> Result<Option<(Vec<u8>, usize)>, CodecError> {
    let (depth, sample_bytes) = match samples {
        Samples::Eight(_) => (BitDepth::Eight, 1),
        Samples::Sixteen(_) => (BitDepth::Sixteen, 2),
    };
    let bpp = color.samples() * sample_bytes;
    let row_len = width as usize * bpp;
    let mut file = Vec::with_capacity(capacity);
    let mut encoder = png::Encoder::new(&mut file, width, height);
    encoder.set_color(color);
    encoder.set_depth(depth);
    let mut writer = encoder.write_header().map_err(encode_failed)?;
    let mut idat = IdatChunks {
        writer: &mut writer,
        chunk: Vec::with_capacity(IDAT_LEN),
        deflated: 0,
        give_up_at,
        failed: None,
    };
    // A zlib stream (header and Adler-32), as PNG requires.
    let mut deflate = Box::new(CompressorOxide::with_params(
        DataFormat::Zlib,
        level,
        CompressionStrategy::Default,
        WINDOW_BITS,
    ));
    let mut rows = Rows::new(samples, row_len);
    let mut filter = RowFilter::new(bpp, width as usize, height as usize);
    for y in 0..height as usize {
        let (prev, row) = rows.get(y);
        if !idat.deflate(&mut deflate, filter.filter(prev, row), TDEFLFlush::None)? {
            return Ok(None);
        }
    }
    if !idat.deflate(&mut deflate, &[], TDEFLFlush::Finish)? {
        return Ok(None);
    }
    let deflated = idat.finish()?;
    writer.finish().map_err(encode_failed)?;
    Ok(Some((file, deflated)))
}

/// The rows as PNG stores them: 8-bit rows are the samples' own, 16-bit ones are
/// converted to big-endian into two scratch rows (this one and the one above).
struct Rows<'a> {
    samples: Samples<'a>,
    row_len: usize,
    this: Vec<u8>,
    above: Vec<u8>,
}

impl<'a> Rows<'a> {
    fn new(samples: Samples<'a>, row_len: usize) -> Self {
        let scratch = match samples {
            Samples::Eight(_) => 0,
            Samples::Sixteen(_) => row_len,
        };
        Rows {
            samples,
            row_len,
            this: vec![0; scratch],
            above: vec![0; scratch],
        }
    }

    /// Row `y - 1` (empty for the first row) and row `y`; rows are asked for in order.
    fn get(&mut self, y: usize) -> (&[u8], &[u8]) {
        let len = self.row_len;
        match self.samples {
            Samples::Eight(s) => {
                let above = if y == 0 {
                    &[][..]
                } else {
                    &s[(y - 1) * len..][..len]
                };
                (above, &s[y * len..][..len])
            }
            Samples::Sixteen(s) => {
                std::mem::swap(&mut self.this, &mut self.above);
                let samples = &s[y * (len / 2)..][..len / 2];
                for (pair, &sample) in self.this.chunks_exact_mut(2).zip(samples) {
                    pair.copy_from_slice(&sample.to_be_bytes());
                }
                let above = if y == 0 { &[][..] } else { &self.above[..] };
                (above, &self.this)
            }
        }
    }
}

/// The zlib stream, cut into `IDAT` chunks of [`IDAT_LEN`] bytes as it is produced.
struct IdatChunks<'w, W: Write> {
    writer: &'w mut png::Writer<W>,
    chunk: Vec<u8>,
    /// Bytes of zlib stream so far.
    deflated: usize,
    give_up_at: usize,
    failed: Option<png::EncodingError>,
}

impl<W: Write> IdatChunks<'_, W> {
    /// Deflates `input`; false if the stream reached `give_up_at` bytes.
    fn deflate(
        &mut self,
        deflate: &mut CompressorOxide,
        input: &[u8],
        flush: TDEFLFlush,
    ) -> Result<bool, CodecError> {
        let (status, taken) = compress_to_output(deflate, input, flush, |out| self.take(out));
        match (status, flush) {
            (TDEFLStatus::Okay, TDEFLFlush::None) | (TDEFLStatus::Done, TDEFLFlush::Finish)
                if taken == input.len() =>
            {
                Ok(true)
            }
            (TDEFLStatus::PutBufFailed, _) if self.failed.is_none() => Ok(false),
            _ => Err(self.failed.take().map_or_else(
                || {
                    let len = input.len();
                    internal(format!(
                        "PNG: deflate failed ({status:?}, {taken} of {len} bytes taken)"
                    ))
                },
                encode_failed,
            )),
        }
    }

    /// Takes compressed bytes from the deflater; false stops it.
    fn take(&mut self, mut out: &[u8]) -> bool {
        self.deflated += out.len();
        if self.deflated >= self.give_up_at {
            return false;
        }
        while !out.is_empty() {
            let room = (IDAT_LEN - self.chunk.len()).min(out.len());
            self.chunk.extend_from_slice(&out[..room]);
            out = &out[room..];
            if self.chunk.len() == IDAT_LEN {
                if let Err(error) = self.writer.write_chunk(IDAT, &self.chunk) {
                    self.failed = Some(error);
                    return false;
                }
                self.chunk.clear();
            }
        }
        true
    }

    /// Writes the last chunk; returns the length of the zlib stream.
    fn finish(self) -> Result<usize, CodecError> {
        if !self.chunk.is_empty() {
            self.writer
                .write_chunk(IDAT, &self.chunk)
                .map_err(encode_failed)?;
        }
        Ok(self.deflated)
    }
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

    /// The file at `level`, and the length of its zlib stream.
    fn at_level(samples: &[u8], width: u32, height: u32, level: u8) -> (Vec<u8>, usize) {
        let capacity = stored_file_size(samples.len(), height as usize);
        let samples = Samples::Eight(samples);
        let gray = ColorType::Grayscale;
        write_file(samples, width, height, gray, level, capacity, usize::MAX)
            .unwrap()
            .unwrap()
    }

    #[test]
    fn noisy_images_take_the_fast_level_and_compressible_ones_the_smaller_file() {
        let (width, height) = (128, 96);
        let gray = ColorType::Grayscale;
        let encode_gray = |samples| encode(Samples::Eight(samples), width, height, gray).unwrap();
        // Noise: the fast level leaves more than half the bytes, and is kept.
        let noisy = ramp(width, height, 6);
        let (fast, _) = at_level(&noisy, width, height, FAST);
        assert!(fast.len() > noisy.len() / DENSE_BELOW);
        assert_eq!(encode_gray(&noisy), fast);
        // A smooth ramp: the denser level gives the smaller file, and it is taken.
        let smooth = ramp(width, height, 0);
        let (fast, _) = at_level(&smooth, width, height, FAST);
        let (dense, _) = at_level(&smooth, width, height, DENSE);
        assert!(fast.len() <= smooth.len() / DENSE_BELOW);
        assert!(dense.len() < fast.len(), "{} {}", dense.len(), fast.len());
        assert_eq!(encode_gray(&smooth), dense);
    }

    #[test]
    fn a_denser_pass_gives_up_once_it_is_no_smaller() {
        let (width, height) = (128, 96);
        let smooth = ramp(width, height, 0);
        let (dense, deflated) = at_level(&smooth, width, height, DENSE);
        let samples = Samples::Eight(&smooth);
        let gray = ColorType::Grayscale;
        let again = |give_up_at| {
            write_file(samples, width, height, gray, DENSE, dense.len(), give_up_at).unwrap()
        };
        // Reaching the limit gives up; one byte more and the same file is written.
        assert!(again(deflated).is_none());
        assert_eq!(again(deflated + 1), Some((dense.clone(), deflated)));
    }

    #[test]
    fn the_reserved_buffer_holds_incompressible_files() {
        // Noise at level 1: the file is about the size of the rows stored, and the
        // buffer reserved for it is enough.
        for (width, height) in [(1u32, 1u32), (300, 200), (70_000, 3), (1, 50_000)] {
            let noise: Vec<u8> = ramp(width, height, 8);
            let capacity = stored_file_size(noise.len(), height as usize);
            let (file, _) = at_level(&noise, width, height, FAST);
            assert!(
                file.len() <= capacity,
                "{width}x{height}: {} {capacity}",
                file.len()
            );
            assert_eq!(
                file.capacity(),
                capacity,
                "{width}x{height}: the buffer grew"
            );
        }
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
