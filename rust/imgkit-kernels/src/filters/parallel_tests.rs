//! The parallel schedule must give exactly the sequential result: bands are computed
//! independently, with the same arithmetic, wherever they run.

use super::convolve::convolve_scheduled;
use super::gaussian::gaussian_blur_scheduled;
use super::{gaussian_weights, Kernel, Schedule};
use crate::image::{ImageView, ImageViewMut};

const WIDTH: usize = 1000;
const HEIGHT: usize = 700;
const CHANNELS: usize = 3;

fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x853c_49e6_748f_ea9bu64;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}

/// Runs `filter` under `schedule` on a four-thread pool, so that the parallel schedule
/// really splits the work even on a one-core machine.
fn run(schedule: Schedule, filter: impl Fn(Schedule, ImageViewMut<'_>) + Send + Sync) -> Vec<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let mut dst = vec![0u8; WIDTH * HEIGHT * CHANNELS];
    pool.install(|| {
        filter(
            schedule,
            ImageViewMut::new(&mut dst, WIDTH, HEIGHT, CHANNELS).unwrap(),
        )
    });
    dst
}

fn assert_same(sequential: &[u8], parallel: &[u8]) {
    let differing = sequential
        .iter()
        .zip(parallel)
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(
        differing, 0,
        "{differing} samples differ between the schedules"
    );
}

#[test]
fn parallel_gaussian_equals_sequential_sample_for_sample() {
    let src = noise(WIDTH * HEIGHT * CHANNELS);
    let view = ImageView::new(&src, WIDTH, HEIGHT, CHANNELS).unwrap();
    for sigma in [0.6, 2.0, 5.0] {
        let weights = gaussian_weights(sigma);
        let filter = |schedule, dst: ImageViewMut<'_>| {
            gaussian_blur_scheduled(schedule, view, &weights, dst)
        };
        let sequential = run(Schedule::Sequential, filter);
        let parallel = run(Schedule::Parallel, filter);
        assert_ne!(sequential, src, "sigma {sigma}: the blur did nothing");
        assert_same(&sequential, &parallel);
    }
}

#[test]
fn parallel_convolve_equals_sequential_sample_for_sample() {
    let src = noise(WIDTH * HEIGHT * CHANNELS);
    let view = ImageView::new(&src, WIDTH, HEIGHT, CHANNELS).unwrap();
    for (width, height) in [(5, 5), (3, 31)] {
        let weights: Vec<f32> = (0..width * height)
            .map(|i| ((i * 37 % 17) as f32 - 6.0) / 40.0)
            .collect();
        let kernel = Kernel {
            width,
            height,
            weights: &weights,
        };
        let filter =
            |schedule, dst: ImageViewMut<'_>| convolve_scheduled(schedule, view, &kernel, dst);
        let sequential = run(Schedule::Sequential, filter);
        let parallel = run(Schedule::Parallel, filter);
        assert_ne!(sequential, src, "{width}x{height}: the kernel did nothing");
        assert_same(&sequential, &parallel);
    }
}
