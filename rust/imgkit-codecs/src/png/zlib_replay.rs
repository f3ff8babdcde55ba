//! The zlib replay: the image data inflated by zlib itself (flate2 over the system libz,
//! the one libpng links), driven the way libpng 1.6 drives it, for the rare streams the
//! fast path cannot decide.
//!
//! libpng inflates the image data row by row, one `inflate(Z_NO_FLUSH)` call per row
//! (and per read piece) with exactly that row's room, feeding `IDAT` data in read pieces
//! of at most 8 KiB counted from the start of each chunk; with the last row zlib also
//! reads whatever follows that needs no output (end-of-block code, block headers, the
//! Adler-32), and after the image libpng inflates once more "to check", where zlib's
//! errors are only warnings but running out of image data is fatal. Exactly where zlib
//! stops therefore decides some files: a bad Adler-32 met with the last row is fatal, one
//! met later a warning; a window smaller than the data rejects back-references that
//! other decoders follow. Calling zlib with the same pieces and the same room as libpng
//! reproduces all of it; what is left to write here is libpng's side (`png_read_IDAT_data`
//! and `png_read_finish_IDAT` in `pngrutil.c`, `png_zlib_inflate` in `png.c`).
//!
//! One difference remains: libpng lets zlib take the window size from the stream header
//! (`windowBits` 0), flate2 takes it from its caller and only 9 to 15 bits, so the size
//! the header declares is passed, and a 256-byte window (CINFO 0) becomes 512 bytes. On
//! such a stream zlib here follows back-references 257 to 512 bytes into the rows of
//! earlier calls, which libpng's zlib refuses as too far back.

use flate2::{Decompress, FlushDecompress, Status};

use super::chunks::{chunk_data, Chunk};

/// libpng's `PNG_IDAT_READ_SIZE`: `IDAT` data reaches zlib in pieces of at most this
/// many bytes, counted from the start of each chunk's data.
const IDAT_READ_SIZE: usize = 8192;
/// libpng's `PNG_INFLATE_BUF_SIZE`, the buffer of the final "check" inflate.
const CHECK_BUFFER: usize = 1024;

/// The `IDAT` run inflated as libpng 1.6 does, one row at a time: one inflate call per
/// row (and per read piece) with exactly that row's room, then, in [`Replay::finish`],
/// the check after the last row. Only the row being produced and zlib's window are kept,
/// never the whole image.
pub(super) struct Replay<'a> {
    pieces: IdatPieces<'a>,
    /// What is left of the current read piece.
    input: &'a [u8],
    /// Made when the stream's first byte arrives: it declares the window size.
    zlib: Option<Decompress>,
    row: Vec<u8>,
    /// zlib returned `Z_STREAM_END`.
    ended: bool,
}

impl<'a> Replay<'a> {
    pub(super) fn new(bytes: &'a [u8], run: &'a [Chunk]) -> Self {
        Self {
            pieces: IdatPieces {
                bytes,
                run,
                chunk: 0,
                offset: 0,
            },
            input: &[],
            zlib: None,
            row: Vec::new(),
            ended: false,
        }
    }

    /// The next filtered row, `len` bytes, or the reason libpng gives up.
    pub(super) fn next_row(&mut self, len: usize) -> Result<&[u8], String> {
        self.row.resize(len, 0);
        let mut filled = 0;
        // A stream that ended before this row leaves it short, as any call after the end
        // would (zlib answers Z_STREAM_END with no output).
        while filled < len && !self.ended {
            filled += self
                .inflate_piece(Room::Row(filled))
                .map_err(Stop::reason)?;
        }
        if filled < len {
            return Err(Stop::OutOfData.reason());
        }
        Ok(&self.row)
    }

    /// After the last row: `png_read_finish_IDAT`, which inflates into a scratch buffer
    /// for as long as that yields bytes and the stream has not ended; zlib's errors are
    /// only warnings there, but needing another piece when none is left is fatal.
    pub(super) fn finish(mut self) -> Result<(), String> {
        let mut extra = 0;
        while !self.ended {
            match self.inflate_piece(Room::Check) {
                Ok(written) => extra += written,
                Err(Stop::OutOfData) => return Err(Stop::OutOfData.reason()),
                Err(Stop::Zlib(_)) => break,
            }
            if extra == 0 {
                break;
            }
        }
        Ok(())
    }

