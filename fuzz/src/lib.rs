//! The invariants the cargo-fuzz targets check on every input, shared by `pnm_decode`
//! and `png_decode` (fuzz_targets/).
//!
//! A decoder of imgkit-codecs is two-step: `read_header` validates the header and the
//! pixel limit, then `decode_into_u8` / `decode_into_u16` fill a buffer the caller
//! allocated from the header. For any bytes at all, [`check_decoder`] asserts:
//!
//! * nothing panics (libFuzzer reports a panic as a crash);
//! * a header has width, height >= 1, 1, 3 or 4 channels (1 or 3 for PNM), at most
//!   `max_pixels` pixels and at most `max_bytes` bytes of samples;
//! * a header error is reported again, with the same category, by both decode steps;
//! * decoding at the header's depth into a buffer of exactly `sample_count` samples
//!   either succeeds or fails as the data's fault (malformed or unsupported), never as
//!   an argument error, a limit error or an internal error;
//! * the other depth, and a buffer one sample too long, are argument errors;
//! * on small images: every sample is written (two buffers pre-filled differently decode
//!   alike), and on smaller ones the decoded image survives an encode / decode round
//!   trip unchanged;
//! * the live heap of one check never exceeds [`MAX_LIVE_HEAP`] (so no single
//!   allocation does either): more than a decode at [`LIMITS`] needs means a size taken
//!   on trust from the input. `allocation_counter`'s global allocator measures it
//!   (libFuzzer's `-malloc_limit_mb` needs a sanitizer's allocator, which these targets,
//!   built without one, do not have).
//!
//!   fuzz_target!(|data: &[u8]| imgkit_fuzz::check_decoder(&imgkit_fuzz::PNG, data));
//!
//! [`fix_png_crcs`] serves the PNG target's custom mutator (the C++ targets' mutator,
//! fuzz/cpp/png_mutator.cpp, also makes chunk-level mutations).

use imgkit_codecs::{png, pnm, CodecError, Depth, ErrorCategory, Header, Limits};

/// 2^18 pixels (512 x 512) and 1 MiB: every seed fits (ci/fuzz.sh keeps seeds up to
/// 64 KiB), and the byte limit bites below the pixel limit (512 x 512 is 2 MiB at 4
/// channels x 16 bits), so both checks are fuzzed. A file claiming a large image costs
/// its allocation on every run, so larger limits mostly slow the fuzzer.
pub const LIMITS: Limits = Limits {
    max_pixels: 1 << 18,
    max_bytes: 1 << 20,
};

/// Images up to this many samples are decoded a second time into a pre-filled buffer.
const FILL_CHECK_SAMPLES: usize = 1 << 16;

/// Images up to this many samples also make the encode / decode round trip. Encoding
/// costs more than decoding: at `FILL_CHECK_SAMPLES` it took half the PNG target's time.
const ROUND_TRIP_SAMPLES: usize = 1 << 12;

/// 16 MiB: the largest buffer at [`LIMITS`] is 2 MiB (1 MiB of samples, or the other
/// depth's buffer for as many), a check holds a few of them at once, and the decoders'
/// own state (inflate windows, rows) is smaller still.
pub const MAX_LIVE_HEAP: usize = 16 << 20;

type ReadHeader = fn(&[u8], Limits) -> Result<Header, CodecError>;
type DecodeU8 = fn(&[u8], Limits, &mut [u8]) -> Result<(), CodecError>;
type DecodeU16 = fn(&[u8], Limits, &mut [u16]) -> Result<(), CodecError>;
type EncodeU8 = fn(&[u8], u32, u32, u32) -> Result<Vec<u8>, CodecError>;
type EncodeU16 = fn(&[u16], u32, u32, u32) -> Result<Vec<u8>, CodecError>;

/// One codec's entry points, as plain function pointers.
pub struct Codec {
    pub name: &'static str,
    /// The channel counts a decoded image of this format may have.
    pub channels: &'static [u32],
    pub read_header: ReadHeader,
    pub decode_u8: DecodeU8,
    pub decode_u16: DecodeU16,
    pub encode_u8: EncodeU8,
    pub encode_u16: EncodeU16,
}

pub const PNM: Codec = Codec {
    name: "PNM",
    channels: &[1, 3],
    read_header: pnm::read_header,
    decode_u8: pnm::decode_into_u8,
    decode_u16: pnm::decode_into_u16,
    encode_u8: |s, w, h, c| pnm::encode_u8(s, w, h, c, false),
    encode_u16: |s, w, h, c| pnm::encode_u16(s, w, h, c, false),
};

