//! Keyboard-layout mismatches of keyboard-wedge scanners.
//!
//! A wedge scanner types by sending key positions (scan codes) for a US keyboard. When the
//! computer is set to another layout, the same positions produce other characters: on a German
//! (QWERTZ) host `]d2` arrives as `+d2` and `Y`/`Z` swap; on a French (AZERTY) host the digit
//! row gives `&é"'(-è_çà` unless Shift is held. The mapping is per key, so it can be undone
//! exactly for every key that does not produce a dead key (accent) on the host.
//!
//! ```
//! use packbench::gs1::scanner::KeyboardLayout;
//! assert_eq!(KeyboardLayout::German.to_us("+d201095060001343521"), "]d201095060001343521");
//! assert_eq!(KeyboardLayout::French.to_us("$dé&à"), "]d210");
//! ```

use serde::{Deserialize, Serialize};

/// The layout the host computer uses while the scanner types as if on a US keyboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyboardLayout {
    /// Host and scanner agree (or the scanner is not a keyboard): nothing to undo.
    #[default]
    Us,
    /// German QWERTZ host (`]` → `+`, `Y` ↔ `Z`, `-` → `ß`, `/` → `-`, ...).
    German,
    /// French AZERTY host (digits need Shift, `A` ↔ `Q`, `Z` ↔ `W`, `M` → `,`, ...).
    French,
}

/// German host: (character the scanner meant on a US keyboard, character the host produced).
/// Keys that are dead keys on the German layout are in [`GERMAN_DEAD`].
const GERMAN: &[(char, char)] = &[
    ('~', '°'),
    ('y', 'z'),
    ('z', 'y'),
    ('Y', 'Z'),
    ('Z', 'Y'),
    ('-', 'ß'),
    ('_', '?'),
    ('[', 'ü'),
    ('{', 'Ü'),
    (']', '+'),
    ('}', '*'),
    (';', 'ö'),
    (':', 'Ö'),
    ('\'', 'ä'),
    ('"', 'Ä'),
    ('\\', '#'),
    ('|', '\''),
    ('/', '-'),
    ('?', '_'),
    ('<', ';'),
    ('>', ':'),
    ('@', '"'),
    ('#', '§'),
    ('^', '&'),
    ('&', '/'),
    ('*', '('),
    ('(', ')'),
    (')', '='),
];

/// US keys that are dead keys (accents) on a German host: `=` (acute), `+` (grave),
/// `` ` `` (circumflex). What they produce depends on the next key, so they cannot be undone.
const GERMAN_DEAD: &[char] = &['=', '+', '`'];

/// US keys that are dead keys or give no ASCII on a French host: `[` (circumflex), `{`
/// (diaeresis), `` ` `` and `~` (the `²` key).
const FRENCH_DEAD: &[char] = &['[', '{', '`', '~'];

/// French host: (character the scanner meant on a US keyboard, character the host produced).
const FRENCH: &[(char, char)] = &[
    ('1', '&'),
    ('2', 'é'),
    ('3', '"'),
    ('4', '\''),
    ('5', '('),
    ('6', '-'),
    ('7', 'è'),
    ('8', '_'),
    ('9', 'ç'),
    ('0', 'à'),
    ('!', '1'),
    ('@', '2'),
    ('#', '3'),
    ('$', '4'),
    ('%', '5'),
    ('^', '6'),
    ('&', '7'),
    ('*', '8'),
    ('(', '9'),
    (')', '0'),
    ('-', ')'),
    ('_', '°'),
    ('a', 'q'),
    ('q', 'a'),
    ('A', 'Q'),
    ('Q', 'A'),
    ('z', 'w'),
    ('w', 'z'),
    ('Z', 'W'),
    ('W', 'Z'),
    (';', 'm'),
    (':', 'M'),
    ('m', ','),
    ('M', '?'),
    (',', ';'),
    ('<', '.'),
    ('.', ':'),
    ('>', '/'),
    ('/', '!'),
    ('?', '§'),
    ('\'', 'ù'),
    ('"', '%'),
    (']', '$'),
    ('}', '£'),
    ('\\', '*'),
    ('|', 'µ'),
];