    /// One `png_zlib_inflate(Z_NO_FLUSH)` call, after taking the next read piece when the
    /// current one is used up; returns the bytes written.
    fn inflate_piece(&mut self, room: Room) -> Result<usize, Stop> {
        if self.input.is_empty() {
            self.input = self.pieces.next().ok_or(Stop::OutOfData)?;
        }
        let zlib = match self.zlib.take() {
            Some(zlib) => zlib,
            None => zlib_for(self.input[0])?,
        };
        let zlib = self.zlib.insert(zlib);
        let mut check = [0u8; CHECK_BUFFER];
        let out = match room {
            Room::Row(filled) => &mut self.row[filled..],
            Room::Check => &mut check[..],
        };
        let (in_before, out_before) = (zlib.total_in(), zlib.total_out());
        let status = zlib.decompress(self.input, out, FlushDecompress::None);
        // Both differences are bounded by the lengths of the slices just passed.
        self.input = &self.input[(zlib.total_in() - in_before) as usize..];
        let written = (zlib.total_out() - out_before) as usize;
        match status {
            Ok(Status::Ok) => Ok(written),
            Ok(Status::StreamEnd) => {
                self.ended = true;
                Ok(written)
            }
            // libpng takes every answer but Z_OK and Z_STREAM_END as an error.
            Ok(Status::BufError) => Err(Stop::Zlib("no progress possible".into())),
            Err(e) if e.needs_dictionary().is_some() => {
                Err(Stop::Zlib("missing LZ dictionary".into()))
            }
            Err(e) => Err(Stop::Zlib(e.message().unwrap_or("zlib error").into())),
        }
    }
}

/// Why an inflate call could not go on.
enum Stop {
    /// Another read piece was needed and the `IDAT` run has none: always fatal.
    OutOfData,
    /// zlib's error: fatal while reading rows, a warning in the final check.
    Zlib(String),
}

impl Stop {
    fn reason(self) -> String {
        match self {
            Stop::OutOfData => "not enough image data".into(),
            Stop::Zlib(message) => message,
        }
    }
}

/// Where an inflate call writes: the rest of the row after `filled` bytes, or the check's
/// scratch buffer.
#[derive(Clone, Copy)]
enum Room {
    Row(usize),
    Check,
}

/// The inflater for a stream whose first byte is `first`, with the window that byte
/// declares (see the module docs for CINFO 0), after libpng's own check of it
/// (`png_zlib_inflate`).
fn zlib_for(first: u8) -> Result<Decompress, Stop> {
    let window_bits = (first >> 4) + 8;
    if window_bits > 15 {
        return Err(Stop::Zlib("invalid window size (libpng)".into()));
    }
    Ok(Decompress::new_with_window_bits(true, window_bits.max(9)))
}

/// The `IDAT` data as libpng hands it to zlib: each chunk's data in read pieces of at
/// most [`IDAT_READ_SIZE`] bytes; empty chunks give none.
struct IdatPieces<'a> {
    bytes: &'a [u8],
    run: &'a [Chunk],
    chunk: usize,
    /// Offset of the next piece in the current chunk's data.
    offset: usize,
}