pub const PNG: Codec = Codec {
    name: "PNG",
    channels: &[1, 3, 4],
    read_header: png::read_header,
    decode_u8: png::decode_into_u8,
    decode_u16: png::decode_into_u16,
    encode_u8: png::encode_u8,
    encode_u16: png::encode_u16,
};

/// Runs every check of the module docs on `data`; panics when one fails.
pub fn check_decoder(codec: &Codec, data: &[u8]) {
    let peak = allocation_counter::measure(|| check_decoder_steps(codec, data)).bytes_max;
    assert!(
        peak <= MAX_LIVE_HEAP as u64,
        "{}: a {}-byte input held {peak} bytes of heap",
        codec.name,
        data.len()
    );
}

fn check_decoder_steps(codec: &Codec, data: &[u8]) {
    match (codec.read_header)(data, LIMITS) {
        Err(error) => check_header_error_repeats(codec, data, &error),
        Ok(header) => {
            check_header(codec, &header);
            match header.depth {
                Depth::Eight => check_decode(codec, data, &header, Samples8),
                Depth::Sixteen => check_decode(codec, data, &header, Samples16),
            }
        }
    }
}

fn check_header_error_repeats(codec: &Codec, data: &[u8], error: &CodecError) {
    assert!(
        !error.message.is_empty(),
        "{}: empty error message",
        codec.name
    );
    let eight =
        (codec.decode_u8)(data, LIMITS, &mut []).expect_err("decode_u8 after a header error");
    let sixteen =
        (codec.decode_u16)(data, LIMITS, &mut []).expect_err("decode_u16 after a header error");
    assert_eq!(
        eight.category, error.category,
        "{}: {eight} vs {error}",
        codec.name
    );
    assert_eq!(
        sixteen.category, error.category,
        "{}: {sixteen} vs {error}",
        codec.name
    );
}

fn check_header(codec: &Codec, header: &Header) {
    assert!(
        header.width >= 1 && header.height >= 1,
        "{}: {header:?}",
        codec.name
    );
    assert!(
        codec.channels.contains(&header.channels),
        "{}: {header:?}",
        codec.name
    );
    let pixels = u64::from(header.width) * u64::from(header.height);
    assert!(
        pixels <= LIMITS.max_pixels,
        "{}: {header:?} over the pixel limit",
        codec.name
    );
    assert!(
        header.sample_count() as u64 * header.depth.bytes() <= LIMITS.max_bytes,
        "{}: {header:?} over the byte limit",
        codec.name
    );
    assert_eq!(
        header.sample_count() as u64,
        pixels * u64::from(header.channels)
    );
}

/// One sample depth: how to decode and encode it, and the other depth's decoder.
trait SampleKind {
    type Sample: Copy + Default + PartialEq + std::fmt::Debug;
    const FILL: Self::Sample;
    fn decode(codec: &Codec, data: &[u8], out: &mut [Self::Sample]) -> Result<(), CodecError>;
    fn decode_other_depth(codec: &Codec, data: &[u8], len: usize) -> Result<(), CodecError>;
    fn encode(
        codec: &Codec,
        samples: &[Self::Sample],
        header: &Header,
    ) -> Result<Vec<u8>, CodecError>;
}

struct Samples8;
struct Samples16;

impl SampleKind for Samples8 {
    type Sample = u8;
    const FILL: u8 = 0xa5;
    fn decode(codec: &Codec, data: &[u8], out: &mut [u8]) -> Result<(), CodecError> {
        (codec.decode_u8)(data, LIMITS, out)
    }
    fn decode_other_depth(codec: &Codec, data: &[u8], len: usize) -> Result<(), CodecError> {
        (codec.decode_u16)(data, LIMITS, &mut vec![0; len])
    }
    fn encode(codec: &Codec, samples: &[u8], header: &Header) -> Result<Vec<u8>, CodecError> {
        (codec.encode_u8)(samples, header.width, header.height, header.channels)
    }
}

impl SampleKind for Samples16 {
    type Sample = u16;
    const FILL: u16 = 0xa55a;
    fn decode(codec: &Codec, data: &[u8], out: &mut [u16]) -> Result<(), CodecError> {
        (codec.decode_u16)(data, LIMITS, out)
    }
    fn decode_other_depth(codec: &Codec, data: &[u8], len: usize) -> Result<(), CodecError> {
        (codec.decode_u8)(data, LIMITS, &mut vec![0; len])
    }
    fn encode(codec: &Codec, samples: &[u16], header: &Header) -> Result<Vec<u8>, CodecError> {
        (codec.encode_u16)(samples, header.width, header.height, header.channels)
    }
}

