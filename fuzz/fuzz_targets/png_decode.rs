//! The Rust PNG decoder on arbitrary bytes: header, then decode at both depths, with the
//! invariants of `imgkit_fuzz::check_decoder` (fuzz/src/lib.rs).
//!
//! Its mutator is libFuzzer's own followed, for seven mutations in eight, by
//! `imgkit_fuzz::fix_png_crcs`, so that mutated files get past the CRC checks.
#![no_main]

use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fuzz_target!(|data: &[u8]| imgkit_fuzz::check_decoder(&imgkit_fuzz::PNG, data));

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let size = libfuzzer_sys::fuzzer_mutate(data, size, max_size);
    if !seed.is_multiple_of(8) {
        imgkit_fuzz::fix_png_crcs(&mut data[..size]);
    }
    size
});