impl<'a> Iterator for IdatPieces<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        loop {
            let chunk = self.run.get(self.chunk)?;
            let data = chunk_data(self.bytes, chunk).unwrap_or(&[]);
            if self.offset < data.len() {
                let piece = &data[self.offset..data.len().min(self.offset + IDAT_READ_SIZE)];
                self.offset += piece.len();
                return Some(piece);
            }
            self.chunk += 1;
            self.offset = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::chunks::{read_chunk_header, Chunk};
    use super::Replay;

    /// A zlib stream of one stored block.
    fn stored(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0x78, 0x01, 1];
        let len = data.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(data);
        out.extend_from_slice(&adler2::adler32_slice(data).to_be_bytes());
        out
    }

    /// IDAT chunks (CRCs not needed here) holding `pieces`, and their headers.
    fn idat_run(pieces: &[&[u8]]) -> (Vec<u8>, Vec<Chunk>) {
        let mut bytes = Vec::new();
        for piece in pieces {
            bytes.extend_from_slice(&(piece.len() as u32).to_be_bytes());
            bytes.extend_from_slice(b"IDAT");
            bytes.extend_from_slice(piece);
            bytes.extend_from_slice(&[0; 4]);
        }
        let mut chunks = Vec::new();
        let mut pos = 0;
        while pos < bytes.len() {
            let chunk = read_chunk_header(&bytes, pos).unwrap();
            pos = chunk.end();
            chunks.push(chunk);
        }
        (bytes, chunks)
    }

    /// Every row, then the check: what the decoder does with a replay.
    fn replay(pieces: &[&[u8]], rows: &[usize]) -> Result<Vec<u8>, String> {
        let (bytes, chunks) = idat_run(pieces);
        let mut replay = Replay::new(&bytes, &chunks);
        let mut out = Vec::new();
        for &row in rows {
            out.extend_from_slice(replay.next_row(row)?);
        }
        replay.finish()?;
        Ok(out)
    }

    #[test]
    fn a_good_stream_gives_the_rows() {
        let data: Vec<u8> = (0..40u8).collect();
        assert_eq!(replay(&[&stored(&data)], &[10; 4]), Ok(data.clone()));
        // Split anywhere.
        let z = stored(&data);
        for cut in 0..z.len() {
            assert_eq!(
                replay(&[&z[..cut], &z[cut..]], &[10; 4]),
                Ok(data.clone()),
                "{cut}"
            );
        }
    }

    #[test]
    fn the_adler32_counts_only_where_zlib_reads_it_with_the_last_row() {
        let data: Vec<u8> = (0..40u8).collect();
        let mut z = stored(&data);
        let n = z.len();
        z[n - 1] ^= 1;
        assert!(replay(&[&z], &[10; 4])
            .unwrap_err()
            .contains("incorrect data check"));
        // In a later chunk, or a later 8 KiB read piece, it is only checked "to check".
        assert!(replay(&[&z[..n - 2], &z[n - 2..]], &[10; 4]).is_ok());
        // The same in one chunk: a stored block whose data ends exactly at the end of
        // the first 8 KiB read piece, the Adler-32 in the next piece: a warning.
        let big: Vec<u8> = (0..8192 - 7).map(|i| i as u8).collect();
        let mut z = stored(&big);
        let n = z.len();
        assert_eq!(n, 8192 + 4);
        z[n - 1] ^= 1;
        assert!(replay(&[&z], &[big.len()]).is_ok());
        // Four bytes less and the whole Adler-32 is in the first piece: fatal (one
        // byte less still splits it, and zlib waits for the rest).
        for (shorter, fatal) in [(1, false), (3, false), (4, true)] {
            let mut z = stored(&big[shorter..]);
            let n = z.len();
            z[n - 1] ^= 1;
            let result = replay(&[&z], &[big.len() - shorter]);
            assert_eq!(result.is_err(), fatal, "{shorter} bytes shorter");
        }
    }

    #[test]
    fn a_stream_that_does_not_end_fails_when_the_check_runs_out() {
        let data: Vec<u8> = (0..40u8).collect();
        let z = stored(&data);
        let n = z.len();
        let error = replay(&[&z[..n - 4]], &[10; 4]).unwrap_err();
        assert!(error.contains("not enough image data"), "{error}");
        // With the missing part expected in a later chunk that holds something,
        // the check inflates that one piece and stops.
        assert!(replay(&[&z[..n - 4], &z[n - 4..n - 2]], &[10; 4]).is_ok());
    }

    #[test]
    fn a_stream_that_ends_before_the_last_row_is_out_of_data() {
        let data: Vec<u8> = (0..40u8).collect();
        let error = replay(&[&stored(&data)], &[10; 5]).unwrap_err();
        assert!(error.contains("not enough image data"), "{error}");
        let error = replay(&[&stored(&data)], &[10, 10, 10, 11]).unwrap_err();
        assert!(error.contains("not enough image data"), "{error}");
    }

    #[test]
    fn zlib_header_errors_are_reported() {
        let data = [0u8; 10];
        let mut bad_check = stored(&data);
        bad_check[1] ^= 1;
        assert!(replay(&[&bad_check], &[10])
            .unwrap_err()
            .contains("header check"));
        let mut big_window = stored(&data);
        big_window[0] = 0x88;
        big_window[1] = 0x1c;
        assert!(replay(&[&big_window], &[10])
            .unwrap_err()
            .contains("window size"));
        let mut dictionary = stored(&data);
        dictionary[1] = 0x3f; // FDICT set, 0x783f % 31 == 0
        assert!(replay(&[&dictionary], &[10])
            .unwrap_err()
            .contains("dictionary"));
    }
}
