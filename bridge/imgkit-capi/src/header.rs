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

/// The functions the header declares: `imgkit_<name>(`.
fn declared() -> Vec<&'static str> {
    GENERATED
        .split("imgkit_")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split('(').next()?;
            let is_name = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            is_name.then_some(name)
        })
        .collect()
}

#[test]
fn every_component_is_exported_and_every_export_is_a_component() {
    // What is not a component: the library's own functions.
    const LIBRARY: [&str; 6] = [
        "version",
        "implementation",
        "status_message",
        "last_error",
        "image_release",
        "buffer_release",
    ];
    let declared = declared();
    for component in crate::call::COMPONENTS {
        assert!(
            declared.contains(&component),
            "imgkit_{component} is not exported"
        );
    }
    for name in declared {
        assert!(
            LIBRARY.contains(&name) || crate::call::COMPONENTS.contains(&name),
            "imgkit_{name} is exported but not in call::COMPONENTS (no failpoint declared for it)"
        );
    }
}
