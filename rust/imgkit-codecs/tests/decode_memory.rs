//! What a decode costs besides its output: the decoders' peak of live heap memory on the
//! test's own thread, as `allocation_counter` measures it (no clock, no process-wide
//! counters; zlib allocates through Rust's allocator too, via flate2).
//!
//! `Limits::max_bytes` bounds the output, which the caller allocates before the second
//! step; these tests hold the decoders' own scratch to a few rows and a fixed amount, on
//! the shapes that once cost a multiple of the output: a hostile header (refused before
//! anything is allocated), a narrow image (a per-row table), a stream only the zlib
//! replay can decide (the whole filtered image), an interlaced image that needs
//! expanding (a raw frame of the image).

mod png_support;

use imgkit_codecs::{png, pnm, Depth, ErrorCategory, Header, Limits};
use png_support::*;

/// How far live memory on this thread rose above its level at the start of `f`.
fn peak_above_start<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let mut result = None;
    let measured = allocation_counter::measure(|| result = Some(f()));
    let result = result.expect("measure runs its closure");
    (result, measured.bytes_max as usize)
}

/// What a decode may hold besides its output: 1 MiB (the fast path's 256 KiB look-back
/// buffer, the replay's window, inflate state) and four output rows (the buffers grow
/// by about two rows for long rows; unfiltering and expansion take a row or two).
fn scratch_bound(header: &Header) -> usize {
    let row = header.width as usize * header.channels as usize * header.depth.bytes() as usize;
    (1 << 20) + 4 * row
}

/// Both steps, the output allocated between them as the bridge does; returns the samples
/// (widened) and the decoders' peak besides the output.
fn decode_measured(bytes: &[u8]) -> (Header, Vec<u16>, usize) {
    let header = png::read_header(bytes, Limits::default()).unwrap();
    let (samples, scratch) = match header.depth {
        Depth::Eight => {
            let mut out = vec![0u8; header.sample_count()];
            let (result, scratch) =
                peak_above_start(|| png::decode_into_u8(bytes, Limits::default(), &mut out));
            result.unwrap();
            (out.into_iter().map(u16::from).collect(), scratch)
        }
        Depth::Sixteen => {
            let mut out = vec![0u16; header.sample_count()];
            let (result, scratch) =
                peak_above_start(|| png::decode_into_u16(bytes, Limits::default(), &mut out));
            result.unwrap();
            (out, scratch)
        }
    };
    (header, samples, scratch)
}

#[track_caller]
fn assert_scratch_bounded(header: &Header, scratch: usize) {
    let output = header.sample_count() * header.depth.bytes() as usize;
    assert!(
        scratch <= scratch_bound(header),
        "a {}x{}x{} decode ({output} bytes of output) held {scratch} bytes besides",
        header.width,
        header.height,
        header.channels
    );
}

#[test]
fn a_hostile_header_is_refused_before_anything_is_allocated() {
    // 10000x10000 RGBA at 16 bits (800 MB) declared by 45 bytes of PNG, the image data
    // cut off 4 bytes in; and 600 MB declared by a 21-byte PNM header.
    let mut png_file = Spec::new(1, 1, 8, RGB, vec![vec![0, 0, 0]]).build();
    patch_ihdr_size(&mut png_file, 10_000, 10_000);
    patch_chunk_byte(&mut png_file, b"IHDR", 8, 16);
    patch_chunk_byte(&mut png_file, b"IHDR", 9, RGBA);
    png_file.truncate(find_chunk(&png_file, b"IDAT") + 8 + 4);
    let pnm_file = b"P6 10000 10000 65535\n";
    let (results, allocated) = peak_above_start(|| {
        [
            png::read_header(&png_file, Limits::default()).map(|_| ()),
            png::decode_into_u16(&png_file, Limits::default(), &mut []),
            pnm::read_header(pnm_file, Limits::default()).map(|_| ()),
            pnm::decode_into_u16(pnm_file, Limits::default(), &mut []),
        ]
    });
    for result in results {
        let error = result.unwrap_err();
        assert_eq!(
            error.category,
            ErrorCategory::LimitExceeded,
            "{}",
            error.message
        );
    }
    // The error messages, nothing more.
    assert!(allocated < 4096, "refusing allocated {allocated} bytes");
}

#[test]
fn a_narrow_image_costs_no_table_of_its_rows() {
    // 1 x 1,000,000 gray: 1 MB of output, 2 MB of filtered data.
    let height = 1_000_000;
    let rows: Vec<Vec<u8>> = (0..height).map(|y| vec![(y % 251) as u8]).collect();
    let file = Spec::new(1, height as u32, 8, GRAY, rows).build();
    let (header, samples, scratch) = decode_measured(&file);
    assert_eq!(samples.len(), height);
    assert_eq!(samples[height - 1], ((height - 1) % 251) as u16);
    assert_scratch_bounded(&header, scratch);
}

#[test]
fn the_zlib_replay_streams_rows() {
    // A zlib header declaring a 256-byte window sends every decode to the replay (zlib
    // would reject a longer look-back); stored blocks have none, so the file is valid.
    let (width, height) = (1024u32, 512u32);
    let rows = random_rows(width as usize, height as usize, 64, 7);
    let spec = Spec::new(width, height, 16, RGBA, rows.clone());
    let mut zlib = spec.zlib();
    zlib[..2].copy_from_slice(&[0x08, 0x1d]); // CINFO 0, FCHECK: 0x081d % 31 == 0
    let (header, samples, scratch) = decode_measured(&spec.build_with_zlib(&zlib));
    let expected: Vec<u16> = rows
        .concat()
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    assert!(samples == expected, "the replay decoded other samples");
    assert_scratch_bounded(&header, scratch);
}

#[test]
fn an_interlaced_image_that_needs_expanding_costs_no_frame() {
    // RGB with a tRNS colour: RGBA out, 4 MiB; its raw frame would be 3 MiB.
    let (width, height) = (1024u32, 1024u32);
    let mut spec = Spec::new(width, height, 8, RGB, random_rows(1024, 1024, 24, 3));
    spec.interlaced = true;
    spec.before_idat.push(chunk(b"tRNS", &[0, 1, 0, 2, 0, 3]));
    let (header, samples, scratch) = decode_measured(&spec.build());
    assert_eq!(header.channels, 4);
    let first_row: Vec<u16> = spec.rows[0][..6].iter().map(|&v| u16::from(v)).collect();
    assert_eq!(samples[..3], first_row[..3]);
    assert_eq!(samples[4..7], first_row[3..6]);
    assert_scratch_bounded(&header, scratch);
}
