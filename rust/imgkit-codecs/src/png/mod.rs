//! PNG: decoding into a caller-owned buffer and encoding, through the `png` crate.
//!
//! Mirrors `imgkit::legacy::decode_png` / `encode_png` (`cpp/legacy/src/png.cpp`, which
//! uses libpng 1.6.39 with zlib 1.2.13): the same bytes decode to the same samples or
//! fail with the same error category.
//!
//! # Design
//!
//! Decoding is two-step, like every decoder of the crate: [`read_header`] validates
//! everything up to the first `IDAT` and the limits, then [`decode_into_u8`] /
//! [`decode_into_u16`] fill the caller's buffer. Deciding whether a file is valid is done
//! here, not by the `png` crate, because libpng's rules (which chunks it rejects, ignores
//! or only warns about, and exactly where zlib stops reading) differ from the crate's.
//! The crate only inflates the image data, on a fast path; the rare streams whose fate
//! depends on zlib's exact behaviour are replayed through zlib itself (flate2 over the
//! system libz that libpng links), fed the way libpng feeds it.
//!
//! The pieces, in the order data flows through them:
//!
//! * `chunks`: signature, chunk framing, CRC-32, `IHDR`/`PLTE`/`tRNS` and libpng's
//!   accept/reject rules before and after the image data;
//! * `idat`: the first `IDAT` run inflated by the `png` crate's `StreamingDecoder`
//!   (fast path) and handed out as filtered rows, or, when the fast path cannot decide,
//!   by the replay;
//! * `inflate`: the replay, zlib's `inflate()` called row by row on 8 KiB read pieces
//!   as libpng calls it, and libpng's rules for zlib's answers;
//! * `unfilter`: row unfiltering, Adam7 deinterlacing and the expansion of every colour
//!   type and bit depth into the legacy layout (1, 3 or 4 channels of 8 or 16 bits);
//! * `filter`: row filtering for the encoder, libpng's adaptive rule (the mirror of
//!   `unfilter`);
//! * `encode`: argument checks and the encoder, which filters rows as libpng does but
//!   compresses with `miniz_oxide` at a faster level than zlib's default (see
//!   [`encode_u8`]), into the `png` crate's chunks.
//!
//! # Memory
//!
//! Besides the caller's output buffer (at most [`Limits::max_bytes`]), a decode holds
//! about 1 MiB at most plus a few rows: the fast path's buffer (256 KiB, or two rows and
//! 64 KiB when rows are longer), the replay's row and zlib window, one or two unfiltered
//! rows and, for an interlaced image that needs expanding, one expanded row; never a
//! table per row or a copy of the image (`tests/decode_memory.rs` measures it). The
//! list of `IDAT` chunks costs a few bytes per chunk of the input.
//!
//! Known differences from legacy: error messages (not categories) differ; the encoder's
//! compressed bytes and file sizes differ (same samples after decoding); where libpng
//! would report running out of memory as malformed data, an allocation failure here
//! aborts like any Rust allocation; a stream declaring a 256-byte zlib window is
//! inflated with a 512-byte one (see `inflate`). zlib is the system's, the one libpng
//! links; libpng's side of the rules is that of libpng 1.6.39, and another libpng could
//! decide a few broken streams differently.

mod chunks;
mod encode;
mod filter;
mod idat;
mod unfilter;
mod zlib_replay;

use chunks::{check_limits, parse_until_image_data, ParsedFile};
use encode::{check_encode_args, Samples};
use idat::decode_pixels;
use unfilter::Output;

use crate::{CodecError, Depth, ErrorCategory, Header, Limits};

// ---- public API -----------------------------------------------------------------------

