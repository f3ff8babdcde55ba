//! Every Rust failpoint of imgkit, in one list: its name, where it fires and whether it
//! can make its caller return (see the crate docs for the actions).

/// The names of imgkit's Rust failpoints. C++ configures them by these names (through
/// `imgkit::bridge::configure_failpoint`); [`crate::configure`] rejects any other name.
pub mod point {
    // ---- Bridge entries (bridge/imgkit-ffi): one per component, evaluated with
    // `crate::injected` before the call does any work. `return` fails the call with
    // `InjectedFault`; `return(corrupt)` lets it succeed with a wrong answer.

    /// `decode_u8` / `decode_u16` of a PNM file (the decode step, after the header step).
    pub const DECODE_PNM: &str = "imgkit::decode_pnm";
    /// `decode_u8` / `decode_u16` of a PNG file (the decode step, after the header step).
    pub const DECODE_PNG: &str = "imgkit::decode_png";
    /// `encode_u8` / `encode_u16` to PNM.
    pub const ENCODE_PNM: &str = "imgkit::encode_pnm";
    /// `encode_u8` / `encode_u16` to PNG.
    pub const ENCODE_PNG: &str = "imgkit::encode_png";
    /// `convolve`.
    pub const CONVOLVE: &str = "imgkit::convolve";
    /// `gaussian_blur`.
    pub const GAUSSIAN_BLUR: &str = "imgkit::gaussian_blur";
    /// `box_blur`.
    pub const BOX_BLUR: &str = "imgkit::box_blur";
    /// `sobel`.
    pub const SOBEL: &str = "imgkit::sobel";
    /// `unsharp_mask`.
    pub const UNSHARP_MASK: &str = "imgkit::unsharp_mask";
    /// `resize` (not its size check, `check_resize_target`).
    pub const RESIZE: &str = "imgkit::resize";
    /// `flip`.
    pub const FLIP: &str = "imgkit::flip";
    /// `rotate90`.
    pub const ROTATE90: &str = "imgkit::rotate90";
    /// `to_grayscale`.
    pub const TO_GRAYSCALE: &str = "imgkit::to_grayscale";
    /// `histogram`.
    pub const HISTOGRAM: &str = "imgkit::histogram";
    /// `equalize`.
    pub const EQUALIZE: &str = "imgkit::equalize";
    /// `otsu_level`.
    pub const OTSU_LEVEL: &str = "imgkit::otsu_level";
    /// `otsu_threshold`.
    pub const OTSU_THRESHOLD: &str = "imgkit::otsu_threshold";

    // ---- Inside the kernels and codecs: plain points (no `return`), for panics and
    // stalls deep in the work, on whatever thread does it.

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

/// One failpoint: its name and whether its site can return a value (`return` actions).
pub(crate) struct Point {
    pub(crate) name: &'static str,
    pub(crate) returns: bool,
}

const fn entry(name: &'static str) -> Point {
    Point {
        name,
        returns: true,
    }
}

const fn plain(name: &'static str) -> Point {
    Point {
        name,
        returns: false,
    }
}

pub(crate) const POINTS: [Point; 20] = [
    entry(point::DECODE_PNM),
    entry(point::DECODE_PNG),
    entry(point::ENCODE_PNM),
    entry(point::ENCODE_PNG),
    entry(point::CONVOLVE),
    entry(point::GAUSSIAN_BLUR),
    entry(point::BOX_BLUR),
    entry(point::SOBEL),
    entry(point::UNSHARP_MASK),
    entry(point::RESIZE),
    entry(point::FLIP),
    entry(point::ROTATE90),
    entry(point::TO_GRAYSCALE),
    entry(point::HISTOGRAM),
    entry(point::EQUALIZE),
    entry(point::OTSU_LEVEL),
    entry(point::OTSU_THRESHOLD),
    plain(point::KERNELS_BAND),
    plain(point::PNG_ROWS),
    plain(point::PNM_SAMPLES),
];

/// [`POINTS`]' names, in the same order.
pub(crate) const NAMES: [&str; POINTS.len()] = {
    let mut names = [""; POINTS.len()];
    let mut i = 0;
    while i < POINTS.len() {
        names[i] = POINTS[i].name;
        i += 1;
    }
    names
};

/// The point called `name`, if there is one.
pub(crate) fn find(name: &str) -> Option<&'static Point> {
    POINTS.iter().find(|point| point.name == name)
}
