//! The PNM codec: the cases of `tests/legacy/pnm_test.cpp` (so both implementations are
//! held to the same examples), scaling computed from the formula of `codecs.hpp`, every
//! comment position, exact encoder bytes, round trips, and one test per rejected input.

use imgkit_codecs::{pnm, CodecError, Depth, ErrorCategory, Header, Limits};

/// A decoded image as legacy's `DecodedImage` would hold it.
#[derive(Debug, PartialEq)]
enum Decoded {
    Eight(Header, Vec<u8>),
    Sixteen(Header, Vec<u16>),
}

/// The two steps the bridge takes: read the header, allocate, decode.
fn decode_with(bytes: &[u8], limits: Limits) -> Result<Decoded, CodecError> {
    let header = pnm::read_header(bytes, limits)?;
    match header.depth {
        Depth::Eight => {
            let mut out = vec![0xa5u8; header.sample_count()];
            pnm::decode_into_u8(bytes, limits, &mut out)?;
            Ok(Decoded::Eight(header, out))
        }
        Depth::Sixteen => {
            let mut out = vec![0xa5a5u16; header.sample_count()];
            pnm::decode_into_u16(bytes, limits, &mut out)?;
            Ok(Decoded::Sixteen(header, out))
        }
    }
}

fn decode(bytes: &[u8]) -> Result<Decoded, CodecError> {
    decode_with(bytes, Limits::default())
}

#[track_caller]
fn decode_8bit(bytes: &[u8]) -> (Header, Vec<u8>) {
    match decode(bytes) {
        Ok(Decoded::Eight(header, samples)) => (header, samples),
        other => panic!("expected an 8-bit image, got {other:?}"),
    }
}

#[track_caller]
fn decode_16bit(bytes: &[u8]) -> (Header, Vec<u16>) {
    match decode(bytes) {
        Ok(Decoded::Sixteen(header, samples)) => (header, samples),
        other => panic!("expected a 16-bit image, got {other:?}"),
    }
}

#[track_caller]
fn expect_error<T: std::fmt::Debug>(
    result: Result<T, CodecError>,
    category: ErrorCategory,
    fragments: &[&str],
) {
    let error = result.expect_err("expected an error");
    assert_eq!(error.category, category, "message: {}", error.message);
    for fragment in fragments {
        assert!(
            error.message.contains(fragment),
            "{:?} does not contain {fragment:?}",
            error.message
        );
    }
}

#[track_caller]
fn expect_decode_error(bytes: &[u8], limits: Limits, category: ErrorCategory, fragments: &[&str]) {
    expect_error(decode_with(bytes, limits), category, fragments);
}

fn header(width: u32, height: u32, channels: u32, depth: Depth) -> Header {
    Header {
        width,
        height,
        channels,
        depth,
    }
}

fn limits(max_pixels: u64) -> Limits {
    Limits {
        max_pixels,
        ..Limits::DEFAULT
    }
}

fn byte_limit(max_bytes: u64) -> Limits {
    Limits {
        max_bytes,
        ..Limits::DEFAULT
    }
}

/// No limit at all, for the checks that come after the limits.
fn unlimited() -> Limits {
    Limits {
        max_pixels: u64::MAX,
        max_bytes: u64::MAX,
    }
}

/// The same pattern as legacy's test helper `patterned`.
fn patterned_u8(count: usize) -> Vec<u8> {
    (0..count)
        .map(|i| ((i * 40503 + 123) % 256) as u8)
        .collect()
}

fn patterned_u16(count: usize) -> Vec<u16> {
    (0..count)
        .map(|i| ((i * 40503 + 123) % 65536) as u16)
        .collect()
}

/// `(v * full + maxval / 2) / maxval`, the formula of `codecs.hpp`, in u64.
fn formula(v: u64, maxval: u64, full: u64) -> u64 {
    (v * full + maxval / 2) / maxval
}

// ---- decoding (legacy PnmDecode cases) --------------------------------------------------

#[test]
fn scales_maxval_15_to_full_range() {
    let (h, samples) = decode_8bit(
        b"P2\n\
          # written by hand\n\
          3 # width\n\
          2\n\
          # maxval follows\n\
          15\n\
          0 1 7\n\
          8 14 15\n",
    );
    assert_eq!(h, header(3, 2, 1, Depth::Eight));
    assert_eq!(samples, [0, 17, 119, 136, 238, 255]);
}

#[test]
fn rounds_scaled_samples_half_up() {
    // v * 255 / 10 is 25.5, 76.5 and 178.5 for these samples.
    let (_, samples) = decode_8bit(b"P2 5 1 10 0 1 3 7 10");
    assert_eq!(samples, [0, 26, 77, 179, 255]);
}

#[test]
fn scales_maxval_above_255_to_16_bit() {
    // v * 65535 / 1000 is 65.535, 32767.5 and 65469.465 for the middle samples.
    let (h, samples) = decode_16bit(b"P2 5 1 1000 0 1 500 999 1000");
    assert_eq!(h, header(5, 1, 1, Depth::Sixteen));
    assert_eq!(samples, [0, 66, 32768, 65469, 65535]);
}

#[test]
fn keeps_maxval_255_samples_unchanged() {
    let (_, samples) = decode_8bit(b"P5 4 1 255\n\x00\x01\x80\xff");
    assert_eq!(samples, [0, 1, 128, 255]);
}