/// Reads the signature and every chunk up to the first `IDAT` and returns the decoded
/// image's geometry and sample depth; checks `width * height` against
/// `limits.max_pixels`, then the decoded image's bytes
/// (`width * height * channels * depth`, in the channels below) against
/// `limits.max_bytes`. Allocates nothing proportional to the image.
///
/// Mirrors the first half of `imgkit::legacy::decode_png` (signature check,
/// `png_read_info`, the pixel and byte limits): the same input gets the same error
/// category.
/// Channels follow the legacy mapping: gray 1, gray with `tRNS` 4, gray + alpha 4, RGB 3
/// (4 with `tRNS`), palette 3 (4 with `tRNS`), RGBA 4; 16-bit files give
/// [`Depth::Sixteen`], all others [`Depth::Eight`].
///
/// Errors: empty input is [`ErrorCategory::InvalidArgument`]; a bad signature,
/// truncation, a CRC error or an invalid chunk before the image data is
/// [`ErrorCategory::MalformedData`]; an image over `limits.max_pixels` or
/// `limits.max_bytes` is [`ErrorCategory::LimitExceeded`].
pub fn read_header(bytes: &[u8], limits: Limits) -> Result<Header, CodecError> {
    let file = parse_until_image_data(bytes)?;
    check_limits(&file, limits)?;
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
/// compressed bytes differ, while the decoded samples are the same: each row takes the
/// filter type libpng gives it (its default adaptive heuristic), but the rows are
/// compressed by `miniz_oxide` at deflate level 1 (level 3 when level 1 leaves under
/// half the samples' size, if that is smaller) rather than zlib's level 6: 5-6x faster
/// than legacy on RGB images, for files typically 2-10% larger (up to about 12%); the
/// image data is cut into `IDAT` chunks of 64 KiB;
/// arguments that legacy's `Image` cannot hold (a zero width or height, another channel
/// count, a sample count other than `width * height * channels`) are
/// [`ErrorCategory::InvalidArgument`]. A width or height above 2^31 - 1 is
/// [`ErrorCategory::Unsupported`], as in legacy; a failure of the `png` crate or of
/// deflate is [`ErrorCategory::Internal`].
///
/// Memory besides `samples`: the file's buffer, reserved at about the samples' size,
/// three rows and about 400 KiB (deflate state, the `IDAT` chunk being filled); when the
/// image is compressed a second time, also the second file (smaller than the first, at
/// most half the samples' size).
pub fn encode_u8(
    samples: &[u8],
    width: u32,
    height: u32,
    channels: u32,
) -> Result<Vec<u8>, CodecError> {
    let color = check_encode_args("encode_u8", samples.len(), width, height, channels)?;
    encode::encode(Samples::Eight(samples), width, height, color)
}

/// Encodes `width` x `height` pixels of `channels` 16-bit samples (native-endian) as a
/// non-interlaced PNG of bit depth 16.
///
/// Mirrors `imgkit::legacy::encode_png(const Image16&)`, with the same deliberate
/// differences as [`encode_u8`]; the samples are turned big-endian a row at a time (two
/// more rows of scratch).
pub fn encode_u16(
    samples: &[u16],
    width: u32,
    height: u32,
    channels: u32,
) -> Result<Vec<u8>, CodecError> {
    let color = check_encode_args("encode_u16", samples.len(), width, height, channels)?;
    encode::encode(Samples::Sixteen(samples), width, height, color)
}

// ---- errors and argument checks -------------------------------------------------------

fn malformed(message: impl Into<String>) -> CodecError {
    CodecError::new(ErrorCategory::MalformedData, message)
}

fn internal(message: impl Into<String>) -> CodecError {
    CodecError::new(ErrorCategory::Internal, message)
}

fn invalid_argument(message: impl Into<String>) -> CodecError {
    CodecError::new(ErrorCategory::InvalidArgument, message)
}

/// The checks both decoders make before any pixel: everything [`read_header`] checks,
/// then that the file has the depth `op` decodes and `out_len` is its sample count.
fn prepare_decode(
    bytes: &[u8],
    limits: Limits,
    depth: Depth,
    out_len: usize,
    op: &str,
) -> Result<ParsedFile, CodecError> {
    let file = parse_until_image_data(bytes)?;
    check_limits(&file, limits)?;
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
