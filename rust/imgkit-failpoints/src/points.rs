//! Every Rust failpoint of imgkit: the finer points inside the kernels and codecs, listed
//! here, and one at each bridge entry, `imgkit::<component>`, declared by the program that
//! routes the components (imgkit's C++ hands over its catalog when it installs the
//! failpoints), so that the component list stays the one place that names components.

use std::sync::Mutex;

use crate::lock;

/// The names of the finer failpoints, inside the kernels and codecs: plain points (no
/// `return`), for panics and stalls deep in the work, on whatever thread does it. C++
/// configures them by these names (through the bridge); the entry points are named by
/// [`entry_point!`](crate::entry_point).
pub mod point {
    /// imgkit-kernels: once per band of output rows of every banded kernel (filters,
    /// geometry, tone), so on rayon worker threads for big images.
    pub const KERNELS_BAND: &str = "imgkit::kernels::band";
    /// imgkit-codecs: once per PNG decode, as the row loop starts (after the header and
    /// the image data were checked, before the first row is written).
    pub const PNG_ROWS: &str = "imgkit::codecs::png_rows";
    /// imgkit-codecs: once per PNM decode, before the raster's samples are read into the
    /// caller's buffer.
    pub const PNM_SAMPLES: &str = "imgkit::codecs::pnm_samples";
}

/// The name of the failpoint at component `$component`'s bridge entry,
/// `imgkit::<component>`, as a `&'static str`: evaluated with [`injected`](crate::injected)
/// before the call does any work (`return` fails the call, `return(corrupt)` lets it
/// succeed with a wrong answer). It can be configured once the component is declared
/// ([`declare_component`](crate::declare_component)).
///
/// ```
/// assert_eq!(imgkit_failpoints::entry_point!("sobel"), "imgkit::sobel");
/// ```
#[macro_export]
macro_rules! entry_point {
    ($component:literal) => {
        concat!("imgkit::", $component)
    };
}

/// One failpoint: its name and whether its site can return a value (`return` actions).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Point {
    pub(crate) name: &'static str,
    pub(crate) returns: bool,
}

const FINER: [&str; 3] = [point::KERNELS_BAND, point::PNG_ROWS, point::PNM_SAMPLES];

/// The entry points of the components declared so far, in declaration order. Each name
/// is allocated once and kept for the process (fail-rs and the panic hook hold names as
/// `&'static str`): as many as the program has components.
static ENTRIES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// Declares the entry point of `component`, `imgkit::<component>`; declaring it again
/// changes nothing. A component is named as in the config file: lower-case letters,
/// digits and underscores, starting with a letter.
pub fn declare_component(component: &str) -> Result<(), String> {
    let mut chars = component.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(format!(
            "component {component:?}: not a component name (lower-case letters, digits and \
             underscores, starting with a letter)"
        ));
    }
    let name = format!("imgkit::{component}");
    let mut entries = lock(&ENTRIES);
    if !entries.iter().any(|entry| *entry == name) {
        entries.push(Box::leak(name.into_boxed_str()));
    }
    Ok(())
}

/// Every failpoint's name: the declared entry points, then the finer points.
pub(crate) fn names() -> Vec<&'static str> {
    let mut names = lock(&ENTRIES).clone();
    names.extend(FINER);
    names
}

/// The point called `name`, if there is one.
pub(crate) fn find(name: &str) -> Option<Point> {
    if let Some(&finer) = FINER.iter().find(|finer| **finer == name) {
        return Some(Point {
            name: finer,
            returns: false,
        });
    }
    lock(&ENTRIES)
        .iter()
        .find(|entry| **entry == name)
        .map(|&entry| Point {
            name: entry,
            returns: true,
        })
}
