//! The image data: the first run of `IDAT` chunks, inflated and handed out row by row.
//!
//! The fast path decompresses with the `png` crate's [`png::StreamingDecoder`] (fdeflate)
//! straight through and accepts the file when the stream decodes without error and ends
//! with a correct Adler-32 inside the `IDAT` run: zlib then accepts it too. Anything else
//! (an error, a stream that does not end, a zlib window smaller than 32 KiB that the data
//! outgrows) is rare and is re-decided by [`Replay`], zlib itself driven the way libpng
//! drives it, row by row; its rows then supply the pixels.
//!
//! Either way only a few rows of filtered data exist at a time (the fast path's buffer
//! holds the decompressor's 32 KiB look-back and about two rows, the replay the row it
//! is producing and zlib's window), so a decode costs its output and little more.

use std::io;

use png::{DecodeOptions, DecodingError};

use super::chunks::{
    checked_chunk_data, walk_after_image_start, Chunk, ParsedFile, IEND_CHUNK, SIGNATURE,
};
use super::unfilter::{decode_rows, filtered_size, Expander, Output};
use super::zlib_replay::Replay;
use super::{internal, malformed};
use crate::CodecError;

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

pub(super) fn decode_pixels(
    bytes: &[u8],
    file: &ParsedFile,
    mut out: Output<'_>,
) -> Result<(), CodecError> {
    let run = walk_after_image_start(bytes, file)?;
    let expander = Expander::new(file);
    let (image_bytes, max_row) = filtered_size(&expander);
    // Once per decode, before the first row is written (panic or stall only).
    #[cfg(feature = "failpoints")]
    imgkit_failpoints::failpoint!(imgkit_failpoints::point::PNG_ROWS);
    if !window_may_matter(bytes, &run, image_bytes) {
        let run_range = (
            run.first().map_or(file.first_idat, |c| c.start),
            run.last().map_or(file.first_idat, |c| c.end()),
        );
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
    let mut replay = Replay::new(bytes, &run);
    match decode_rows(&mut replay, &expander, &mut out) {
        Ok(()) => replay.finish().map_err(replay_failed),
        Err(RowsError::Fatal(e)) => Err(e),
        Err(RowsError::Stream) => Err(internal("PNG: replayed image data incomplete")),
    }
}

/// What libpng reports when zlib gives up on the image data.
fn replay_failed(reason: String) -> CodecError {
    malformed(format!("PNG: malformed data (IDAT: {reason})"))
}

/// Most bytes the `png` crate decompresses per call.
const GROWTH: usize = 8 * 1024;

/// Room kept for the decompressor's 32 KiB look-back window and a few rows.
const INITIAL_WINDOW: usize = 256 * 1024;

/// Why filtered rows could not be had.
pub(super) enum RowsError {
    /// Fatal for legacy too, whatever zlib says (a bad filter type, a CRC error).
    Fatal(CodecError),
    /// The fast decompressor stopped; zlib may disagree.
    Stream,
}

/// A source of the filtered image bytes, row after row.
pub(super) trait FilteredRows {
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
            // Small images need no more than their data and one call's output.
            buf: vec![
                0;
                INITIAL_WINDOW
                    .max(2 * max_row + 64 * 1024)
                    .min(image_bytes as usize + GROWTH)
            ],
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

/// The replay hands out rows as libpng reads them: inflating each when it is asked for,
/// so that a bad filter type is found before a zlib error in a later row, as in libpng.
impl FilteredRows for Replay<'_> {
    fn take(&mut self, len: usize) -> Result<&[u8], RowsError> {
        self.next_row(len)
            .map_err(|reason| RowsError::Fatal(replay_failed(reason)))
    }
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
