//! The zlib replay: a port of zlib 1.2.13's `inflate()` state machine, driven the way
//! libpng 1.6.39 drives it, used to decide the rare streams the fast path cannot.
//!
//! libpng inflates the image data row by row, one `inflate` call per row with exactly
//! that row's room, feeding `IDAT` data in read pieces of at most 8 KiB counted from the
//! start of each chunk; with the last row zlib also reads whatever follows that needs no
//! output (end-of-block code, block headers, the Adler-32), and after the image libpng
//! inflates once more "to check", where errors are only warnings but running out of
//! image data is fatal. Exactly where zlib stops therefore decides some files: a bad
//! Adler-32 met with the last row is fatal, one met later a warning; a window smaller
//! than the data rejects back-references that other decoders follow.
//!
//! Speed does not matter here (only broken or unusual streams get here): symbols are
//! decoded bit by bit, as puff.c does, so that bytes are pulled exactly when zlib pulls
//! them.

use super::chunks::{chunk_data, Chunk};

/// libpng's `PNG_IDAT_READ_SIZE`: `IDAT` data reaches zlib in pieces of at most this
/// many bytes, counted from the start of each chunk's data.
const IDAT_READ_SIZE: usize = 8192;
/// libpng's buffer for the final "check" inflate.
const CHECK_BUFFER: usize = 1024;
const MAX_BITS: usize = 15;

/// The `IDAT` run inflated as libpng 1.6 does with zlib 1.2, one row at a time: one
/// inflate call per row (and per read piece) with exactly that row's room, then, in
/// [`Replay::finish`], the check after the last row. Only the row being produced and
/// zlib's 32 KiB window are kept, never the whole image.
pub(super) struct Replay<'a> {
    pieces: IdatPieces<'a>,
    /// What is left of the current read piece.
    input: &'a [u8],
    z: Inflate,
    /// The stream has ended.
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
            z: Inflate::new(),
            ended: false,
        }
    }

    /// The next filtered row, `len` bytes, or the reason libpng gives up.
    pub(super) fn next_row(&mut self, len: usize) -> Result<&[u8], String> {
        // The previous row has been consumed.
        self.z.release();
        let mut left = len;
        while left > 0 {
            if self.input.is_empty() {
                self.input = self.pieces.next().ok_or("not enough image data")?;
            }
            let (result, written) = self.z.inflate(&mut self.input, left);
            left -= written;
            match result {
                Ok(Status::StreamEnd) if left > 0 => return Err("not enough image data".into()),
                Ok(Status::StreamEnd) => {
                    self.ended = true;
                    break;
                }
                Ok(Status::Ok) => {}
                Err(message) => return Err(message.to_string()),
            }
        }
        if self.ended && left > 0 {
            return Err("not enough image data".into());
        }
        Ok(self.z.last(len))
    }

    /// After the last row: png_read_finish_IDAT, which inflates into a scratch buffer
    /// until the stream ends; errors are warnings, but needing another piece when none is
    /// left is fatal.
    pub(super) fn finish(mut self) -> Result<(), String> {
        if self.ended {
            return Ok(());
        }
        self.z.release();
        let mut extra = 0usize;
        loop {
            if self.input.is_empty() {
                self.input = self.pieces.next().ok_or("not enough image data")?;
            }
            let (result, written) = self.z.inflate(&mut self.input, CHECK_BUFFER);
            extra += written;
            match result {
                Ok(Status::StreamEnd) | Err(_) => break,
                Ok(Status::Ok) if extra == 0 => break,
                Ok(Status::Ok) => {}
            }
        }
        Ok(())
    }
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
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// Order of the code length code lengths.
const ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

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
    /// Output from `pinned` on (the row being produced), and before it as much of the
    /// earlier output as zlib's 32 KiB window needs, kept a little longer so that it is
    /// not moved on every call.
    output: Vec<u8>,
    pinned: usize,
    started: bool,
}

enum Bits {
    Ready(u32),
    Short,
}

