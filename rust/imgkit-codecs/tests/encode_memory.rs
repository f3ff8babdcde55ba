//! What a PNG encode costs besides its input: the encoder's peak of live heap memory on
//! the test's own thread, as `allocation_counter` measures it (as in `decode_memory.rs`).
//!
//! The encoder filters and compresses row by row straight into the file, whose buffer is
//! reserved once at about the samples' size (growing it would hold two buffers at once);
//! besides that it holds a few rows, the deflate state and one `IDAT` chunk. A very
//! compressible image is compressed a second time while the first file, at most half the
//! samples' size, is kept. Neither a filtered copy of the image nor a separate zlib stream
//! is ever held.

mod png_support;

use imgkit_codecs::png;
use png_support::*;

/// How far live memory on this thread rose above its level at the start of `f`.
fn peak_above_start<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let mut result = None;
    let measured = allocation_counter::measure(|| result = Some(f()));
    let result = result.expect("measure runs its closure");
    (result, measured.bytes_max as usize)
}

/// The file's buffer (the samples' size and 1%), with half as much again when `twice`,
/// 1 MiB (the deflate state, the chunk being filled) and six rows (three for filtering,
/// two big-endian ones for 16-bit samples, and one to spare).
fn bound(sample_bytes: usize, row_bytes: usize, twice: bool) -> usize {
    let file = sample_bytes + sample_bytes / 100;
    file + if twice { file / 2 } else { 0 } + (1 << 20) + 6 * row_bytes
}

#[track_caller]
fn assert_encode_bounded(
    name: &str,
    (sample_bytes, row_bytes): (usize, usize),
    encode: impl FnOnce() -> Vec<u8>,
) {
    let (file, peak) = peak_above_start(encode);
    let twice = file.len() <= sample_bytes / 2;
    assert!(
        peak <= bound(sample_bytes, row_bytes, twice),
        "{name}: {sample_bytes} bytes of samples, a file of {}, held {peak} bytes",
        file.len()
    );
}

#[test]
fn an_encode_holds_one_file_buffer_and_a_few_rows() {
    let (width, height) = (1024u32, 768u32);
    let rgb = (width * height * 3) as usize;
    // Noise (a file the size of the samples), photo-like, smooth (compressed twice).
    let images = [
        ("noise", noise(rgb, 11)),
        ("photo-like", rgb_gradient(1024, 768, true)),
        ("smooth", rgb_gradient(1024, 768, false)),
    ];
    for (name, samples) in &images {
        assert_encode_bounded(name, (rgb, 1024 * 3), || {
            png::encode_u8(samples, width, height, 3).unwrap()
        });
    }
    // 16-bit samples are converted to big-endian a row at a time, not as a whole.
    let wide: Vec<u16> = images[1].1.iter().map(|&v| u16::from(v) * 257).collect();
    assert_encode_bounded("16-bit", (rgb * 2, 1024 * 6), || {
        png::encode_u16(&wide, width, height, 3).unwrap()
    });
    // One row of a million pixels: the rows of scratch are images of their own.
    let row = noise(1_000_000, 12);
    assert_encode_bounded("one long row", (row.len(), row.len()), || {
        png::encode_u8(&row, 1_000_000, 1, 1).unwrap()
    });
}
