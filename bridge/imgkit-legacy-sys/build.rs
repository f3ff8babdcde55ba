//! Generates the autocxx bindings to `cpp/legacy_shim.hpp` and compiles, with the `cc`
//! build autocxx hands back, the shim plus the legacy C++ it calls: the filters,
//! geometry and tone sources of `cpp/legacy`, `cpp/core`, and `cpp/failpoints` (legacy
//! fires a failpoint at every entry). The codecs are left out (png.cpp needs libpng).
//! No CMake build is involved, so `cargo test -p imgkit-legacy-sys` works from a plain
//! checkout.

use std::path::{Path, PathBuf};

const LEGACY_SOURCES: &[&str] = &[
    "cpp/legacy/src/convolve.cpp",
    "cpp/legacy/src/gaussian.cpp",
    "cpp/legacy/src/box_blur.cpp",
    "cpp/legacy/src/median_blur.cpp",
    "cpp/legacy/src/sobel.cpp",
    "cpp/legacy/src/unsharp_mask.cpp",
    "cpp/legacy/src/geometry.cpp",
    "cpp/legacy/src/tone.cpp",
    "cpp/core/src/error.cpp",
    "cpp/core/src/image.cpp",
    "cpp/failpoints/src/spec.cpp",
    "cpp/failpoints/src/registry.cpp",
    "cpp/failpoints/src/active_failpoint.cpp",
    "cpp/failpoints/src/blocking_limit.cpp",
];

/// Headers the sources include, watched as directories.
const INCLUDE_DIRS: &[&str] = &[
    "cpp/core/include",
    "cpp/legacy/include",
    "cpp/failpoints/include",
];

fn main() -> miette::Result<()> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let repo = crate_dir.join("../..");
    let shim_dir = crate_dir.join("cpp");
    let include_dirs: Vec<PathBuf> = std::iter::once(shim_dir.clone())
        .chain(INCLUDE_DIRS.iter().map(|dir| repo.join(dir)))
        .collect();

    let mut build = autocxx_build::Builder::new("src/lib.rs", &include_dirs)
        .extra_clang_args(&["-std=c++17"])
        .build()?;
    build
        .cpp(true)
        .std("c++17")
        .opt_level(2)
        // Legacy is compiled this way (cpp/legacy/CMakeLists.txt): its headers specify
        // each float sum's exact operations, and a fused multiply-add would round
        // differently from the Rust ports the tests compare it with.
        .flag("-ffp-contract=off")
        // The failpoints compiled out: fire() is constant "no fault". The differential
        // tests compare answers; fault injection has its own suites.
        .define("SWITCHYARD_FAILPOINTS", "0")
        // The legacy sources' private headers (failpoint.hpp, sampling.hpp) and the
        // failpoints' own.
        .include(repo.join("cpp/legacy/src"))
        .include(repo.join("cpp/failpoints/src"))
        .file(shim_dir.join("legacy_shim.cpp"))
        .files(LEGACY_SOURCES.iter().map(|source| repo.join(source)))
        .compile("imgkit_legacy_sys");

    rerun_if_changed(&crate_dir.join("src/lib.rs"));
    rerun_if_changed(&shim_dir);
    for dir in INCLUDE_DIRS
        .iter()
        .chain(&["cpp/legacy/src", "cpp/core/src", "cpp/failpoints/src"])
    {
        rerun_if_changed(&repo.join(dir));
    }
    Ok(())
}

/// Cargo watches a directory's whole tree (by modification time of its files).
fn rerun_if_changed(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
}
