//! Codecs bridged to C++: PNM and PNG decoders (two-step: header, then decode into a
//! buffer C++ allocated) and encoders. Each mirrors the imgkit::legacy function of the
//! same name.

use fail::fail_point;
use imgkit_codecs::{png, pnm, CodecError, Depth, Limits};

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
    // `max_pixels` is imgkit::DecodeLimits::max_pixels. The decode functions need the
    // buffer the header asked for: header.width * height * channels samples.
    extern "Rust" {
        fn read_header(
            codec: Codec,
            bytes: &[u8],
            max_pixels: u64,
            header: &mut DecodedHeader,
        ) -> KernelStatus;
        fn decode_u8(codec: Codec, bytes: &[u8], max_pixels: u64, dst: &mut [u8]) -> KernelStatus;
        fn decode_u16(codec: Codec, bytes: &[u8], max_pixels: u64, dst: &mut [u16])
            -> KernelStatus;

        // `plain` selects PNM P2/P3 (ignored for PNG). `out` receives the file's bytes.
        fn encode_u8(
            codec: Codec,
            shape: &ImageShape,
            src: &[u8],
            plain: bool,
            out: &mut Vec<u8>,
        ) -> KernelStatus;
        fn encode_u16(
            codec: Codec,
            shape: &ImageShape,
            src: &[u16],
            plain: bool,
            out: &mut Vec<u8>,
        ) -> KernelStatus;
    }
}

pub use ffi::{Codec, DecodedHeader};

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
}

fn limits(max_pixels: u64) -> Limits {
    Limits { max_pixels }
}

/// Mirrors the header checks of `imgkit::legacy::decode_pnm` / `decode_png`: the
/// geometry, the sample depth and the pixel limit, before anything is allocated.
/// Failpoints: `imgkit::decode_pnm`, `imgkit::decode_png`.
pub fn read_header(
    codec: ffi::Codec,
    bytes: &[u8],
    max_pixels: u64,
    header: &mut ffi::DecodedHeader,
) -> KernelStatus {
    guarded("decode", || {
        let found = match Format::of(codec)? {
            Format::Pnm => {
                fail_point!("imgkit::decode_pnm", |arg| Err(BridgeError::injected(arg)));
                pnm::read_header(bytes, limits(max_pixels))?
            }
            Format::Png => {
                fail_point!("imgkit::decode_png", |arg| Err(BridgeError::injected(arg)));
                png::read_header(bytes, limits(max_pixels))?
            }
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

/// Mirrors `imgkit::legacy::decode_pnm` / `decode_png` for 8-bit images.
pub fn decode_u8(codec: ffi::Codec, bytes: &[u8], max_pixels: u64, dst: &mut [u8]) -> KernelStatus {
    guarded("decode", || {
        match Format::of(codec)? {
            Format::Pnm => pnm::decode_into_u8(bytes, limits(max_pixels), dst)?,
            Format::Png => png::decode_into_u8(bytes, limits(max_pixels), dst)?,
        }
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::decode_pnm` / `decode_png` for 16-bit images.
pub fn decode_u16(
    codec: ffi::Codec,
    bytes: &[u8],
    max_pixels: u64,
    dst: &mut [u16],
) -> KernelStatus {
    guarded("decode", || {
        match Format::of(codec)? {
            Format::Pnm => pnm::decode_into_u16(bytes, limits(max_pixels), dst)?,
            Format::Png => png::decode_into_u16(bytes, limits(max_pixels), dst)?,
        }
        Ok(())
    })
}

/// An encoder's result: the file's bytes.
type Encoded = Result<Vec<u8>, CodecError>;

/// The two encoders of one sample type, as `encode_u8` / `encode_u16` call them:
/// (samples, width, height, channels[, plain]).
struct Encoders<S> {
    pnm: fn(&[S], u32, u32, u32, bool) -> Encoded,
    png: fn(&[S], u32, u32, u32) -> Encoded,
}

fn encode<S>(
    encoders: Encoders<S>,
    codec: ffi::Codec,
    shape: &ImageShape,
    src: &[S],
    plain: bool,
    out: &mut Vec<u8>,
) -> KernelStatus {
    guarded("encode", || {
        let ImageShape {
            width,
            height,
            channels,
        } = *shape;
        *out = match Format::of(codec)? {
            Format::Pnm => {
                fail_point!("imgkit::encode_pnm", |arg| Err(BridgeError::injected(arg)));
                (encoders.pnm)(src, width, height, channels, plain)?
            }
            Format::Png => {
                fail_point!("imgkit::encode_png", |arg| Err(BridgeError::injected(arg)));
                (encoders.png)(src, width, height, channels)?
            }
        };
        Ok(())
    })
}

/// Mirrors `imgkit::legacy::encode_pnm` / `encode_png` for 8-bit images. Failpoints:
/// `imgkit::encode_pnm`, `imgkit::encode_png`.
pub fn encode_u8(
    codec: ffi::Codec,
    shape: &ImageShape,
    src: &[u8],
    plain: bool,
    out: &mut Vec<u8>,
) -> KernelStatus {
    let encoders = Encoders {
        pnm: pnm::encode_u8,
        png: png::encode_u8,
    };
    encode(encoders, codec, shape, src, plain, out)
}

/// Mirrors `imgkit::legacy::encode_pnm` / `encode_png` for 16-bit images. Failpoints as
/// [`encode_u8`].
pub fn encode_u16(
    codec: ffi::Codec,
    shape: &ImageShape,
    src: &[u16],
    plain: bool,
    out: &mut Vec<u8>,
) -> KernelStatus {
    let encoders = Encoders {
        pnm: pnm::encode_u16,
        png: png::encode_u16,
    };
    encode(encoders, codec, shape, src, plain, out)
}
