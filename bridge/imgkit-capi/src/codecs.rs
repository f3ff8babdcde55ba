//! Codecs: the decoders allocate the image they return (`imgkit_image_release` frees
//! it), the encoders the bytes (`imgkit_buffer_release`). Decoders apply imgkit's default
//! limits: 100 megapixels and 512 MiB of decoded samples (IMGKIT_ERR_LIMIT_EXCEEDED,
//! judged from the header, before anything of the image's size is allocated).

use std::ffi::c_int;

use imgkit_codecs::{png, pnm, CodecError, Depth, Header, Limits};
use imgkit_failpoints::entry_point;

use crate::args;
use crate::call::{entry, guarded, Failure};
use crate::{imgkit_buffer, imgkit_image};

/// A decoded image and the samples its `data` points into; `image` comes first, so a
/// pointer to it is a pointer to the whole (`repr(C)`).
#[repr(C)]
struct OwnedImage {
    image: imgkit_image,
    samples: Samples,
}

enum Samples {
    Eight(Vec<u8>),
    Sixteen(Vec<u16>),
}

/// Encoded bytes and the `Vec` holding them, laid out as [`OwnedImage`].
#[repr(C)]
struct OwnedBuffer {
    buffer: imgkit_buffer,
    bytes: Vec<u8>,
}

type HeaderReader = fn(&[u8], Limits) -> Result<Header, CodecError>;
type Into8 = fn(&[u8], Limits, &mut [u8]) -> Result<(), CodecError>;
type Into16 = fn(&[u8], Limits, &mut [u16]) -> Result<(), CodecError>;

struct Decoder {
    point: &'static str,
    header: HeaderReader,
    into_u8: Into8,
    into_u16: Into16,
}

fn decode_samples(decoder: &Decoder, bytes: &[u8]) -> Result<OwnedImage, Failure> {
    let limits = Limits::DEFAULT;
    let header = (decoder.header)(bytes, limits)?;
    entry(decoder.point)?;
    let count = header.sample_count();
    let (mut samples, bits) = match header.depth {
        Depth::Eight => {
            let mut samples = vec![0u8; count];
            (decoder.into_u8)(bytes, limits, &mut samples)?;
            (Samples::Eight(samples), 8)
        }
        Depth::Sixteen => {
            let mut samples = vec![0u16; count];
            (decoder.into_u16)(bytes, limits, &mut samples)?;
            (Samples::Sixteen(samples), 16)
        }
    };
    let (data, len) = match &mut samples {
        Samples::Eight(s) => (s.as_mut_ptr(), s.len()),
        Samples::Sixteen(s) => (s.as_mut_ptr().cast::<u8>(), s.len() * 2),
    };
    Ok(OwnedImage {
        image: imgkit_image {
            data,
            len,
            width: header.width,
            height: header.height,
            channels: header.channels,
            bits_per_sample: bits,
        },
        samples,
    })
}

/// # Safety
///
/// As the exports' contract: `data` holds `len` bytes, `out` is writable.
unsafe fn decode(
    decoder: Decoder,
    data: *const u8,
    len: usize,
    out: *mut *mut imgkit_image,
) -> c_int {
    let name = decoder.point.trim_start_matches("imgkit::");
    guarded(name, || {
        args::non_null(&[("data", data.cast()), ("out", out.cast_const().cast())])?;
        // SAFETY: `out` is non-null and writable by the header's contract.
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: non-null, `len` readable bytes by the header's contract.
        let bytes = unsafe { args::bytes(data, len) };
        let owned = Box::new(decode_samples(&decoder, bytes)?);
        // SAFETY: as above; the image is handed over to the caller.
        unsafe { out.write(Box::into_raw(owned).cast::<imgkit_image>()) };
        Ok(())
    })
}