impl KeyboardLayout {
    /// Every layout, US first.
    pub const ALL: [Self; 3] = [Self::Us, Self::German, Self::French];

    /// The (meant, produced) pairs of this layout.
    pub(crate) fn table(self) -> &'static [(char, char)] {
        match self {
            Self::Us => &[],
            Self::German => GERMAN,
            Self::French => FRENCH,
        }
    }

    /// US keys whose character cannot be typed through this layout (dead keys on the host).
    pub fn untypable(self) -> &'static [char] {
        match self {
            Self::Us => &[],
            Self::German => GERMAN_DEAD,
            Self::French => FRENCH_DEAD,
        }
    }

    /// What the host produced → what the scanner meant (undoes the mismatch).
    pub fn to_us(self, typed: &str) -> String {
        let table = self.table();
        typed
            .chars()
            .map(|c| {
                table
                    .iter()
                    .find(|(_, produced)| *produced == c)
                    .map_or(c, |(meant, _)| *meant)
            })
            .collect()
    }

    /// What the scanner meant → what the host produces (for tests and the wizard's preview).
    pub fn from_us(self, meant: &str) -> String {
        let table = self.table();
        meant
            .chars()
            .map(|c| {
                table
                    .iter()
                    .find(|(m, _)| *m == c)
                    .map_or(c, |(_, produced)| *produced)
            })
            .collect()
    }

    /// The layout's name as a scanner manual calls the keyboard country.
    pub fn name(self) -> &'static str {
        match self {
            Self::Us => "US",
            Self::German => "German",
            Self::French => "French",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Printable ASCII plus GS: everything a GS1 scan can contain.
    fn ascii() -> String {
        std::iter::once('\u{1d}')
            .chain((0x20u8..0x7f).map(char::from))
            .collect()
    }

    #[test]
    fn tables_are_one_to_one() {
        for layout in KeyboardLayout::ALL {
            let table = layout.table();
            for (i, (meant, produced)) in table.iter().enumerate() {
                for (other_meant, other_produced) in &table[i + 1..] {
                    assert_ne!(meant, other_meant, "{layout:?} maps {meant:?} twice");
                    assert_ne!(
                        produced, other_produced,
                        "{layout:?} produces {produced:?} from two keys"
                    );
                }
            }
        }
    }

    #[test]
    fn produced_ascii_is_always_a_mapped_key() {
        // A character that passes through unchanged must not also be produced by another key,
        // or undoing the mismatch would be ambiguous.
        for layout in KeyboardLayout::ALL {
            let table = layout.table();
            for (_, produced) in table {
                if produced.is_ascii() {
                    assert!(
                        table.iter().any(|(meant, _)| meant == produced)
                            || layout.untypable().contains(produced),
                        "{layout:?}: {produced:?} is produced but also typed unchanged"
                    );
                }
            }
        }
    }

    #[test]
    fn round_trip_over_all_ascii() {
        for layout in KeyboardLayout::ALL {
            let text: String = ascii()
                .chars()
                .filter(|c| !layout.untypable().contains(c))
                .collect();
            let typed = layout.from_us(&text);
            assert_eq!(layout.to_us(&typed), text, "{layout:?}");
        }
    }

    #[test]
    fn german_quirks() {
        let g = KeyboardLayout::German;
        assert_eq!(g.from_us("]d2"), "+d2");
        assert_eq!(g.from_us("]C1"), "+C1");
        assert_eq!(g.from_us("LOT-Y/Z"), "LOTßZ-Y");
        assert_eq!(g.to_us("+Q3"), "]Q3");
    }

    #[test]
    fn french_digits_need_shift() {
        let f = KeyboardLayout::French;
        assert_eq!(f.from_us("0109506"), "à&àç(à-");
        assert_eq!(f.to_us("à&àç(à-"), "0109506");
        assert_eq!(f.from_us("AMQZ"), "Q?AW");
    }

    #[test]
    fn us_is_identity() {
        let text = ascii();
        assert_eq!(KeyboardLayout::Us.to_us(&text), text);
        assert_eq!(KeyboardLayout::Us.from_us(&text), text);
    }
}
