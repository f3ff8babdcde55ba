//! What one failpoint evaluation costs when the point itself is not configured, on one
//! thread and on two threads evaluating at once (time per call on each thread):
//!
//! * `baseline`: the same loop with no failpoint, to subtract;
//! * `gated_unarmed`: an imgkit point with nothing configured (one relaxed load);
//! * `fail_rs_unconfigured`: fail-rs's own `fail_point!` with nothing configured (its
//!   global `RwLock` and a map lookup on every call);
//! * `gated_armed`: an imgkit point while another point is configured (the gate is open,
//!   so the call pays fail-rs's lookup).
//!
//! `cargo bench -p imgkit-failpoints --features failpoints --bench gate`

use std::hint::black_box;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use imgkit_failpoints::{configure, declare_component, entry_point, injected, remove_all};

/// The entry points measured, as the program declares them.
const SOBEL: &str = entry_point!("sobel");
const FLIP: &str = entry_point!("flip");

/// `calls` evaluations of one kind of point; the value keeps the loop honest.
type Calls = fn(u64) -> u64;

fn baseline(calls: u64) -> u64 {
    let mut hits = 0;
    for _ in 0..calls {
        hits += u64::from(black_box(SOBEL).is_empty());
    }
    hits
}

fn gated(calls: u64) -> u64 {
    let mut hits = 0;
    for _ in 0..calls {
        hits += u64::from(injected(black_box(SOBEL)).is_some());
    }
    hits
}

fn fail_rs(calls: u64) -> u64 {
    fn entry() -> u64 {
        fail::fail_point!(black_box("bench::plain"), |_| 1);
        0
    }
    (0..calls).map(|_| entry()).sum()
}

/// The time of `calls` calls on each of `threads` threads started together: the slowest
/// thread's (criterion divides it by `calls`).
fn concurrently(threads: usize, run: Calls, calls: u64) -> Duration {
    let start = Barrier::new(threads);
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    let began = Instant::now();
                    black_box(run(calls));
                    began.elapsed()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a bench thread panicked"))
            .max()
            .unwrap_or_default()
    })
}

fn bench_gate(c: &mut Criterion) {
    for component in ["sobel", "flip"] {
        declare_component(component).expect("a component name");
    }
    let mut group = c.benchmark_group("failpoint_not_configured");
    let cases: [(&str, Calls, Option<&str>); 4] = [
        ("baseline", baseline, None),
        ("gated_unarmed", gated, None),
        ("fail_rs_unconfigured", fail_rs, None),
        ("gated_armed", gated, Some(FLIP)),
    ];
    for (name, run, other) in cases {
        remove_all();
        if let Some(other) = other {
            configure(other, "return").expect("a known point");
        }
        for threads in [1, 2] {
            group.bench_function(BenchmarkId::new(name, format!("{threads}t")), |b| {
                if threads == 1 {
                    b.iter_custom(|iters| {
                        let began = Instant::now();
                        black_box(run(iters));
                        began.elapsed()
                    })
                } else {
                    b.iter_custom(|iters| concurrently(threads, run, iters))
                }
            });
        }
    }
    remove_all();
    group.finish();
}

criterion_group!(benches, bench_gate);
criterion_main!(benches);
