//! A panic raised on a rayon worker thread, in the middle of a parallel kernel, reaches
//! the caller as a `Panic` status, and the pool keeps working afterwards.
//!
//! Its own test binary, so that it can give the global rayon pool two threads whatever
//! the machine (the kernel then runs its bands on the pool, not on the calling thread).

#![cfg(feature = "failpoints")]

use imgkit_failpoints::{point, Scenario};
use imgkit_ffi::entry::{gaussian_blur, ImageShape};
use imgkit_ffi::{configure_failpoint, remove_failpoint, StatusCode};

#[test]
fn a_band_panic_on_a_rayon_worker_is_a_panic_status() {
    // Fails only if the pool already exists, which nothing else in this binary makes.
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build_global()
        .expect("the global pool is not built yet");
    let _scenario = Scenario::setup();
    // Big enough for the parallel schedule (millions of multiply-adds).
    let shape = ImageShape {
        width: 1024,
        height: 768,
        channels: 3,
    };
    let src: Vec<u8> = (0..1024 * 768 * 3).map(|i| (i * 31 % 256) as u8).collect();
    let mut right = vec![0u8; src.len()];
    assert!(gaussian_blur(&shape, &src, 2.0, &mut right).is_ok());
    // The test thread is no worker: every band runs on the pool.
    assert_eq!(rayon::current_thread_index(), None);
    assert_eq!(rayon::current_num_threads(), 2);

    let status = configure_failpoint(point::KERNELS_BAND, "3*off->1*panic(band blew up)");
    assert!(status.is_ok(), "{}", status.message);
    let mut dst = vec![0u8; src.len()];
    let status = gaussian_blur(&shape, &src, 2.0, &mut dst);
    assert_eq!(status.code, StatusCode::Panic);
    assert_eq!(status.message, "gaussian_blur: Rust panic: band blew up");

    remove_failpoint(point::KERNELS_BAND);
    let status = gaussian_blur(&shape, &src, 2.0, &mut dst);
    assert!(status.is_ok(), "{}", status.message);
    assert_eq!(
        dst, right,
        "the pool survived and computes the right answer"
    );
}
