//! debug
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let img = packbench::devices::decode::load_gray(std::path::Path::new(&path)).unwrap();
    let regions = packbench::devices::decode::debug_locate(&img);
    let mut rgb = image::DynamicImage::ImageLuma8(img).into_rgb8();
    for (x, y, w, h, s, iso) in &regions {
        println!("{x} {y} {w} {h} s={s:.2} iso={iso:.2}");
        for i in 0..*w {
            for d in 0..2 {
                rgb.put_pixel(
                    (x + i).min(rgb.width() - 1),
                    (y + d).min(rgb.height() - 1),
                    image::Rgb([255, 0, 0]),
                );
                rgb.put_pixel(
                    (x + i).min(rgb.width() - 1),
                    (y + h - 1 - d).min(rgb.height() - 1),
                    image::Rgb([255, 0, 0]),
                );
            }
        }
        for j in 0..*h {
            for d in 0..2 {
                rgb.put_pixel(
                    (x + d).min(rgb.width() - 1),
                    (y + j).min(rgb.height() - 1),
                    image::Rgb([255, 0, 0]),
                );
                rgb.put_pixel(
                    (x + w - 1 - d).min(rgb.width() - 1),
                    (y + j).min(rgb.height() - 1),
                    image::Rgb([255, 0, 0]),
                );
            }
        }
    }
    let codes = packbench::devices::decode::decode_image(
        &packbench::devices::decode::load_gray(std::path::Path::new(&path)).unwrap(),
        &Default::default(),
    );
    for c in &codes {
        let (cx, cy) = c.centre();
        for dx in 0..8 {
            for dy in 0..8 {
                rgb.put_pixel(
                    (cx as u32 + dx).min(rgb.width() - 1),
                    (cy as u32 + dy).min(rgb.height() - 1),
                    image::Rgb([0, 255, 0]),
                );
            }
        }
    }
    println!("found {}", codes.len());
    rgb.save("/tmp/regions.png").unwrap();
}