/// Decodes a PNG file (every colour type and bit depth; 16-bit files give 16-bit
/// samples, palette images RGB or RGBA) into a new image, `*out`, which the caller
/// releases with `imgkit_image_release`. On failure `*out` is NULL. Empty input is
/// IMGKIT_ERR_INVALID_ARGUMENT; a corrupt or truncated file IMGKIT_ERR_MALFORMED_DATA.
///
/// # Safety
///
/// `data` points to `len` bytes; `out` to a writable `imgkit_image *`.
#[no_mangle]
pub unsafe extern "C" fn imgkit_decode_png(
    data: *const u8,
    len: usize,
    out: *mut *mut imgkit_image,
) -> c_int {
    let decoder = Decoder {
        point: entry_point!("decode_png"),
        header: png::read_header,
        into_u8: png::decode_into_u8,
        into_u16: png::decode_into_u16,
    };
    // SAFETY: the caller's contract, passed on.
    unsafe { decode(decoder, data, len, out) }
}

/// Decodes a PNM file (P1-P6, maxval up to 65535: over 255 gives 16-bit samples) into a
/// new image, as `imgkit_decode_png`.
///
/// # Safety
///
/// `data` points to `len` bytes; `out` to a writable `imgkit_image *`.
#[no_mangle]
pub unsafe extern "C" fn imgkit_decode_pnm(
    data: *const u8,
    len: usize,
    out: *mut *mut imgkit_image,
) -> c_int {
    let decoder = Decoder {
        point: entry_point!("decode_pnm"),
        header: pnm::read_header,
        into_u8: pnm::decode_into_u8,
        into_u16: pnm::decode_into_u16,
    };
    // SAFETY: the caller's contract, passed on.
    unsafe { decode(decoder, data, len, out) }
}

/// Frees an image a decoder returned; NULL is a no-op.
///
/// # Safety
///
/// `image` is NULL or was returned by this library's decoder and not released yet.
#[no_mangle]
pub unsafe extern "C" fn imgkit_image_release(image: *mut imgkit_image) {
    if !image.is_null() {
        // SAFETY: `image` came from Box::into_raw of an OwnedImage, whose first field it
        // is (repr(C)); it is released once (the caller's contract).
        drop(unsafe { Box::from_raw(image.cast::<OwnedImage>()) });
    }
}

/// Frees bytes an encoder returned; NULL is a no-op.
///
/// # Safety
///
/// `buffer` is NULL or was returned by this library's encoder and not released yet.
#[no_mangle]
pub unsafe extern "C" fn imgkit_buffer_release(buffer: *mut imgkit_buffer) {
    if !buffer.is_null() {
        // SAFETY: as in imgkit_image_release, for an OwnedBuffer.
        drop(unsafe { Box::from_raw(buffer.cast::<OwnedBuffer>()) });
    }
}

