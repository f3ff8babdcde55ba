//! The parallel schedule must give exactly the sequential result: bands are computed
//! independently, with the same arithmetic, wherever they run.

use super::convolve::convolve_scheduled;
use super::gaussian::gaussian_blur_scheduled;
use super::{gaussian_weights, Kernel};
use crate::bands::Schedule;
use crate::image::{ImageView, ImageViewMut};
use crate::test_support::{four_thread_pool, noise};

/// Width, height, channels: every channel count, and heights that are not a multiple of
/// the vertical pass's row groups or of the band height.
const SHAPES: [(usize, usize, usize); 3] = [(1000, 700, 3), (517, 301, 1), (64, 999, 4)];

/// Runs `filter` under `schedule` on a four-thread pool, so that the parallel schedule
/// really splits the work even on a one-core machine.
fn run(
    schedule: Schedule,
    (width, height, channels): (usize, usize, usize),
    filter: impl Fn(Schedule, ImageViewMut<'_>) + Send + Sync,
) -> Vec<u8> {
    let pool = four_thread_pool();
    let mut dst = vec![0u8; width * height * channels];
    pool.install(|| {
        filter(
            schedule,
            ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
        )
    });
    dst
}

fn assert_same(sequential: &[u8], parallel: &[u8], case: &str) {
    let differing = sequential
        .iter()
        .zip(parallel)
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(
        differing, 0,
        "{case}: {differing} samples differ between the schedules"
    );
}

#[test]
fn parallel_gaussian_equals_sequential_sample_for_sample() {
    for shape @ (width, height, channels) in SHAPES {
        let src = noise(width * height * channels, 0x853c_49e6_748f_ea9b);
        let view = ImageView::new(&src, width, height, channels).unwrap();
        for sigma in [0.6, 2.0, 5.0] {
            let weights = gaussian_weights(sigma);
            let filter = |schedule, dst: ImageViewMut<'_>| {
                gaussian_blur_scheduled(schedule, view, &weights, dst)
            };
            let sequential = run(Schedule::Sequential, shape, filter);
            let parallel = run(Schedule::Parallel, shape, filter);
            let case = format!("{width}x{height}x{channels}, sigma {sigma}");
            assert_ne!(sequential, src, "{case}: the blur did nothing");
            assert_same(&sequential, &parallel, &case);
        }
    }
}

#[test]
fn parallel_convolve_equals_sequential_sample_for_sample() {
    for shape @ (width, height, channels) in SHAPES {
        let src = noise(width * height * channels, 0x853c_49e6_748f_ea9b);
        let view = ImageView::new(&src, width, height, channels).unwrap();
        for (kernel_width, kernel_height) in [(5, 5), (3, 31)] {
            let weights: Vec<f32> = (0..kernel_width * kernel_height)
                .map(|i| ((i * 37 % 17) as f32 - 6.0) / 40.0)
                .collect();
            let kernel = Kernel {
                width: kernel_width,
                height: kernel_height,
                weights: &weights,
            };
            let filter =
                |schedule, dst: ImageViewMut<'_>| convolve_scheduled(schedule, view, &kernel, dst);
            let sequential = run(Schedule::Sequential, shape, filter);
            let parallel = run(Schedule::Parallel, shape, filter);
            let case =
                format!("{width}x{height}x{channels}, kernel {kernel_width}x{kernel_height}");
            assert_ne!(sequential, src, "{case}: the kernel did nothing");
            assert_same(&sequential, &parallel, &case);
        }
    }
}
