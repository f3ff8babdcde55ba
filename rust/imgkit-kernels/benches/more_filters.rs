//! Throughput of `box_blur`, `sobel` and `unsharp_mask`, in pixels per second, at
//! 256x256 and 3840x2160, RGB.
//!
//! `RAYON_NUM_THREADS=1 cargo bench -p imgkit-kernels --bench more_filters` measures one
//! core; without it the large cases use the whole rayon pool (small ones stay on the
//! calling thread).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use imgkit_kernels::{box_blur, sobel, unsharp_mask, ImageView, ImageViewMut, KernelError};

// The same deterministic images the tests use, so every run filters the same input.
#[path = "../tests/common/mod.rs"]
mod common;

const SIZES: [(usize, usize); 2] = [(256, 256), (3840, 2160)];
const CHANNELS: usize = 3;

/// Benchmarks `filter(src, dst)` on an RGB image of every size in [`SIZES`], with a
/// `dst` of `out_channels` channels.
fn bench_sizes(
    c: &mut Criterion,
    group_name: &str,
    out_channels: usize,
    filter: impl Fn(ImageView<'_>, ImageViewMut<'_>) -> Result<(), KernelError>,
) {
    let mut group = c.benchmark_group(group_name);
    for (width, height) in SIZES {
        let src = common::noise(width * height * CHANNELS, 1);
        let mut dst = vec![0u8; width * height * out_channels];
        group.throughput(Throughput::Elements((width * height) as u64));
        if width * height > 1 << 20 {
            group.sample_size(20);
        }
        group.bench_function(
            BenchmarkId::from_parameter(format!("{width}x{height}")),
            |b| {
                b.iter(|| {
                    let view = ImageView::new(&src, width, height, CHANNELS).unwrap();
                    let out = ImageViewMut::new(&mut dst, width, height, out_channels).unwrap();
                    filter(view, out).unwrap();
                    black_box(&dst);
                })
            },
        );
    }
    group.finish();
}

fn bench_box_blur(c: &mut Criterion) {
    for radius in [1u32, 10] {
        bench_sizes(
            c,
            &format!("box_blur_r{radius}_rgb"),
            CHANNELS,
            |src, dst| box_blur(src, black_box(radius), dst),
        );
    }
}

fn bench_sobel(c: &mut Criterion) {
    bench_sizes(c, "sobel_rgb", 1, sobel);
}

fn bench_unsharp_mask(c: &mut Criterion) {
    bench_sizes(c, "unsharp_mask_sigma2_rgb", CHANNELS, |src, dst| {
        unsharp_mask(src, black_box(2.0), black_box(1.5), dst)
    });
}

criterion_group!(benches, bench_box_blur, bench_sobel, bench_unsharp_mask);
criterion_main!(benches);