#[test]
fn keeps_maxval_65535_samples_unchanged_and_reads_them_big_endian() {
    let (h, samples) = decode_16bit(b"P5 2 1 65535\n\x12\x34\xff\xfe");
    assert_eq!(h, header(2, 1, 1, Depth::Sixteen));
    assert_eq!(samples, [0x1234, 0xfffe]);
}

#[test]
fn scales_two_byte_binary_samples() {
    // 0x01f4 = 500 of maxval 1000.
    let (_, samples) = decode_16bit(b"P5 2 1 1000\n\x01\xf4\x03\xe8");
    assert_eq!(samples, [32768, 65535]);
}

#[test]
fn reads_plain_rgb_with_comments_between_samples() {
    let (h, samples) = decode_8bit(
        b"P3 2 1 255\n\
          1 2 # red pixel, almost\n\
          3#glued comment\n\
          \t40\r\n50 60",
    );
    assert_eq!(h, header(2, 1, 3, Depth::Eight));
    assert_eq!(samples, [1, 2, 3, 40, 50, 60]);
    // at(1, 0, 2): (0 * 2 + 1) * 3 + 2.
    assert_eq!(samples[5], 60);
}

#[test]
fn reads_binary_rgb() {
    let (h, samples) = decode_8bit(b"P6\n2 1\n255\n\x0a\x14\x1e\x28\x32\x3c");
    assert_eq!(h, header(2, 1, 3, Depth::Eight));
    assert_eq!(samples, [10, 20, 30, 40, 50, 60]);
}

#[test]
fn accepts_comments_between_every_header_token() {
    let (h, samples) = decode_8bit(
        b"P5#after magic\n\
          #own line\r\
          1#after width\n\
          \t\x0b\x0c2 #after height\n\
          255\n\
          \x07\x08",
    );
    assert_eq!(h, header(1, 2, 1, Depth::Eight));
    assert_eq!(samples, [7, 8]);
}

#[test]
fn binary_raster_starts_after_exactly_one_whitespace_byte() {
    // The raster's own first bytes are a newline and a space.
    let (_, samples) = decode_8bit(b"P5 2 1 255\n\n ");
    assert_eq!(samples, [b'\n', b' ']);
    // After that byte a '#' is a sample, not a comment.
    let (_, samples) = decode_8bit(b"P5 2 1 255 #c\n\x01");
    assert_eq!(samples, [b'#', b'c']);
}

#[test]
fn comment_directly_after_maxval_ends_at_its_newline() {
    let (_, samples) = decode_8bit(b"P5 1 1 255#note\n\x21");
    assert_eq!(samples, [0x21]);
    // A carriage return ends it as well, and only the first line end is consumed.
    let (_, samples) = decode_8bit(b"P5 2 1 255#note\r\n\x22");
    assert_eq!(samples, [b'\n', 0x22]);
}

#[test]
fn reads_only_the_first_image_and_ignores_trailing_bytes() {
    let (h, samples) = decode_8bit(b"P5 1 1 255\nAP5 1 1 255\nB trailing garbage");
    assert_eq!(h.width, 1);
    assert_eq!(samples, [b'A']);
}

#[test]
fn accepts_image_exactly_at_the_pixel_limit() {
    let bytes = b"P2 3 2 255 1 2 3 4 5 6";
    let decoded = decode_with(bytes, limits(6)).expect("6 pixels fit a limit of 6");
    assert_eq!(
        decoded,
        Decoded::Eight(header(3, 2, 1, Depth::Eight), vec![1, 2, 3, 4, 5, 6])
    );
}

// ---- decoding: every format and maxval class ---------------------------------------------

/// Builds a file of the given format whose raster holds `values` (file samples).
fn file(format: u8, width: u32, height: u32, maxval: u32, values: &[u32]) -> Vec<u8> {
    let mut out = format!("P{}\n{width} {height}\n{maxval}\n", char::from(format)).into_bytes();
    for &v in values {
        match format {
            b'2' | b'3' => out.extend_from_slice(format!("{v} ").as_bytes()),
            _ if maxval < 256 => out.push(v as u8),
            _ => out.extend_from_slice(&(v as u16).to_be_bytes()),
        }
    }
    out
}

#[test]
fn every_format_and_maxval_class_scales_by_the_formula() {
    let maxvals = [
        1u32, 2, 15, 100, 254, 255, 256, 257, 1000, 4095, 65534, 65535,
    ];
    for format in [b'2', b'3', b'5', b'6'] {
        let channels = if format == b'3' || format == b'6' {
            3
        } else {
            1
        };
        for maxval in maxvals {
            // Odd sizes, every value class: 0, 1, the middle, maxval - 1, maxval.
            let (width, height) = (5u32, 3u32);
            let count = (width * height * channels) as usize;
            let values: Vec<u32> = (0..count as u32)
                .map(|i| match i % 5 {
                    0 => 0,
                    1 => 1.min(maxval),
                    2 => maxval / 2,
                    3 => maxval - 1,
                    _ => (i * 7919) % (maxval + 1),
                })
                .collect();
            let bytes = file(format, width, height, maxval, &values);
            let context = format!("P{} maxval {maxval}", char::from(format));
            if maxval <= 255 {
                let (h, samples) = decode_8bit(&bytes);
                assert_eq!(
                    h,
                    header(width, height, channels, Depth::Eight),
                    "{context}"
                );
                let expected: Vec<u8> = values
                    .iter()
                    .map(|&v| formula(u64::from(v), u64::from(maxval), 255) as u8)
                    .collect();
                assert_eq!(samples, expected, "{context}");
            } else {
                let (h, samples) = decode_16bit(&bytes);
                assert_eq!(
                    h,
                    header(width, height, channels, Depth::Sixteen),
                    "{context}"
                );
                let expected: Vec<u16> = values
                    .iter()
                    .map(|&v| formula(u64::from(v), u64::from(maxval), 65535) as u16)
                    .collect();
                assert_eq!(samples, expected, "{context}");
            }
        }
    }
}

