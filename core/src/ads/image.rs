//! An ad image file, checked as OpenAI documents it before it is sent (`POST /upload`
//! takes a JPEG, PNG or WebP of at least 640×640 pixels): the format is read from the file's
//! first bytes, the size from its header — never from its name or the browser's word.

/// The most bytes an image file may have. OpenAI documents no limit; this is utmforge's
/// (a card image of 1,200×1,200 is a few hundred KB).
pub const MAX_IMAGE_BYTES: usize = 10 << 20;
/// The least width and height OpenAI takes.
pub const MIN_IMAGE_SIDE: u32 = 640;

/// The image formats OpenAI takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Webp => "image/webp",
        }
    }

    /// The file name it is sent under (the person's own name is not sent).
    pub fn file_name(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "ad-image.jpg",
            ImageKind::Png => "ad-image.png",
            ImageKind::Webp => "ad-image.webp",
        }
    }
}

/// An image file that OpenAI's documented rules accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
}

/// The file's format and size, or why OpenAI would not take it (in words for the person).
pub fn check_image(bytes: &[u8]) -> Result<ImageInfo, String> {
    if bytes.is_empty() {
        return Err("the image file is empty".into());
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(format!(
            "the image file is {:.1} MB: at most {} MB",
            bytes.len() as f64 / (1 << 20) as f64,
            MAX_IMAGE_BYTES >> 20
        ));
    }
    let (kind, size) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        (ImageKind::Png, png_size(bytes))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        (ImageKind::Jpeg, jpeg_size(bytes))
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        (ImageKind::Webp, webp_size(bytes))
    } else {
        return Err(
            "the file is not a JPEG, PNG or WebP image (the formats ChatGPT Ads takes)".into(),
        );
    };
    let Some((width, height)) = size else {
        return Err(format!(
            "the {} file is damaged: its size cannot be read",
            kind.mime().trim_start_matches("image/").to_uppercase()
        ));
    };
    if width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE {
        return Err(format!(
            "the image is {width}×{height} pixels: ChatGPT Ads takes at least {MIN_IMAGE_SIDE}×{MIN_IMAGE_SIDE}"
        ));
    }
    Ok(ImageInfo {
        kind,
        width,
        height,
    })
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?) as u32)
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as u32)
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let x = b.get(at..at + 3)?;
    Some(x[0] as u32 | (x[1] as u32) << 8 | (x[2] as u32) << 16)
}

/// PNG: the IHDR chunk comes first (width, height: 4 bytes each, big-endian).
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
    Some((w, h))
}

/// JPEG: the segments up to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC),
/// which holds the height, then the width.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        // Fill bytes (0xFF) may precede a marker.
        while *b.get(at)? == 0xFF && *b.get(at + 1)? == 0xFF {
            at += 1;
        }
        if *b.get(at)? != 0xFF {
            return None;
        }
        let marker = *b.get(at + 1)?;
        at += 2;
        match marker {
            0xD0..=0xD7 | 0x01 => continue,
            0xD9 | 0xDA => return None,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let h = be16(b, at + 3)?;
                let w = be16(b, at + 5)?;
                return Some((w, h));
            }
            _ => {
                let len = be16(b, at)? as usize;
                if len < 2 {
                    return None;
                }
                at += len;
            }
        }
    }
}

/// WebP: the first chunk — `VP8 ` (lossy: 14-bit sizes after the start code), `VP8L`
/// (lossless: 14-bit sizes minus one after the signature byte) or `VP8X` (extended: 24-bit
/// canvas sizes minus one).
fn webp_size(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        b"VP8 " => {
            if b.get(23..26)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            Some((le16(b, 26)? & 0x3FFF, le16(b, 28)? & 0x3FFF))
        }
        b"VP8L" => {
            if *b.get(20)? != 0x2F {
                return None;
            }
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
        _ => None,
    }
}

/// Images for tests: just the headers the checks read (the server's tests send them too).
#[doc(hidden)]
pub mod samples {
    /// A PNG's signature and IHDR chunk of `w`×`h`.
    pub fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    /// A JPEG with an APP0 segment, then a baseline frame of `w`×`h`.
    pub fn jpeg(w: u16, h: u16) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        b.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        b.extend([0xFF, 0xC0, 0x00, 0x11, 0x08]);
        b.extend(h.to_be_bytes());
        b.extend(w.to_be_bytes());
        b.extend([0x03; 12]);
        b
    }

    /// A lossless WebP of `w`×`h`.
    pub fn webp(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        let bits = (w - 1) | (h - 1) << 14;
        b.extend(bits.to_le_bytes());
        b
    }
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;

    #[test]
    fn each_format_is_read_from_its_header() {
        for (bytes, kind) in [
            (png(1200, 800), ImageKind::Png),
            (jpeg(1200, 800), ImageKind::Jpeg),
            (webp(1200, 800), ImageKind::Webp),
        ] {
            assert_eq!(
                check_image(&bytes),
                Ok(ImageInfo {
                    kind,
                    width: 1200,
                    height: 800
                })
            );
        }
        // A lossy WebP and an extended one.
        let mut lossy = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\x9d\x01\x2a".to_vec();
        lossy.extend([0xB0, 0x04, 0x80, 0x02]); // 1200 × 640
        assert_eq!(
            check_image(&lossy).map(|i| (i.width, i.height)),
            Ok((1200, 640))
        );
        let mut extended = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0".to_vec();
        extended.extend([0xAF, 0x04, 0x00, 0x7F, 0x02, 0x00]); // 1200 × 640
        assert_eq!(
            check_image(&extended).map(|i| (i.width, i.height)),
            Ok((1200, 640))
        );
    }

    #[test]
    fn small_unknown_damaged_and_huge_files_are_refused_in_words() {
        let small = check_image(&png(639, 1000)).unwrap_err();
        assert!(
            small.contains("639×1000") && small.contains("640×640"),
            "{small}"
        );
        let gif = check_image(b"GIF89a\x01\0\x01\0").unwrap_err();
        assert!(gif.contains("not a JPEG, PNG or WebP"), "{gif}");
        let cut = check_image(&jpeg(800, 800)[..12]).unwrap_err();
        assert!(cut.contains("JPEG file is damaged"), "{cut}");
        assert!(check_image(b"").unwrap_err().contains("empty"));
        let mut huge = png(800, 800);
        huge.resize(MAX_IMAGE_BYTES + 1, 0);
        assert!(check_image(&huge).unwrap_err().contains("at most 10 MB"));
        // A JPEG whose segment lengths lead nowhere ends, it does not loop.
        let mut looping = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00];
        looping.extend([0u8; 64]);
        assert!(check_image(&looping).is_err());
    }
}
