//! Codecs bridged to C++: PNM and PNG decoders (two-step: header, then decode into a
//! buffer C++ allocated) and encoders. Each mirrors the imgkit::legacy function of the
//! same name.

use std::ops::Not;

use imgkit_codecs::{png, pnm, CodecError, Depth, Limits};
use imgkit_failpoints::entry_point;

use crate::faults::at_entry;
use crate::status::ffi::ImageShape;
use crate::status::{guarded, BridgeError, KernelStatus};

#[cxx::bridge(namespace = "imgkit::ffi")]
mod ffi {
    // ---- Shared types -------------------------------------------------------------
    #[derive(Debug)]
    enum Codec {
        Pnm,
        Png,
    }

    /// `imgkit::DecodeLimits`, field for field (a static_assert in the C++ codec ports and the
    /// exhaustive conversion below keep the three definitions in step).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct DecodeLimits {
        max_pixels: u64,
        max_bytes: u64,
    }

    /// What a decoder's first step found: the image C++ allocates for the second.
    #[derive(Debug, Default)]
    struct DecodedHeader {
        width: u32,
        height: u32,
        channels: u32,
        sixteen_bit: bool,
    }

    // ---- Types defined by another bridge module ------------------------------------
    #[namespace = "imgkit::ffi"]
    extern "C++" {
        include!("imgkit_ffi_cxx/status.h");
        type KernelStatus = crate::status::ffi::KernelStatus;
        type ImageShape = crate::status::ffi::ImageShape;
    }

    // ---- Rust functions C++ may call -----------------------------------------------
    // The decode functions need the buffer the header asked for: header.width * height *
    // channels samples.
    extern "Rust" {
        fn read_header(
            codec: Codec,
            bytes: &[u8],
            limits: DecodeLimits,
            header: &mut DecodedHeader,
        ) -> KernelStatus;
        fn decode_u8(
            codec: Codec,
            bytes: &[u8],
            limits: DecodeLimits,
            dst: &mut [u8],
        ) -> KernelStatus;
        fn decode_u16(
            codec: Codec,
            bytes: &[u8],
            limits: DecodeLimits,
            dst: &mut [u16],
        ) -> KernelStatus;

        // imgkit_codecs::Limits::DEFAULT, so that C++ can hold it to DecodeLimits{}.
        fn default_decode_limits() -> DecodeLimits;

        // PNM, written straight into a buffer C++ owns (DESIGN invariant 7): `dst` holds
        // pnm_encoded_len_bound(...) bytes (0: more than fits in memory), `written`
        // receives the file's length. `plain` selects P2/P3.
        fn pnm_encoded_len_bound(shape: &ImageShape, sixteen_bit: bool, plain: bool) -> usize;
        fn encode_pnm_u8(
            shape: &ImageShape,
            src: &[u8],
            plain: bool,
            dst: &mut [u8],
            written: &mut usize,
        ) -> KernelStatus;
        fn encode_pnm_u16(
            shape: &ImageShape,
            src: &[u16],
            plain: bool,
            dst: &mut [u8],
            written: &mut usize,
        ) -> KernelStatus;

        // PNG, whose length is known only once compressed: `out` receives the file.
        fn encode_png_u8(shape: &ImageShape, src: &[u8], out: &mut Vec<u8>) -> KernelStatus;
        fn encode_png_u16(shape: &ImageShape, src: &[u16], out: &mut Vec<u8>) -> KernelStatus;
    }
}

pub use ffi::{Codec, DecodeLimits, DecodedHeader};

#[derive(Clone, Copy)]
enum Format {
    Pnm,
    Png,
}

impl Format {
    fn of(codec: ffi::Codec) -> Result<Self, BridgeError> {
        match codec {
            ffi::Codec::Pnm => Ok(Format::Pnm),
            ffi::Codec::Png => Ok(Format::Png),
            _ => Err(BridgeError::unknown_enum("codec", codec.repr)),
        }
    }

    /// The failpoint of this format's decoder (on the decode step).
    fn decode_point(self) -> &'static str {
        match self {
            Format::Pnm => entry_point!("decode_pnm"),
            Format::Png => entry_point!("decode_png"),
        }
    }
}

impl From<ffi::DecodeLimits> for Limits {
    fn from(limits: ffi::DecodeLimits) -> Self {
        // Exhaustive on both sides: a field added to either struct fails to compile here.
        let ffi::DecodeLimits {
            max_pixels,
            max_bytes,
        } = limits;
        Limits {
            max_pixels,
            max_bytes,
        }
    }
}

/// The Rust codecs' defaults, [`Limits::DEFAULT`]: C++ always passes its own limits, so
/// this exists to let a test hold the two languages' defaults equal. Cannot fail.
pub fn default_decode_limits() -> ffi::DecodeLimits {
    let Limits {
        max_pixels,
        max_bytes,
    } = Limits::DEFAULT;
    ffi::DecodeLimits {
        max_pixels,
        max_bytes,
    }
}

/// Mirrors the header checks of `imgkit::legacy::decode_pnm` / `decode_png`: the
/// geometry, the sample depth and the limits, before anything is allocated. No
/// failpoint: a decoder's fires on its decode step ([`decode_u8`], [`decode_u16`]).
pub fn read_header(
    codec: ffi::Codec,
    bytes: &[u8],
    limits: ffi::DecodeLimits,
    header: &mut ffi::DecodedHeader,
) -> KernelStatus {
    guarded("decode", || {
        let found = match Format::of(codec)? {
            Format::Pnm => pnm::read_header(bytes, limits.into())?,
            Format::Png => png::read_header(bytes, limits.into())?,
        };
        *header = ffi::DecodedHeader {
            width: found.width,
            height: found.height,
            channels: found.channels,
            sixteen_bit: found.depth == Depth::Sixteen,
        };
        Ok(())
    })
}