#[test]
fn every_possible_sample_of_a_binary_file_scales_by_the_formula() {
    // Large enough (more samples than maxval) for the table path and small enough for the
    // direct path, for both depths.
    for maxval in [1u32, 3, 200, 254, 300, 40000, 65534] {
        let all: Vec<u32> = (0..=maxval).collect();
        for values in [&all[..], &all[..maxval as usize / 2 + 1]] {
            let bytes = file(b'5', values.len() as u32, 1, maxval, values);
            let full = if maxval <= 255 { 255 } else { 65535 };
            let expected: Vec<u64> = values
                .iter()
                .map(|&v| formula(u64::from(v), u64::from(maxval), full))
                .collect();
            let got: Vec<u64> = match decode(&bytes).expect("valid file") {
                Decoded::Eight(_, s) => s.into_iter().map(u64::from).collect(),
                Decoded::Sixteen(_, s) => s.into_iter().map(u64::from).collect(),
            };
            assert_eq!(got, expected, "maxval {maxval}, {} samples", values.len());
        }
    }
}

#[test]
fn maxval_1_maps_to_black_and_white() {
    let (_, samples) = decode_8bit(b"P2 2 1 1 1 0");
    assert_eq!(samples, [255, 0]);
    let (_, samples) = decode_8bit(b"P5 2 1 1\n\x01\x00");
    assert_eq!(samples, [255, 0]);
}

#[test]
fn maxval_256_uses_two_bytes_per_sample() {
    // 256 * 65535 / 256 = 65535; 128 * 65535 / 256 = 32767.5 -> 32768.
    let (h, samples) = decode_16bit(b"P6 1 1 256\n\x01\x00\x00\x80\x00\x00");
    assert_eq!(h, header(1, 1, 3, Depth::Sixteen));
    assert_eq!(samples, [65535, 32768, 0]);
}

#[test]
fn one_by_one_images_of_every_format() {
    assert_eq!(decode_8bit(b"P2 1 1 255 7").1, [7]);
    assert_eq!(decode_8bit(b"P5 1 1 255 \x07").1, [7]);
    assert_eq!(decode_8bit(b"P3 1 1 255 7 8 9").1, [7, 8, 9]);
    assert_eq!(decode_8bit(b"P6 1 1 255 \x07\x08\x09").1, [7, 8, 9]);
    assert_eq!(decode_16bit(b"P2 1 1 65535 65535").1, [65535]);
    assert_eq!(
        decode_16bit(b"P6 1 1 65535\t\x00\x07\x01\x00\xff\xff").1,
        [7, 256, 65535]
    );
}

#[test]
fn comments_may_stand_wherever_whitespace_may() {
    // Right after the magic, between every two header tokens, between plain samples,
    // several in a row, ended by CR or LF, and at the very end of the file.
    let (h, samples) = decode_8bit(b"P2#a\n#b\r#c\n2#d\n#e\n1#f\n255#g\n#h\n9#i\n#j\r10#k");
    assert_eq!(h, header(2, 1, 1, Depth::Eight));
    assert_eq!(samples, [9, 10]);
    // A '#' glued to a sample ends the sample.
    let (_, samples) = decode_16bit(b"P3 1 1 1000 1#x\n2#y\n3#z");
    assert_eq!(samples, [66, 131, 197]);
    // An empty comment.
    let (_, samples) = decode_8bit(b"P5 1 1 #\n255#\n\x05");
    assert_eq!(samples, [5]);
}

#[test]
fn every_pnm_whitespace_byte_separates_tokens() {
    for separator in [b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r'] {
        let mut bytes = b"P2".to_vec();
        for token in [&b"2"[..], b"1", b"255", b"4", b"5"] {
            bytes.push(separator);
            bytes.extend_from_slice(token);
        }
        assert_eq!(decode_8bit(&bytes).1, [4, 5], "separator {separator}");
    }
}

#[test]
fn leading_zeros_are_plain_decimals() {
    let (h, samples) = decode_8bit(b"P2 002 01 0255 000 0017");
    assert_eq!(h, header(2, 1, 1, Depth::Eight));
    assert_eq!(samples, [0, 17]);
}

// ---- read_header --------------------------------------------------------------------------

#[test]
fn read_header_reports_geometry_and_depth() {
    let h = pnm::read_header(b"P6 640 480 255\n", unlimited());
    // The raster is missing: that is found before allocation, hence in step 1.
    expect_error(h, ErrorCategory::MalformedData, &["truncated raster"]);

    let bytes = file(b'6', 4, 3, 4095, &[0; 36]);
    let h = pnm::read_header(&bytes, Limits::default()).unwrap();
    assert_eq!(h, header(4, 3, 3, Depth::Sixteen));
    assert_eq!(h.sample_count(), 36);
}

