//! Inputs found by fuzzing the decoders (fuzz/, ci/fuzz.sh), kept as regression cases,
//! byte for byte.
//!
//! The differential target found legacy's libpng allocating a buffer of a chunk's declared
//! length before reading it: a 40-byte file reserved 2 GiB, then failed as truncated (fixed
//! in `cpp/legacy/src/png.cpp`, tested in `tests/legacy/fuzz_regressions_test.cpp`). The
//! Rust decoder already agreed on the category; these cases hold it to that and to
//! allocating nothing near the claimed length. The test binary's allocator records the
//! largest allocation each thread makes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use imgkit_codecs::{png, ErrorCategory, Limits};

struct LargestAllocation;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to the system allocator; the bookkeeping
// only reads the requested size and touches a thread-local `Cell` (no allocation).
unsafe impl GlobalAlloc for LargestAllocation {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (every path above).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract, passed on as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn record(size: usize) {
    // `try_with`: the slot may be gone while the thread exits.
    let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(size)));
}

#[global_allocator]
static ALLOCATOR: LargestAllocation = LargestAllocation;

/// The largest single allocation `f` makes on this thread.
fn largest_allocation_of(f: impl FnOnce()) -> usize {
    LARGEST.with(|largest| largest.set(0));
    f();
    LARGEST.with(Cell::get)
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

/// Both steps reject `bytes` as malformed, and no allocation comes near the 1 GiB or more
/// the file claims.
fn assert_truncated_without_claimed_allocation(bytes: &[u8]) {
    let mut category = None;
    let largest = largest_allocation_of(|| category = decode_category(bytes, Limits::default()));
    assert_eq!(category, Some(ErrorCategory::MalformedData));
    assert!(
        largest < 1 << 20,
        "decoding a {}-byte file allocated {largest} bytes at once",
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
    let largest = largest_allocation_of(|| drop(std::hint::black_box(vec![1u8; 4 << 20])));
    assert!(largest >= 4 << 20, "saw {largest} bytes");
}
