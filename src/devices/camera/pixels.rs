//! Camera pixel formats → grey images. Barcodes only need luminance, so YUV formats give their
//! Y plane directly and only MJPEG needs a real decoder (the `image` crate's JPEG decoder).
//!
//! ```
//! use packbench::devices::camera::{PixelFormat, to_gray};
//! // 2×1 YUYV: Y0 U Y1 V.
//! let gray = to_gray(PixelFormat::Yuyv, 2, 1, &[10, 128, 200, 128]).unwrap();
//! assert_eq!(gray.as_raw(), &[10, 200]);
//! ```

use image::GrayImage;

/// How a camera delivers its pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PixelFormat {
    /// Motion JPEG: every frame is a JPEG file.
    Mjpeg,
    /// Packed 4:2:2 YUV (`Y0 U Y1 V`), the usual uncompressed webcam format.
    Yuyv,
    /// Planar 4:2:0: a full Y plane followed by interleaved UV.
    Nv12,
    /// 8-bit grey.
    Gray,
    /// 8-bit RGB.
    Rgb,
    /// 8-bit BGR.
    Bgr,
}

/// A frame's bytes do not match its format and size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PixelError {
    /// Fewer bytes than the format needs for the size.
    #[error("{format:?} frame of {width}×{height} needs {needed} bytes, got {got}")]
    TooShort {
        /// The format.
        format: PixelFormat,
        /// Frame width.
        width: u32,
        /// Frame height.
        height: u32,
        /// Bytes needed.
        needed: usize,
        /// Bytes received.
        got: usize,
    },
    /// An MJPEG frame is not a readable JPEG.
    #[error("MJPEG frame is not a readable JPEG: {0}")]
    Jpeg(String),
}

/// Converts one frame of `format` and size `width`×`height` to grey.
pub fn to_gray(
    format: PixelFormat,
    width: u32,
    height: u32,
    bytes: &[u8],
) -> Result<GrayImage, PixelError> {
    let pixels = width as usize * height as usize;
    let needed = match format {
        PixelFormat::Mjpeg => 0,
        PixelFormat::Gray | PixelFormat::Nv12 => pixels,
        PixelFormat::Yuyv => pixels * 2,
        PixelFormat::Rgb | PixelFormat::Bgr => pixels * 3,
    };
    if bytes.len() < needed {
        return Err(PixelError::TooShort {
            format,
            width,
            height,
            needed,
            got: bytes.len(),
        });
    }
    let short = || PixelError::TooShort {
        format,
        width,
        height,
        needed,
        got: bytes.len(),
    };
    let luma: Vec<u8> = match format {
        PixelFormat::Mjpeg => {
            return image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
                .map(|img| img.to_luma8())
                .map_err(|err| PixelError::Jpeg(err.to_string()));
        }
        PixelFormat::Gray | PixelFormat::Nv12 => bytes[..pixels].to_vec(),
        PixelFormat::Yuyv => bytes[..needed].iter().step_by(2).copied().collect(),
        PixelFormat::Rgb => bytes[..needed]
            .chunks_exact(3)
            .map(|p| luma_of(p[0], p[1], p[2]))
            .collect(),
        PixelFormat::Bgr => bytes[..needed]
            .chunks_exact(3)
            .map(|p| luma_of(p[2], p[1], p[0]))
            .collect(),
    };
    GrayImage::from_raw(width, height, luma).ok_or_else(short)
}

/// ITU-R BT.601 luma in integer arithmetic.
fn luma_of(r: u8, g: u8, b: u8) -> u8 {
    let y = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b) + 500) / 1000;
    u8::try_from(y).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuv_formats_keep_the_luma_plane() {
        let yuyv = [1, 9, 2, 9, 3, 9, 4, 9];
        let gray = to_gray(PixelFormat::Yuyv, 2, 2, &yuyv).expect("yuyv");
        assert_eq!(gray.as_raw(), &[1, 2, 3, 4]);
        let nv12 = [5, 6, 7, 8, 128, 128];
        let gray = to_gray(PixelFormat::Nv12, 2, 2, &nv12).expect("nv12");
        assert_eq!(gray.as_raw(), &[5, 6, 7, 8]);
        let gray = to_gray(PixelFormat::Gray, 1, 2, &[0, 255]).expect("gray");
        assert_eq!(gray.as_raw(), &[0, 255]);
    }

    #[test]
    fn rgb_and_bgr_give_the_same_luma() {
        let rgb = [255, 0, 0, 0, 255, 0, 255, 255, 255];
        let bgr = [0, 0, 255, 0, 255, 0, 255, 255, 255];
        let a = to_gray(PixelFormat::Rgb, 3, 1, &rgb).expect("rgb");
        let b = to_gray(PixelFormat::Bgr, 3, 1, &bgr).expect("bgr");
        assert_eq!(a, b);
        assert_eq!(a.as_raw(), &[76, 150, 255]);
    }

    #[test]
    fn short_frames_are_refused() {
        assert_eq!(
            to_gray(PixelFormat::Yuyv, 2, 2, &[0; 7]),
            Err(PixelError::TooShort {
                format: PixelFormat::Yuyv,
                width: 2,
                height: 2,
                needed: 8,
                got: 7
            })
        );
        assert!(matches!(
            to_gray(PixelFormat::Mjpeg, 2, 2, b"not a jpeg"),
            Err(PixelError::Jpeg(_))
        ));
    }

    #[test]
    fn mjpeg_frames_are_decoded() {
        let mut img = GrayImage::new(16, 8);
        for (x, _, p) in img.enumerate_pixels_mut() {
            p.0[0] = if x < 8 { 0 } else { 255 };
        }
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageLuma8(img)
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .expect("encode");
        let gray = to_gray(PixelFormat::Mjpeg, 16, 8, &jpeg).expect("mjpeg");
        assert_eq!(gray.dimensions(), (16, 8));
        assert!(gray.get_pixel(2, 4).0[0] < 40);
        assert!(gray.get_pixel(13, 4).0[0] > 215);
    }
}