#[test]
fn read_header_of_a_tiny_file_claiming_a_huge_raster_fails_before_any_allocation() {
    // A header promising 384 MB of raster in a 20-byte file.
    expect_error(
        pnm::read_header(b"P6 8000 8000 65535\n", Limits::default()),
        ErrorCategory::MalformedData,
        &["truncated raster: expected 384000000 bytes, found 0"],
    );
    expect_error(
        pnm::read_header(b"P2 8000 8000 65535\n1 2 3", Limits::default()),
        ErrorCategory::MalformedData,
        &["truncated raster: expected 64000000 samples"],
    );
}

#[test]
fn a_size_that_overflows_64_bits_is_over_every_byte_limit_however_much_data_follows() {
    // 2007567422 * 3062868337 * 3 samples wrap to 26 in 64 bits; the byte limit is judged
    // on the true size, before the raster, so 26 bytes of raster (or fewer) change nothing.
    for file in [
        &b"P3 2007567422 3062868337 255\n11111111111111111111111111"[..],
        b"P3 2007567422 3062868337 255\n111111111111111111111111",
        b"P6 2007567422 3062868337 255\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        b"P6 4294967295 4294967295 255\n",
    ] {
        expect_decode_error(
            file,
            unlimited(),
            ErrorCategory::LimitExceeded,
            &["needs more than 18446744073709551615 bytes", "(max_bytes)"],
        );
    }
}

// ---- decode_into arguments ------------------------------------------------------------------

#[test]
fn decode_into_refuses_the_other_depth() {
    let mut out16 = [0u16; 2];
    expect_error(
        pnm::decode_into_u16(b"P5 2 1 255\n\x01\x02", Limits::default(), &mut out16),
        ErrorCategory::InvalidArgument,
        &["8-bit", "decode_into_u8"],
    );
    let mut out8 = [0u8; 1];
    expect_error(
        pnm::decode_into_u8(b"P2 1 1 256 7", Limits::default(), &mut out8),
        ErrorCategory::InvalidArgument,
        &["16-bit", "decode_into_u16"],
    );
}

#[test]
fn decode_into_refuses_a_buffer_of_the_wrong_length() {
    for len in [0usize, 5, 7] {
        let mut out = vec![0u8; len];
        expect_error(
            pnm::decode_into_u8(b"P6 2 1 255\n123456", Limits::default(), &mut out),
            ErrorCategory::InvalidArgument,
            &[&format!("output holds {len} samples"), "needs 6"],
        );
        let mut out = vec![0u16; len];
        expect_error(
            pnm::decode_into_u16(b"P3 2 1 999 1 2 3 4 5 6", Limits::default(), &mut out),
            ErrorCategory::InvalidArgument,
            &[&format!("output holds {len} samples"), "needs 6"],
        );
    }
}

#[test]
fn decode_into_reports_header_errors_before_argument_errors() {
    let mut out = [0u8; 0];
    expect_error(
        pnm::decode_into_u8(b"P7 1 1 255\n", Limits::default(), &mut out),
        ErrorCategory::Unsupported,
        &["P7"],
    );
    expect_error(
        pnm::decode_into_u8(b"", Limits::default(), &mut out),
        ErrorCategory::InvalidArgument,
        &["empty"],
    );
}

// ---- decoding errors (legacy PnmDecodeError cases) --------------------------------------------

#[test]
fn empty_input_is_invalid_argument() {
    expect_decode_error(
        b"",
        Limits::default(),
        ErrorCategory::InvalidArgument,
        &["empty"],
    );
}

#[test]
fn bad_magic_is_malformed() {
    let d = Limits::default();
    let m = ErrorCategory::MalformedData;
    expect_decode_error(b"Q5 1 1 255\n\x01", d, m, &["magic", "'Q'"]);
    expect_decode_error(b"P8 1 1 255\n\x01", d, m, &["magic", "P'8'"]);
    expect_decode_error(b"PF\n1 1\n-1.0\n", d, m, &["magic"]);
    expect_decode_error(b"P", d, m, &["truncated header"]);
    expect_decode_error(b"\x00", d, m, &["magic", "byte 0"]);
    // The first byte is checked before the length.
    expect_decode_error(b"p", d, m, &["magic"]);
}

#[test]
fn bitmap_and_pam_formats_are_unsupported() {
    let d = Limits::default();
    let u = ErrorCategory::Unsupported;
    expect_decode_error(b"P1 2 1 0 1", d, u, &["P1"]);
    expect_decode_error(b"P4 8 1\n\x55", d, u, &["P4"]);
    expect_decode_error(
        b"P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nENDHDR\n\x01",
        d,
        u,
        &["P7"],
    );
    // Only the two magic bytes are looked at.
    expect_decode_error(b"P1", d, u, &["P1"]);
    expect_decode_error(b"P4garbage", d, u, &["P4"]);
}

#[test]
fn truncated_header_is_malformed() {
    for text in [
        &b"P5"[..],
        b"P5 3",
        b"P5 3 2",
        b"P5 3 2 # maxval never comes",
        b"P5 3 2 255",
        b"P2 ",
        b"P2 3 2 #c\n",
    ] {
        expect_decode_error(
            text,
            Limits::default(),
            ErrorCategory::MalformedData,
            &["truncated header"],
        );
    }
}

