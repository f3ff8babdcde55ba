//! The Rust PNM decoder on arbitrary bytes: header, then decode at both depths, with the
//! invariants of `imgkit_fuzz::check_decoder` (fuzz/src/lib.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imgkit_fuzz::check_decoder(&imgkit_fuzz::PNM, data));