fn check_decode<K: SampleKind>(codec: &Codec, data: &[u8], header: &Header, _kind: K) {
    let count = header.sample_count();
    let name = codec.name;

    let other = K::decode_other_depth(codec, data, count).expect_err("the other depth decoded");
    assert_eq!(
        other.category,
        ErrorCategory::InvalidArgument,
        "{name}: {other}"
    );
    let mut too_long = vec![K::Sample::default(); count + 1];
    let wrong_length = K::decode(codec, data, &mut too_long).expect_err("a too-long buffer");
    assert_eq!(
        wrong_length.category,
        ErrorCategory::InvalidArgument,
        "{name}: {wrong_length}"
    );

    let mut samples = vec![K::Sample::default(); count];
    let result = K::decode(codec, data, &mut samples);
    if let Err(error) = &result {
        assert!(
            matches!(
                error.category,
                ErrorCategory::MalformedData | ErrorCategory::Unsupported
            ),
            "{name}: a decode after a valid header ({header:?}) failed with {:?}: {error}",
            error.category
        );
        assert!(!error.message.is_empty(), "{name}: empty error message");
    }
    if count > FILL_CHECK_SAMPLES {
        return;
    }

    let mut prefilled = vec![K::FILL; count];
    let again = K::decode(codec, data, &mut prefilled);
    assert_eq!(
        again.as_ref().map_err(|e| e.category),
        result.as_ref().map_err(|e| e.category),
        "{name}: two decodes of the same bytes disagree"
    );
    if result.is_err() {
        return;
    }
    assert_eq!(
        samples, prefilled,
        "{name}: a decode left samples unwritten ({header:?})"
    );
    if count > ROUND_TRIP_SAMPLES {
        return;
    }

    let encoded = K::encode(codec, &samples, header)
        .unwrap_or_else(|e| panic!("{name}: re-encoding a decoded {header:?} failed: {e}"));
    let reread = (codec.read_header)(&encoded, LIMITS)
        .unwrap_or_else(|e| panic!("{name}: the re-encoded file's header: {e}"));
    assert_eq!(
        reread, *header,
        "{name}: the re-encoded file's header differs"
    );
    let mut round_trip = vec![K::Sample::default(); count];
    K::decode(codec, &encoded, &mut round_trip)
        .unwrap_or_else(|e| panic!("{name}: decoding the re-encoded file: {e}"));
    assert_eq!(
        round_trip, samples,
        "{name}: the encode / decode round trip changed samples"
    );
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Recomputes the CRC of every complete chunk after the PNG signature, in place, and
/// returns true; stops at the first chunk whose declared length runs past the end.
/// Returns false, changing nothing, when `data` does not start with the signature.
///
/// A decoder checks each chunk's CRC first, so nearly every plain mutation of a PNG is
/// rejected there; with the CRCs fixed up, mutations reach the chunk parsers, the
/// inflater and the unfilter code.
pub fn fix_png_crcs(data: &mut [u8]) -> bool {
    if !data.starts_with(&PNG_SIGNATURE) {
        return false;
    }
    let mut at = PNG_SIGNATURE.len();
    // A chunk: 4-byte length, 4-byte type, `length` data bytes, 4-byte CRC of type + data.
    while data.len() - at >= 12 {
        let length = u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
        let Ok(length) = usize::try_from(length) else {
            break;
        };
        if length > data.len() - at - 12 {
            break;
        }
        let crc = crc32fast::hash(&data[at + 4..at + 8 + length]);
        data[at + 8 + length..at + 12 + length].copy_from_slice(&crc.to_be_bytes());
        at += length + 12;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_measure_sees_an_allocation_over_the_bound() {
        let peak = allocation_counter::measure(|| {
            drop(std::hint::black_box(vec![0u8; MAX_LIVE_HEAP + 1]));
        });
        assert!(peak.bytes_max > MAX_LIVE_HEAP as u64);
    }

    #[test]
    fn fixes_a_broken_crc_and_leaves_other_bytes_alone() {
        // Signature, then IEND (length 0) with the CRC zeroed, then a partial chunk.
        let mut file = PNG_SIGNATURE.to_vec();
        file.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0, 0, 0, 0]);
        file.extend_from_slice(&[0, 0, 1, 0, b'I', b'D']);
        let before = file.clone();
        assert!(fix_png_crcs(&mut file));
        assert_eq!(&file[16..20], &[0xae, 0x42, 0x60, 0x82]);
        assert_eq!(file[..16], before[..16]);
        assert_eq!(file[20..], before[20..]);
        assert!(!fix_png_crcs(&mut b"P5 1 1 255 x".to_vec()));
    }
}