/// The caller's image, checked: the samples of an 8-bit or a 16-bit image.
enum Borrowed<'a> {
    Eight(&'a [u8]),
    Sixteen(&'a [u16]),
}

/// # Safety
///
/// `image` is non-null and its `data` points to `len` readable bytes.
unsafe fn borrow_image<'a>(image: &imgkit_image) -> Result<Borrowed<'a>, Failure> {
    args::non_null(&[("image->data", image.data.cast_const().cast())])?;
    let samples = args::samples(image.width, image.height, image.channels)?;
    let sample_bytes = match image.bits_per_sample {
        8 => 1,
        16 => 2,
        bits => {
            return Err(Failure::invalid(format!(
                "bits_per_sample must be 8 or 16, got {bits}"
            )))
        }
    };
    let expected = args::product(&[samples, sample_bytes])
        .ok_or_else(|| Failure::limit("the image is too large"))?;
    if image.len != expected {
        return Err(Failure::invalid(format!(
            "image->len is {}, a {}x{}x{} image of {} bits needs {expected}",
            image.len, image.width, image.height, image.channels, image.bits_per_sample
        )));
    }
    if sample_bytes == 1 {
        // SAFETY: `len` readable bytes at a non-null `data` (the caller's contract).
        return Ok(Borrowed::Eight(unsafe {
            args::bytes(image.data, image.len)
        }));
    }
    args::aligned::<u16>(image.data, "image->data")?;
    // SAFETY: as above, and aligned for u16 (checked).
    let samples = unsafe { std::slice::from_raw_parts(image.data.cast::<u16>(), samples) };
    Ok(Borrowed::Sixteen(samples))
}

/// # Safety
///
/// As the exports' contract.
unsafe fn encode(
    name: &str,
    point: &'static str,
    image: *const imgkit_image,
    out: *mut *mut imgkit_buffer,
    encoder: impl FnOnce(&imgkit_image, Borrowed<'_>) -> Result<Vec<u8>, CodecError>,
) -> c_int {
    guarded(name, || {
        args::non_null(&[("image", image.cast()), ("out", out.cast_const().cast())])?;
        // SAFETY: `out` is non-null and writable by the header's contract.
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: `image` is non-null and readable by the header's contract.
        let image = unsafe { &*image };
        // SAFETY: the header's contract on `image->data`.
        let samples = unsafe { borrow_image(image) }?;
        entry(point)?;
        let mut bytes = encoder(image, samples)?;
        let buffer = imgkit_buffer {
            data: bytes.as_mut_ptr(),
            len: bytes.len(),
        };
        let owned = Box::new(OwnedBuffer { buffer, bytes });
        // SAFETY: as above; the bytes are handed over to the caller.
        unsafe { out.write(Box::into_raw(owned).cast::<imgkit_buffer>()) };
        Ok(())
    })
}

/// Encodes an 8- or 16-bit image as PNG (non-interlaced, deflate compressed) into new
/// bytes, `*out`, which the caller releases with `imgkit_buffer_release`. On failure
/// `*out` is NULL. The compressed bytes may differ between the two libraries; the
/// decoded samples do not.
///
/// # Safety
///
/// `image` points to an image whose `data` holds `len` bytes; `out` to a writable
/// `imgkit_buffer *`.
#[no_mangle]
pub unsafe extern "C" fn imgkit_encode_png(
    image: *const imgkit_image,
    out: *mut *mut imgkit_buffer,
) -> c_int {
    let encoder = |image: &imgkit_image, samples: Borrowed<'_>| {
        let (w, h, c) = (image.width, image.height, image.channels);
        match samples {
            Borrowed::Eight(s) => png::encode_u8(s, w, h, c),
            Borrowed::Sixteen(s) => png::encode_u16(s, w, h, c),
        }
    };
    // SAFETY: the caller's contract, passed on.
    unsafe {
        encode(
            "encode_png",
            entry_point!("encode_png"),
            image,
            out,
            encoder,
        )
    }
}

/// Encodes an 8- or 16-bit gray or RGB image as binary PNM (P5/P6), or plain text
/// (P2/P3) when `plain`; 4 channels are IMGKIT_ERR_UNSUPPORTED (PNM has no alpha). New
/// bytes in `*out`, as `imgkit_encode_png`; both libraries write the same bytes.
///
/// # Safety
///
/// As `imgkit_encode_png`.
#[no_mangle]
pub unsafe extern "C" fn imgkit_encode_pnm(
    image: *const imgkit_image,
    plain: bool,
    out: *mut *mut imgkit_buffer,
) -> c_int {
    let encoder = |image: &imgkit_image, samples: Borrowed<'_>| {
        let (w, h, c) = (image.width, image.height, image.channels);
        match samples {
            Borrowed::Eight(s) => pnm::encode_u8(s, w, h, c, plain),
            Borrowed::Sixteen(s) => pnm::encode_u16(s, w, h, c, plain),
        }
    };
    // SAFETY: the caller's contract, passed on.
    unsafe {
        encode(
            "encode_pnm",
            entry_point!("encode_pnm"),
            image,
            out,
            encoder,
        )
    }
}
