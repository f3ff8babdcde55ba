//! The committed header is the one cbindgen generates from these sources: C callers and
//! the C++ library include the committed copy, so a stale one would let the two
//! libraries drift from this crate.

const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/imgkit.h"));
const COMMITTED: &str = include_str!("../include/imgkit.h");

#[test]
fn committed_header_is_current() {
    if GENERATED == COMMITTED {
        return;
    }
    if std::env::var_os("IMGKIT_BLESS").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/imgkit.h");
        std::fs::write(path, GENERATED).expect("write include/imgkit.h");
        return;
    }
    let line = GENERATED
        .lines()
        .zip(COMMITTED.lines())
        .position(|(generated, committed)| generated != committed)
        .map_or_else(|| "the end".to_owned(), |i| format!("line {}", i + 1));
    panic!(
        "bridge/imgkit-capi/include/imgkit.h is stale (differs from cbindgen's output from \
         {line}); regenerate it: IMGKIT_BLESS=1 cargo test -p imgkit-capi header"
    );
}
