//! Generates `imgkit.h` from this crate's exports with cbindgen, into `OUT_DIR`. The
//! committed copy, `include/imgkit.h`, is what C callers and the C++ `libimgkit.so`
//! include; the test `header::committed_header_is_current` fails when the two differ
//! (`IMGKIT_BLESS=1 cargo test -p imgkit-capi header` rewrites the committed one).
//!
//! Also names the shared library's SONAME, `libimgkit_rs.so.0`.

use std::env;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("imgkit.h");
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("bridge/imgkit-capi/cbindgen.toml parses");
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates imgkit.h")
        .write_to_file(&out);

    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libimgkit_rs.so.0");
    }
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src");
}