#[test]
fn truncated_raster_is_malformed() {
    let d = Limits::default();
    let m = ErrorCategory::MalformedData;
    expect_decode_error(
        b"P5 3 2 255\n12345",
        d,
        m,
        &["truncated raster: expected 6 bytes, found 5"],
    );
    // Two bytes per sample once maxval exceeds 255.
    expect_decode_error(
        b"P5 2 1 256\n123",
        d,
        m,
        &["truncated raster: expected 4 bytes"],
    );
    expect_decode_error(
        b"P2 3 2 255\n0 1 2 3 4",
        d,
        m,
        &["expected 6 samples, found 5"],
    );
    expect_decode_error(
        b"P3 2 1 255\n0 1 2 # the second pixel is missing\n",
        d,
        m,
        &["truncated raster"],
    );
    // A header promising 384 MB of raster in a 20-byte file.
    expect_decode_error(b"P6 8000 8000 65535\n", d, m, &["truncated raster"]);
    // A comment right after maxval takes its line end as the separator: one byte short.
    expect_decode_error(b"P5 2 1 255#c\n\x01", d, m, &["expected 2 bytes, found 1"]);
}

#[test]
fn maxval_zero_is_malformed() {
    expect_decode_error(
        b"P2 1 1 0 0",
        Limits::default(),
        ErrorCategory::MalformedData,
        &["maxval 0 out of range 1..65535"],
    );
}

#[test]
fn maxval_65536_is_malformed() {
    expect_decode_error(
        b"P2 1 1 65536 0",
        Limits::default(),
        ErrorCategory::MalformedData,
        &["maxval 65536 out of range 1..65535"],
    );
    expect_decode_error(
        b"P5 1 1 99999999999999999999999\n",
        Limits::default(),
        ErrorCategory::MalformedData,
        &["maxval 18446744073709551615 out of range"],
    );
}

#[test]
fn sample_above_maxval_is_malformed() {
    let d = Limits::default();
    let m = ErrorCategory::MalformedData;
    expect_decode_error(
        b"P2 2 1 15 15 16",
        d,
        m,
        &["sample 16 at index 1 exceeds maxval 15", "byte 13"],
    );
    expect_decode_error(
        b"P5 1 1 100\n\xc8",
        d,
        m,
        &["sample 200 at index 0 exceeds maxval 100", "byte 11"],
    );
    expect_decode_error(
        b"P5 1 1 1000\n\x03\xe9",
        d,
        m,
        &["sample 1001 at index 0 exceeds maxval 1000"],
    );
    expect_decode_error(
        b"P2 1 1 255 99999999999999999999999",
        d,
        m,
        &["exceeds maxval 255"],
    );
    // The first offending sample is reported, in the table path too (more samples than
    // maxval) and in plain 16-bit files.
    let mut big = b"P5 300 1 2\n".to_vec();
    big.extend(std::iter::repeat_n(2u8, 299));
    big[11 + 123] = 3;
    big.push(9);
    expect_decode_error(&big, d, m, &["sample 3 at index 123 exceeds maxval 2"]);
    let mut wide = b"P5 600 1 300\n".to_vec();
    for i in 0..600u16 {
        wide.extend_from_slice(&(if i == 450 { 301 } else { i / 2 }).to_be_bytes());
    }
    expect_decode_error(&wide, d, m, &["sample 301 at index 450 exceeds maxval 300"]);
    expect_decode_error(b"P3 1 1 1000 1 2 1001", d, m, &["sample 1001 at index 2"]);
}

#[test]
fn zero_width_or_height_is_malformed() {
    let d = Limits::default();
    let m = ErrorCategory::MalformedData;
    expect_decode_error(b"P5 0 1 255\n", d, m, &["width 0"]);
    expect_decode_error(b"P5 1 0 255\n", d, m, &["height 0"]);
}

#[test]
fn non_numeric_header_field_is_malformed() {
    let d = Limits::default();
    let m = ErrorCategory::MalformedData;
    expect_decode_error(
        b"P2 3 x 15 0 0 0",
        d,
        m,
        &["expected a decimal height, found 'x'"],
    );
    expect_decode_error(b"P2 -3 2 15", d, m, &["width"]);
    expect_decode_error(b"P2 3x2 15", d, m, &["unexpected 'x' after width"]);
    expect_decode_error(b"P23 2 15", d, m, &["after P2"]);
    expect_decode_error(b"P2 3 2 15.0", d, m, &["unexpected '.' after maxval"]);
    expect_decode_error(b"P5\x00 1 1 255", d, m, &["unexpected byte 0 after P5"]);
}

#[test]
fn garbage_between_plain_samples_is_malformed() {
    let d = Limits::default();
    let m = ErrorCategory::MalformedData;
    expect_decode_error(
        b"P2 2 1 255 1 ,2",
        d,
        m,
        &["expected a decimal sample, found ','"],
    );
    expect_decode_error(b"P2 2 1 255 1 2x", d, m, &["unexpected 'x' after sample"]);
    expect_decode_error(b"P3 1 1 255 1 2 -3", d, m, &["found '-'"]);
}

#[test]
fn header_claiming_more_pixels_than_the_limit_is_limit_exceeded() {
    expect_decode_error(
        b"P5 1000 1000 255\n",
        limits(999_999),
        ErrorCategory::LimitExceeded,
        &["1000x1000"],
    );
    // The default limit of 100 megapixels, from a 22-byte file.
    expect_decode_error(
        b"P5 100000 100000 255\n",
        Limits::default(),
        ErrorCategory::LimitExceeded,
        &["limit of 100000000 pixels"],
    );
}

