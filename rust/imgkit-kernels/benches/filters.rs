//! Throughput of the filters, in pixels per second.
//!
//! `RAYON_NUM_THREADS=1 cargo bench -p imgkit-kernels` measures one core; without it the
//! large cases use the whole rayon pool (small ones stay on the calling thread).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use imgkit_kernels::{convolve, gaussian_blur, ImageView, ImageViewMut, Kernel};

// The same deterministic images the tests use, so every run filters the same input.
#[path = "../tests/common/mod.rs"]
mod common;

fn noise(len: usize) -> Vec<u8> {
    common::noise(len, 1)
}

fn bench_gaussian_blur(c: &mut Criterion) {
    let mut group = c.benchmark_group("gaussian_blur_sigma2_gray");
    for (width, height) in [(64, 64), (256, 256), (3840, 2160)] {
        let src = noise(width * height);
        let mut dst = vec![0u8; src.len()];
        group.throughput(Throughput::Elements((width * height) as u64));
        if width * height > 1 << 20 {
            group.sample_size(20);
        }
        group.bench_function(
            BenchmarkId::from_parameter(format!("{width}x{height}")),
            |b| {
                b.iter(|| {
                    let view = ImageView::new(&src, width, height, 1).unwrap();
                    let out = ImageViewMut::new(&mut dst, width, height, 1).unwrap();
                    gaussian_blur(view, black_box(2.0), out).unwrap();
                    black_box(&dst);
                })
            },
        );
    }
    group.finish();
}

fn bench_convolve(c: &mut Criterion) {
    let weights: Vec<f32> = (0..25).map(|i| (i as f32 - 12.0) / 100.0 + 0.04).collect();
    let kernel = Kernel {
        width: 5,
        height: 5,
        weights: &weights,
    };
    for (name, width, height, channels) in [
        ("convolve_5x5_rgb", 256, 256, 3),
        ("convolve_5x5_gray", 3840, 2160, 1),
    ] {
        let mut group = c.benchmark_group(name);
        let src = noise(width * height * channels);
        let mut dst = vec![0u8; src.len()];
        group.throughput(Throughput::Elements((width * height) as u64));
        if width * height > 1 << 20 {
            group.sample_size(20);
        }
        group.bench_function(
            BenchmarkId::from_parameter(format!("{width}x{height}")),
            |b| {
                b.iter(|| {
                    let view = ImageView::new(&src, width, height, channels).unwrap();
                    let out = ImageViewMut::new(&mut dst, width, height, channels).unwrap();
                    convolve(view, black_box(&kernel), out).unwrap();
                    black_box(&dst);
                })
            },
        );
        group.finish();
    }
}

criterion_group!(benches, bench_gaussian_blur, bench_convolve);
criterion_main!(benches);
