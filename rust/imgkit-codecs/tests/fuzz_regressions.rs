//! Inputs found by fuzzing the decoders (fuzz/, ci/fuzz.sh), kept as regression cases,
//! byte for byte.
//!
//! The differential target found legacy's libpng allocating a buffer of a chunk's declared
//! length before reading it: a 40-byte file reserved 2 GiB, then failed as truncated (fixed
//! in `cpp/legacy/src/png.cpp`, tested in `tests/legacy/fuzz_regressions_test.cpp`). The
//! Rust decoder already agreed on the category; these cases hold it to that and to
//! allocating nothing near the claimed length: the decode's peak of live heap memory on
//! the test's thread (`allocation_counter`) stays far below it, which also bounds every
//! single allocation.

use imgkit_codecs::{png, ErrorCategory, Limits};

/// The peak of live heap memory `f` reaches on this thread, above its level at the start.
fn peak_of(f: impl FnOnce()) -> usize {
    allocation_counter::measure(f).bytes_max as usize
}

const SIGNATURE: [u8; 8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/// IHDR of a 1x1 8-bit gray image, CRC included.
const IHDR_1X1_GRAY: [u8; 25] = [
    0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b, 0x55,
];
fn file(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Reads the header and, when that succeeds, decodes: what the bridge does. Returns the
/// error category of whichever step failed.
fn decode_category(bytes: &[u8], limits: Limits) -> Option<ErrorCategory> {
    match png::read_header(bytes, limits) {
        Err(error) => Some(error.category),
        Ok(header) => {
            let mut out = vec![0u8; header.sample_count()];
            png::decode_into_u8(bytes, limits, &mut out)
                .err()
                .map(|e| e.category)
        }
    }
}

/// Both steps reject `bytes` as malformed, and the decode never holds 1 MiB, far from the
/// 1 GiB or more the file claims.
fn assert_truncated_without_claimed_allocation(bytes: &[u8]) {
    let mut category = None;
    let peak = peak_of(|| category = decode_category(bytes, Limits::default()));
    assert_eq!(category, Some(ErrorCategory::MalformedData));
    assert!(
        peak < 1 << 20,
        "decoding a {}-byte file held {peak} bytes",
        bytes.len()
    );
}

#[test]
fn text_chunk_claiming_two_gibibytes_is_truncated_data() {
    // tEXt declaring 2^31 - 1 bytes, then the keyword "k" and its NUL: nothing more.
    let bytes = file(&[
        &SIGNATURE,
        &IHDR_1X1_GRAY,
        &[0x7f, 0xff, 0xff, 0xff, 0x74, 0x45, 0x58, 0x74, 0x6b, 0x00],
    ]);
    assert_truncated_without_claimed_allocation(&bytes);
}

#[test]
fn itxt_claiming_one_gibibyte_is_truncated_data() {
    let bytes = file(&[
        &SIGNATURE,
        &IHDR_1X1_GRAY,
        &[0x40, 0x00, 0x00, 0x00, 0x69, 0x54, 0x58, 0x74, 0x6b, 0x00],
    ]);
    assert_truncated_without_claimed_allocation(&bytes);
}

#[test]
fn truncated_image_data_still_comes_after_the_pixel_limit() {
    // IDAT declaring 65536 bytes and holding 1: over the limit is reported first.
    let bytes = file(&[
        &SIGNATURE,
        &IHDR_1X1_GRAY,
        &[0x00, 0x01, 0x00, 0x00, 0x49, 0x44, 0x41, 0x54, 0x78],
    ]);
    assert_eq!(
        decode_category(
            &bytes,
            Limits {
                max_pixels: 0,
                ..Limits::DEFAULT
            }
        ),
        Some(ErrorCategory::LimitExceeded)
    );
    assert_eq!(
        decode_category(&bytes, Limits::default()),
        Some(ErrorCategory::MalformedData)
    );
}

#[test]
fn the_measure_sees_a_large_allocation() {
    let peak = peak_of(|| drop(std::hint::black_box(vec![1u8; 4 << 20])));
    assert!(peak >= 4 << 20, "saw {peak} bytes");
}