#[test]
fn dimension_beyond_32_bits_is_limit_exceeded() {
    expect_decode_error(
        b"P5 4294967296 1 255\n",
        unlimited(),
        ErrorCategory::LimitExceeded,
        &["width 4294967296"],
    );
    expect_decode_error(
        b"P5 1 99999999999999999999999 255\n",
        unlimited(),
        ErrorCategory::LimitExceeded,
        &["height 18446744073709551615"],
    );
}

#[test]
fn the_first_problem_in_legacy_order_is_the_one_reported() {
    let d = Limits::default();
    // Width is checked (and found too large) before height is even parsed.
    expect_decode_error(
        b"P5 4294967296 x 255",
        d,
        ErrorCategory::LimitExceeded,
        &["width"],
    );
    // A zero width is reported before a non-numeric height.
    expect_decode_error(b"P5 0 x 255", d, ErrorCategory::MalformedData, &["width 0"]);
    // The pixel limit comes before maxval is read.
    expect_decode_error(
        b"P5 10 10 0\n",
        limits(99),
        ErrorCategory::LimitExceeded,
        &["10x10"],
    );
    expect_decode_error(
        b"P5 10 10 x",
        limits(99),
        ErrorCategory::LimitExceeded,
        &["10x10"],
    );
    // Maxval is checked before the raster length.
    expect_decode_error(
        b"P5 10 10 0",
        d,
        ErrorCategory::MalformedData,
        &["maxval 0"],
    );
    // The unsupported magic wins over everything after it.
    expect_decode_error(b"P7 0 0 0", limits(0), ErrorCategory::Unsupported, &["P7"]);
    // A plain raster's length bound comes before its first bad token.
    expect_decode_error(
        b"P2 3 1 255 x",
        d,
        ErrorCategory::MalformedData,
        &["expected 3 samples, but only 2 bytes remain"],
    );
    // A limit of 0 refuses every image, after the dimensions parse.
    expect_decode_error(
        b"P2 1 1 255 0",
        limits(0),
        ErrorCategory::LimitExceeded,
        &["limit of 0"],
    );
}

// ---- the byte limit (legacy PnmDecodeLimits cases) --------------------------------------------

#[test]
fn small_file_declaring_a_huge_sixteen_bit_image_is_refused_before_its_raster() {
    // 21 bytes declaring 600 MB of samples (under the default pixel limit): refused for
    // its size by the first step, not as the truncated raster it also is.
    let expected = "PNM: image needs 600000000 bytes (10000x10000, 3 channels, 16-bit), over the \
                    536870912-byte limit (max_bytes)";
    let error = pnm::read_header(b"P6 10000 10000 65535\n", Limits::default()).unwrap_err();
    assert_eq!(error.category, ErrorCategory::LimitExceeded);
    assert_eq!(error.message, expected);
    expect_error(
        pnm::decode_into_u16(b"P6 10000 10000 65535\n", Limits::default(), &mut []),
        ErrorCategory::LimitExceeded,
        &[expected],
    );
    expect_decode_error(
        b"P3 10000 10000 65535 1 2 3",
        Limits::default(),
        ErrorCategory::LimitExceeded,
        &["600000000 bytes"],
    );
}

#[test]
fn custom_byte_limit_refuses_above_and_accepts_exactly_at_it() {
    expect_decode_error(
        b"P2 3 2 255 1 2 3 4 5 6",
        byte_limit(5),
        ErrorCategory::LimitExceeded,
        &["image needs 6 bytes (3x2, 1 channel, 8-bit), over the 5-byte limit (max_bytes)"],
    );
    for file in [&b"P2 3 2 255 1 2 3 4 5 6"[..], b"P5 3 2 255\nabcdef"] {
        match decode_with(file, byte_limit(6)) {
            Ok(Decoded::Eight(h, samples)) => {
                assert_eq!(h, header(3, 2, 1, Depth::Eight));
                assert_eq!(samples.len(), 6);
            }
            other => panic!("expected 6 samples, got {other:?}"),
        }
    }
}

#[test]
fn sixteen_bit_samples_count_two_bytes() {
    let file = [&b"P6 2 1 65535\n"[..], &[1; 12]].concat();
    expect_decode_error(
        &file,
        byte_limit(11),
        ErrorCategory::LimitExceeded,
        &["image needs 12 bytes (2x1, 3 channels, 16-bit)"],
    );
    assert_eq!(
        decode_with(&file, byte_limit(12)),
        Ok(Decoded::Sixteen(
            header(2, 1, 3, Depth::Sixteen),
            vec![0x0101; 6]
        ))
    );
}

#[test]
fn pixel_limit_and_maxval_are_judged_before_the_byte_limit() {
    let both = Limits {
        max_pixels: 5,
        max_bytes: 5,
    };
    expect_decode_error(
        b"P2 3 2 255 1 2 3 4 5 6",
        both,
        ErrorCategory::LimitExceeded,
        &["limit of 5 pixels"],
    );
    // The sample size is not known before maxval.
    expect_decode_error(
        b"P6 10000 10000 65536\n",
        Limits::default(),
        ErrorCategory::MalformedData,
        &["maxval 65536"],
    );
}

#[test]
fn size_beyond_64_bits_is_over_every_byte_limit() {
    expect_decode_error(
        b"P6 4294967295 4294967295 65535\n",
        Limits {
            max_bytes: u64::MAX,
            ..unlimited()
        },
        ErrorCategory::LimitExceeded,
        &["needs more than 18446744073709551615 bytes"],
    );
}

