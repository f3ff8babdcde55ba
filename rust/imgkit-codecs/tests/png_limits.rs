//! The PNG decoder's limits: the cases of `PngDecodeLimits` in
//! `tests/legacy/png_test.cpp`, so that both implementations refuse the same files with
//! the same category and message, and accept the same files at exactly the limit.

mod png_support;

use imgkit_codecs::{png, CodecError, Depth, ErrorCategory, Header, Limits};
use png_support::*;

/// Both steps, as the bridge takes them; returns the header and the sample count.
fn decode_with(bytes: &[u8], limits: Limits) -> Result<(Header, usize), CodecError> {
    let header = png::read_header(bytes, limits)?;
    match header.depth {
        Depth::Eight => png::decode_into_u8(bytes, limits, &mut vec![0; header.sample_count()])?,
        Depth::Sixteen => png::decode_into_u16(bytes, limits, &mut vec![0; header.sample_count()])?,
    }
    Ok((header, header.sample_count()))
}

fn byte_limit(max_bytes: u64) -> Limits {
    Limits {
        max_bytes,
        ..Limits::DEFAULT
    }
}

#[track_caller]
fn assert_limit_exceeded(result: Result<impl std::fmt::Debug, CodecError>, part: &str) {
    let error = result.expect_err("expected LimitExceeded");
    assert_eq!(
        error.category,
        ErrorCategory::LimitExceeded,
        "{}",
        error.message
    );
    assert!(
        error.message.contains(part),
        "{:?} does not mention {part:?}",
        error.message
    );
}

/// 3x2 RGB, 8 bits, with gAMA and tEXt before IDAT (legacy's `sample_file`).
fn sample_file() -> Vec<u8> {
    let rows = (0..2)
        .map(|y| (0..9).map(|x| (y * 9 + x) as u8).collect())
        .collect();
    let mut spec = Spec::new(3, 2, 8, RGB, rows);
    spec.before_idat
        .push(chunk(b"gAMA", &100_000u32.to_be_bytes()));
    spec.before_idat
        .push(chunk(b"tEXt", b"Comment\0samples are stored as is"));
    spec.build()
}

/// A file of a few hundred bytes whose IHDR declares 10000x10000 RGBA at 16 bits: exactly
/// the default pixel limit, 800 MB of samples. It is cut off 4 bytes into its image data,
/// so it can only be refused from its header.
fn hostile_rgba16_file() -> Vec<u8> {
    let mut file = sample_file();
    patch_ihdr_size(&mut file, 10_000, 10_000);
    patch_chunk_byte(&mut file, b"IHDR", 8, 16);
    patch_chunk_byte(&mut file, b"IHDR", 9, RGBA);
    file.truncate(find_chunk(&file, b"IDAT") + 8 + 4);
    file
}

#[test]
fn small_file_declaring_a_huge_sixteen_bit_rgba_image_is_refused_from_its_header() {
    let file = hostile_rgba16_file();
    assert!(file.len() < 200);
    let expected = "PNG: image needs 800000000 bytes (10000x10000, 4 channels, 16-bit), over the \
                    536870912-byte limit (max_bytes)";
    let error = png::read_header(&file, Limits::default()).unwrap_err();
    assert_eq!(error.category, ErrorCategory::LimitExceeded);
    assert_eq!(error.message, expected);
    // The second step makes the same checks first, whatever buffer it is given.
    assert_limit_exceeded(
        png::decode_into_u16(&file, Limits::default(), &mut []),
        expected,
    );
}

#[test]
fn custom_byte_limit_refuses_above_and_accepts_exactly_at_it() {
    assert_limit_exceeded(
        decode_with(&sample_file(), byte_limit(17)),
        "image needs 18 bytes (3x2, 3 channels, 8-bit), over the 17-byte limit (max_bytes)",
    );
    let (header, samples) = decode_with(&sample_file(), byte_limit(18)).unwrap();
    assert_eq!((header.width, header.height, samples), (3, 2, 18));
}

/// The limit counts the image the decoder returns, not the samples the file stores.
#[test]
fn bytes_are_counted_in_the_decoded_layout() {
    let mut palette = Spec::new(2, 1, 8, PALETTE, vec![vec![1, 0]]);
    palette
        .before_idat
        .push(chunk(b"PLTE", &[1, 2, 3, 4, 5, 6]));
    palette.before_idat.push(chunk(b"tRNS", &[0]));
    let one_bit_gray = Spec::new(5, 1, 1, GRAY, vec![vec![0b1011_0000]]);
    let gray_alpha16 = Spec::new(1, 1, 16, GRAY_ALPHA, vec![vec![0x80, 0x01, 0x00, 0xff]]);
    for (spec, bytes, described) in [
        (palette, 8, "(2x1, 4 channels, 8-bit)"),
        (one_bit_gray, 5, "(5x1, 1 channel, 8-bit)"),
        (gray_alpha16, 8, "(1x1, 4 channels, 16-bit)"),
    ] {
        let file = spec.build();
        assert_limit_exceeded(decode_with(&file, byte_limit(bytes - 1)), described);
        let (header, samples) = decode_with(&file, byte_limit(bytes)).unwrap();
        assert_eq!(samples as u64 * header.depth.bytes(), bytes, "{described}");
    }
}

#[test]
fn pixel_limit_is_judged_before_the_byte_limit() {
    let both = Limits {
        max_pixels: 5,
        max_bytes: 5,
    };
    assert_limit_exceeded(decode_with(&sample_file(), both), "limit of 5 pixels");
}

#[test]
fn limits_are_judged_after_the_chunks_before_the_image_data() {
    // As in legacy, png_read_info validates everything up to the first IDAT first.
    let mut file = hostile_rgba16_file();
    corrupt_crc(&mut file, b"tEXt");
    let error = png::read_header(&file, Limits::default()).unwrap_err();
    assert_eq!(
        error.category,
        ErrorCategory::MalformedData,
        "{}",
        error.message
    );
}

#[test]
fn size_beyond_64_bits_is_over_every_byte_limit() {
    let mut file = hostile_rgba16_file();
    patch_ihdr_size(&mut file, 0x7fff_ffff, 0x7fff_ffff);
    let unlimited = Limits {
        max_pixels: u64::MAX,
        max_bytes: u64::MAX,
    };
    assert_limit_exceeded(
        png::read_header(&file, unlimited),
        "needs more than 18446744073709551615 bytes",
    );
}