/// A decoder's second step: (file, limits, the caller's buffer).
type Decoder<S> = fn(&[u8], Limits, &mut [S]) -> Result<(), CodecError>;

/// The two decoders of one sample type, as `decode_u8` / `decode_u16` call them.
struct Decoders<S> {
    pnm: Decoder<S>,
    png: Decoder<S>,
}

fn decode<S: Copy + Not<Output = S>>(
    decoders: Decoders<S>,
    codec: ffi::Codec,
    bytes: &[u8],
    limits: ffi::DecodeLimits,
    dst: &mut [S],
) -> KernelStatus {
    guarded("decode", || {
        let format = Format::of(codec)?;
        let fault = at_entry(format.decode_point())?;
        let decoder = match format {
            Format::Pnm => decoders.pnm,
            Format::Png => decoders.png,
        };
        decoder(bytes, limits.into(), dst)?;
        fault.samples(dst);
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::decode_pnm` / `decode_png` for 8-bit images. Failpoints:
/// `imgkit::decode_pnm`, `imgkit::decode_png`.
pub fn decode_u8(
    codec: ffi::Codec,
    bytes: &[u8],
    limits: ffi::DecodeLimits,
    dst: &mut [u8],
) -> KernelStatus {
    let decoders = Decoders {
        pnm: pnm::decode_into_u8,
        png: png::decode_into_u8,
    };
    decode(decoders, codec, bytes, limits, dst)
}

/// Mirrors `imgkit::legacy::decode_pnm` / `decode_png` for 16-bit images. Failpoints as
/// [`decode_u8`].
pub fn decode_u16(
    codec: ffi::Codec,
    bytes: &[u8],
    limits: ffi::DecodeLimits,
    dst: &mut [u16],
) -> KernelStatus {
    let decoders = Decoders {
        pnm: pnm::decode_into_u16,
        png: png::decode_into_u16,
    };
    decode(decoders, codec, bytes, limits, dst)
}

/// The most bytes [`encode_pnm_u8`] / [`encode_pnm_u16`] write for this image (within 31
/// bytes of the file for a binary raster), or 0 when that is more than fits in memory.
/// Cannot fail.
pub fn pnm_encoded_len_bound(shape: &ImageShape, sixteen_bit: bool, plain: bool) -> usize {
    let ImageShape {
        width,
        height,
        channels,
    } = *shape;
    let sample_bytes = if sixteen_bit { 2 } else { 1 };
    pnm::encoded_len_bound(width, height, channels, plain, sample_bytes)
        .filter(|&bound| isize::try_from(bound).is_ok())
        .unwrap_or(0)
}

/// An encoder entry: the failpoint `point` (whose `return(corrupt)` inverts the samples
/// encoded), then `encode(samples, width, height, channels)`.
fn encode_entry<S: Copy + Not<Output = S>>(
    point: &'static str,
    shape: &ImageShape,
    src: &[S],
    encode: impl FnOnce(&[S], u32, u32, u32) -> Result<(), CodecError>,
) -> KernelStatus {
    guarded("encode", || {
        let ImageShape {
            width,
            height,
            channels,
        } = *shape;
        let src = at_entry(point)?.input(src);
        encode(&src, width, height, channels)?;
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::encode_pnm` for 8-bit images, writing into `dst` (see
/// [`pnm_encoded_len_bound`]). Failpoint: `imgkit::encode_pnm`.
pub fn encode_pnm_u8(
    shape: &ImageShape,
    src: &[u8],
    plain: bool,
    dst: &mut [u8],
    written: &mut usize,
) -> KernelStatus {
    encode_entry(entry_point!("encode_pnm"), shape, src, |s, w, h, c| {
        *written = pnm::encode_u8_into(s, w, h, c, plain, dst)?;
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::encode_pnm` for 16-bit images. Failpoint as
/// [`encode_pnm_u8`].
pub fn encode_pnm_u16(
    shape: &ImageShape,
    src: &[u16],
    plain: bool,
    dst: &mut [u8],
    written: &mut usize,
) -> KernelStatus {
    encode_entry(entry_point!("encode_pnm"), shape, src, |s, w, h, c| {
        *written = pnm::encode_u16_into(s, w, h, c, plain, dst)?;
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::encode_png` for 8-bit images (the file's length is known only
/// once compressed, so Rust returns it in `out`). Failpoint: `imgkit::encode_png`.
pub fn encode_png_u8(shape: &ImageShape, src: &[u8], out: &mut Vec<u8>) -> KernelStatus {
    encode_entry(entry_point!("encode_png"), shape, src, |s, w, h, c| {
        *out = png::encode_u8(s, w, h, c)?;
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::encode_png` for 16-bit images. Failpoint as [`encode_png_u8`].
pub fn encode_png_u16(shape: &ImageShape, src: &[u16], out: &mut Vec<u8>) -> KernelStatus {
    encode_entry(entry_point!("encode_png"), shape, src, |s, w, h, c| {
        *out = png::encode_u16(s, w, h, c)?;
        Ok(())
    })
}