// ---- encoding (legacy PnmEncode cases) -----------------------------------------------------------

#[test]
fn writes_binary_gray_header_then_raw_bytes() {
    assert_eq!(
        pnm::encode_u8(&[0, 255], 2, 1, 1, false).unwrap(),
        b"P5\n2 1\n255\n\x00\xff"
    );
}

#[test]
fn writes_binary_rgb() {
    assert_eq!(
        pnm::encode_u8(&[1, 2, 3, 4, 5, 6], 1, 2, 3, false).unwrap(),
        b"P6\n1 2\n255\n\x01\x02\x03\x04\x05\x06"
    );
}

#[test]
fn writes_sixteen_bit_samples_big_endian_with_maxval_65535() {
    assert_eq!(
        pnm::encode_u16(&[0x1234, 0xabcd, 0x0001], 1, 1, 3, false).unwrap(),
        b"P6\n1 1\n65535\n\x12\x34\xab\xcd\x00\x01"
    );
    assert_eq!(
        pnm::encode_u16(&[0x0100, 0x00ff], 2, 1, 1, false).unwrap(),
        b"P5\n2 1\n65535\n\x01\x00\x00\xff"
    );
}

#[test]
fn writes_plain_text_one_image_row_per_line() {
    assert_eq!(
        pnm::encode_u8(&[0, 5, 10, 255], 2, 2, 1, true).unwrap(),
        b"P2\n2 2\n255\n0 5\n10 255\n"
    );
    assert_eq!(
        pnm::encode_u16(&[1, 65535, 300], 1, 1, 3, true).unwrap(),
        b"P3\n1 1\n65535\n1 65535 300\n"
    );
}

#[test]
fn encodes_into_a_buffer_of_the_stated_bound_the_same_bytes() {
    let eight: Vec<u8> = (0..7 * 5 * 3).map(|i| (i * 37 % 256) as u8).collect();
    let sixteen: Vec<u16> = (0..7 * 5 * 3).map(|i| (i * 4099 % 65536) as u16).collect();
    for plain in [false, true] {
        let bound = pnm::encoded_len_bound(7, 5, 3, plain, 1).unwrap();
        let mut dst = vec![0xaa; bound + 3];
        let written = pnm::encode_u8_into(&eight, 7, 5, 3, plain, &mut dst).unwrap();
        assert_eq!(
            &dst[..written],
            pnm::encode_u8(&eight, 7, 5, 3, plain).unwrap()
        );
        assert_eq!(
            &dst[written..],
            &vec![0xaa; bound + 3 - written][..],
            "wrote past the file"
        );

        let bound = pnm::encoded_len_bound(7, 5, 3, plain, 2).unwrap();
        let mut dst = vec![0u8; bound];
        let written = pnm::encode_u16_into(&sixteen, 7, 5, 3, plain, &mut dst).unwrap();
        assert_eq!(
            &dst[..written],
            pnm::encode_u16(&sixteen, 7, 5, 3, plain).unwrap()
        );
        if !plain {
            // Only the header's digits are not known from the shape.
            assert!(bound - written < 31, "{written} of {bound}");
        }
    }
}

#[test]
fn encoding_into_a_buffer_shorter_than_the_bound_is_refused_untouched() {
    let bound = pnm::encoded_len_bound(2, 1, 1, false, 1).unwrap();
    let mut dst = vec![7u8; bound - 1];
    let error = pnm::encode_u8_into(&[0, 255], 2, 1, 1, false, &mut dst).unwrap_err();
    assert_eq!(error.category, ErrorCategory::InvalidArgument);
    assert!(
        error.message.contains("the output holds"),
        "{}",
        error.message
    );
    assert!(dst.iter().all(|&b| b == 7));
    // The image itself is checked first, as the Vec-returning encoders do.
    let error = pnm::encode_u8_into(&[0; 8], 2, 1, 4, false, &mut [0; 64]).unwrap_err();
    assert_eq!(error.category, ErrorCategory::Unsupported);
    assert_eq!(pnm::encoded_len_bound(u32::MAX, u32::MAX, 4, true, 2), None);
}

/// The lengths of the lines of `text`, which must end with a newline.
fn line_lengths(text: &[u8]) -> Vec<usize> {
    assert_eq!(text.last(), Some(&b'\n'), "output must end with a newline");
    text[..text.len() - 1]
        .split(|&b| b == b'\n')
        .map(<[u8]>::len)
        .collect()
}

#[test]
fn wraps_plain_lines_at_seventy_characters() {
    let image = vec![65535u16; 40 * 2 * 3];
    let text = pnm::encode_u16(&image, 40, 2, 3, true).unwrap();
    let lengths = line_lengths(&text);
    // "65535" plus a space: 11 samples (65 characters) per line, 120 samples per row.
    assert_eq!(lengths.iter().max(), Some(&65));
    assert_eq!(lengths.len(), 3 + 2 * 11);
    assert_eq!(
        decode(&text).unwrap(),
        Decoded::Sixteen(header(40, 2, 3, Depth::Sixteen), image)
    );
}