impl Inflate {
    fn new() -> Self {
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
            output: Vec::new(),
            pinned: 0,
            started: false,
        }
    }

    /// Everything written so far may go once it is out of the window.
    fn release(&mut self) {
        self.pinned = self.output.len();
    }

    /// The last `len` bytes written (at most what was written since [`Self::release`]).
    fn last(&self, len: usize) -> &[u8] {
        &self.output[self.output.len() - len..]
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
    fn peek_symbol(&mut self, input: &mut &[u8], code: &Huffman) -> Result<(Option<u16>, u32), ()> {
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

    /// Drops released output older than the last 32 KiB, once there are 128 KiB of it.
    fn slide(&mut self) {
        const WINDOW: usize = 32 * 1024;
        let drop_to = self.pinned.min(self.output.len().saturating_sub(WINDOW));
        if drop_to >= 4 * WINDOW {
            self.update_adler();
            self.output.drain(..drop_to);
            self.checked = self.output.len();
            self.pinned -= drop_to;
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
                    if !((cmf << 8) + flg).is_multiple_of(31) {
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
                    self.mode = if flg & 0x20 != 0 {
                        Mode::DictId
                    } else {
                        Mode::Type
                    };
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
                    self.distcode = Huffman::new(&self.lens[nlen..nlen + ndist], CodeKind::Other);
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

#[cfg(test)]
mod tests {
    use super::super::chunks::{read_chunk_header, Chunk};
    use super::{CodeKind, Huffman, Replay};

    fn adler32(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in data {
            a = (a + u32::from(byte)) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }

    /// A zlib stream of stored blocks of at most 65535 bytes.
    fn stored_blocks(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0x78, 0x01];
        let blocks: Vec<&[u8]> = data.chunks(65535).collect();
        for (i, block) in blocks.iter().enumerate() {
            out.push(u8::from(i + 1 == blocks.len()));
            let len = block.len() as u16;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&(!len).to_le_bytes());
            out.extend_from_slice(block);
        }
        out.extend_from_slice(&adler32(data).to_be_bytes());
        out
    }

    /// A zlib stream of one stored block.
    fn stored(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0x78, 0x01, 1];
        let len = data.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(data);
        out.extend_from_slice(&adler32(data).to_be_bytes());
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
    fn only_the_row_and_the_window_are_kept() {
        // 1 MiB in rows of 1000 bytes, in stored blocks split over 3000-byte chunks.
        let data: Vec<u8> = (0..1u32 << 20).map(|i| (i * 7 + i / 1000) as u8).collect();
        let z = stored_blocks(&data);
        let pieces: Vec<&[u8]> = z.chunks(3000).collect();
        let (bytes, chunks) = idat_run(&pieces);
        let mut replay = Replay::new(&bytes, &chunks);
        let mut largest = 0;
        for row in data.chunks(1000) {
            assert_eq!(replay.next_row(row.len()), Ok(row));
            largest = largest.max(replay.z.output.capacity());
        }
        assert_eq!(replay.finish(), Ok(()));
        assert!(
            largest <= 512 * 1024,
            "kept {largest} bytes of a 1 MiB stream"
        );
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

    #[test]
    fn huffman_tables_follow_inflate_table() {
        const CODE_LENGTHS: CodeKind = CodeKind::CodeLengths;
        const OTHER: CodeKind = CodeKind::Other;
        let code_ok = |lengths: &[u8], kind| Huffman::new(lengths, kind).is_some();
        assert!(code_ok(&[1, 1], OTHER));
        assert!(code_ok(&[1, 0, 0], OTHER)); // one 1-bit code: incomplete but allowed
        assert!(!code_ok(&[2, 0, 0], OTHER)); // incomplete
        assert!(!code_ok(&[1, 1, 1], OTHER)); // over-subscribed
        assert!(code_ok(&[0, 0], OTHER)); // no codes: an error only when used
        assert!(!code_ok(&[1, 0, 0], CODE_LENGTHS)); // code length codes must be complete
        assert!(code_ok(&[2, 2, 2, 2], CODE_LENGTHS));
    }
}