#[test]
fn plain_lines_never_exceed_seventy_characters_and_fill_up_to_it() {
    // "255 " is 4 characters: 17 samples make 67, an 18th would make 71.
    let text = pnm::encode_u8(&[255; 40], 40, 1, 1, true).unwrap();
    assert_eq!(line_lengths(&text), [2, 4, 3, 67, 67, 23]);
    // One-digit samples: 35 of them make exactly 69; "0 " * 35 then a wrap.
    let text = pnm::encode_u8(&[0; 36], 36, 1, 1, true).unwrap();
    assert_eq!(line_lengths(&text), [2, 4, 3, 69, 1]);
    // Mixed widths: a line ends exactly at 70 characters when the next sample fits.
    let mut samples = vec![9u8; 34]; // 34 * 2 - 1 = 67 characters
    samples.push(99); // 67 + 1 + 2 = 70: still fits
    samples.push(1);
    let text = pnm::encode_u8(&samples, 36, 1, 1, true).unwrap();
    assert_eq!(line_lengths(&text), [2, 4, 3, 70, 1]);
    // Every row starts a new line, even a short one.
    let text = pnm::encode_u16(&patterned_u16(3 * 50 * 3), 50, 3, 3, true).unwrap();
    for len in line_lengths(&text) {
        assert!(len <= 70, "line of {len} characters");
    }
    assert_eq!(
        pnm::encode_u8(&[1, 2, 3], 1, 3, 1, true).unwrap(),
        b"P2\n1 3\n255\n1\n2\n3\n"
    );
}

#[test]
fn rgba_is_unsupported() {
    expect_error(
        pnm::encode_u8(&[0; 16], 2, 2, 4, false),
        ErrorCategory::Unsupported,
        &["4-channel"],
    );
    expect_error(
        pnm::encode_u16(&[0; 4], 1, 1, 4, true),
        ErrorCategory::Unsupported,
        &["4-channel"],
    );
}

#[test]
fn encoders_refuse_what_an_image_cannot_be() {
    let i = ErrorCategory::InvalidArgument;
    expect_error(pnm::encode_u8(&[], 0, 1, 1, false), i, &["0x1"]);
    expect_error(pnm::encode_u8(&[], 1, 0, 3, true), i, &["1x0"]);
    expect_error(
        pnm::encode_u16(&[0; 2], 1, 1, 2, false),
        i,
        &["channels", "got 2"],
    );
    expect_error(pnm::encode_u16(&[], 1, 1, 0, false), i, &["got 0"]);
    expect_error(
        pnm::encode_u8(&[0; 5], 2, 1, 3, false),
        i,
        &["5 samples", "has 6"],
    );
    expect_error(pnm::encode_u8(&[0; 7], 2, 1, 3, true), i, &["7 samples"]);
    // A wrong length is an argument error even for 4 channels.
    expect_error(pnm::encode_u16(&[0; 3], 1, 1, 4, false), i, &["3 samples"]);
}

// ---- round trips (legacy PnmRoundTrip cases) -------------------------------------------------

const ROUND_TRIP_GEOMETRIES: [(u32, u32, u32); 7] = [
    (1, 1, 1),
    (1, 1, 3),
    (7, 5, 1),
    (7, 5, 3),
    (1, 9, 3),
    (13, 1, 1),
    (64, 3, 3),
];

#[test]
fn eight_bit_images_survive_binary_and_plain_encoding() {
    for (w, h, c) in ROUND_TRIP_GEOMETRIES {
        for plain in [false, true] {
            let image = patterned_u8((w * h * c) as usize);
            let bytes = pnm::encode_u8(&image, w, h, c, plain).unwrap();
            assert_eq!(
                decode(&bytes).unwrap(),
                Decoded::Eight(header(w, h, c, Depth::Eight), image),
                "{w}x{h}x{c} plain={plain}"
            );
        }
    }
}

#[test]
fn sixteen_bit_images_survive_binary_and_plain_encoding() {
    for (w, h, c) in ROUND_TRIP_GEOMETRIES {
        for plain in [false, true] {
            let image = patterned_u16((w * h * c) as usize);
            let bytes = pnm::encode_u16(&image, w, h, c, plain).unwrap();
            assert_eq!(
                decode(&bytes).unwrap(),
                Decoded::Sixteen(header(w, h, c, Depth::Sixteen), image),
                "{w}x{h}x{c} plain={plain}"
            );
        }
    }
}

#[test]
fn every_sample_value_survives_a_round_trip() {
    let all8: Vec<u8> = (0..=255).collect();
    let all16: Vec<u16> = (0..=65535).collect();
    for plain in [false, true] {
        let bytes = pnm::encode_u8(&all8, 16, 16, 1, plain).unwrap();
        assert_eq!(
            decode(&bytes).unwrap(),
            Decoded::Eight(header(16, 16, 1, Depth::Eight), all8.clone())
        );
        let bytes = pnm::encode_u16(&all16, 256, 256, 1, plain).unwrap();
        assert_eq!(
            decode(&bytes).unwrap(),
            Decoded::Sixteen(header(256, 256, 1, Depth::Sixteen), all16.clone())
        );
    }
}

#[test]
fn a_large_binary_image_round_trips_exactly() {
    let (w, h) = (1001u32, 257u32);
    let image = patterned_u8((w * h * 3) as usize);
    let bytes = pnm::encode_u8(&image, w, h, 3, false).unwrap();
    assert_eq!(bytes.len(), "P6\n1001 257\n255\n".len() + image.len());
    let (got_header, got) = decode_8bit(&bytes);
    assert_eq!(got_header, header(w, h, 3, Depth::Eight));
    assert_eq!(got, image);
}
