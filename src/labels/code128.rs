//! GS1-128 (Code 128 with FNC1) symbol encoding: element string in, symbol characters and
//! module pattern out. Pure: no I/O.
//!
//! The encoder starts in code set C (a GS1 element string always begins with a two-digit AI),
//! puts FNC1 in first position, packs digit runs in set C and switches to set B for anything
//! else; a GS (ASCII 29) in the element string becomes an FNC1 separator.
//!
//! ```
//! use packbench::labels::code128::encode_gs1;
//! let symbol = encode_gs1("00095060000000000015").unwrap();
//! // start C, FNC1, ten digit pairs, check, stop: 156 modules.
//! assert_eq!(symbol.modules().len(), 156);
//! assert_eq!(symbol.zpl_data(), ">;>800095060000000000015");
//! ```

/// Bar/space widths of the 106 symbol characters (values 0..=105); the stop pattern is separate.
const PATTERNS: [&str; 106] = [
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232",
];
const STOP: &str = "2331112";

/// The group separator that marks the end of a variable-length field in an element string.
pub const GS: char = '\u{1d}';

/// A Code 128 code set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSet {
    /// Set B: ASCII 32..=127.
    B,
    /// Set C: digit pairs.
    C,
}

/// One symbol character, before the check character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolChar {
    /// Start in a code set.
    Start(CodeSet),
    /// Function 1 (GS1 marker in first position, field separator elsewhere).
    Fnc1,
    /// Switch to another code set.
    Switch(CodeSet),
    /// Two digits in set C (0..=99).
    Pair(u8),
    /// One printable ASCII character in set B.
    Char(u8),
}

impl SymbolChar {
    /// The symbol character value (0..=105).
    pub fn value(self) -> u8 {
        match self {
            Self::Start(CodeSet::B) => 104,
            Self::Start(CodeSet::C) => 105,
            Self::Fnc1 => 102,
            Self::Switch(CodeSet::B) => 100,
            Self::Switch(CodeSet::C) => 99,
            Self::Pair(p) => p,
            Self::Char(c) => c - 32,
        }
    }
}

/// Why an element string cannot be encoded as GS1-128.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Code128Error {
    /// The data is empty.
    #[error("nothing to encode")]
    Empty,
    /// A character Code 128 set B cannot carry (only printable ASCII and GS are allowed).
    #[error("character {found:?} at position {position} cannot be encoded in GS1-128")]
    BadCharacter {
        /// The character.
        found: char,
        /// Its position (characters) in the element string.
        position: usize,
    },
    /// A GS1-128 element string begins with a two-digit AI.
    #[error("a GS1-128 element string must begin with two digits, found {found:?}")]
    NoLeadingAi {
        /// The start of the data.
        found: String,
    },
    /// GS1 limits a GS1-128 symbol to 48 data characters.
    #[error("{found} data characters exceed the GS1-128 limit of 48")]
    TooLong {
        /// How many there are.
        found: usize,
    },
}

/// An encoded GS1-128 symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    element_string: String,
    chars: Vec<SymbolChar>,
    check: u8,
}

impl Symbol {
    /// The element string encoded (GS marks FNC1 separators).
    pub fn element_string(&self) -> &str {
        &self.element_string
    }

    /// The symbol characters from start to the last data character (no check, no stop).
    pub fn chars(&self) -> &[SymbolChar] {
        &self.chars
    }

    /// The check character value.
    pub fn check_value(&self) -> u8 {
        self.check
    }

    /// The modules from the first bar to the last, `true` = bar; no quiet zones.
    pub fn modules(&self) -> Vec<bool> {
        let mut out = Vec::with_capacity((self.chars.len() + 1) * 11 + 13);
        let values = self.chars.iter().map(|c| c.value()).chain([self.check]);
        for v in values {
            push_pattern(&mut out, PATTERNS[usize::from(v)]);
        }
        push_pattern(&mut out, STOP);
        out
    }

    /// The `^FD` content for a ZPL `^BC` barcode in no-mode (`N`): subset invocation codes
    /// (`>;` start C, `>:` start B, `>5`/`>6` switch to C/B, `>8` FNC1) and the data.
    pub fn zpl_data(&self) -> String {
        let mut s = String::new();
        for c in &self.chars {
            match c {
                SymbolChar::Start(CodeSet::B) => s.push_str(">:"),
                SymbolChar::Start(CodeSet::C) => s.push_str(">;"),
                SymbolChar::Fnc1 => s.push_str(">8"),
                SymbolChar::Switch(CodeSet::B) => s.push_str(">6"),
                SymbolChar::Switch(CodeSet::C) => s.push_str(">5"),
                SymbolChar::Pair(p) => s.push_str(&format!("{p:02}")),
                SymbolChar::Char(b'>') => s.push_str(">0"),
                SymbolChar::Char(c) => s.push(char::from(*c)),
            }
        }
        s
    }
}

fn push_pattern(out: &mut Vec<bool>, pattern: &str) {
    for (i, w) in pattern.bytes().enumerate() {
        let bar = i % 2 == 0;
        out.extend(std::iter::repeat_n(bar, usize::from(w - b'0')));
    }
}

/// Length of the run of ASCII digits at the start of `s`.
fn digit_run(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// Encodes a GS1 element string (AIs without brackets, GS after variable-length fields that are
/// followed by another field) as GS1-128.
pub fn encode_gs1(element_string: &str) -> Result<Symbol, Code128Error> {
    if element_string.is_empty() {
        return Err(Code128Error::Empty);
    }
    for (position, found) in element_string.chars().enumerate() {
        if !(found == GS || (' '..='~').contains(&found)) {
            return Err(Code128Error::BadCharacter { found, position });
        }
    }
    let data = element_string.as_bytes();
    if digit_run(data) < 2 {
        return Err(Code128Error::NoLeadingAi {
            found: element_string.chars().take(4).collect(),
        });
    }
    let data_chars = data.iter().filter(|b| **b != 0x1d).count();
    if data_chars > 48 {
        return Err(Code128Error::TooLong { found: data_chars });
    }
    let mut chars = vec![SymbolChar::Start(CodeSet::C), SymbolChar::Fnc1];
    let mut set = CodeSet::C;
    let mut i = 0;
    while i < data.len() {
        let rest = &data[i..];
        if rest[0] == 0x1d {
            chars.push(SymbolChar::Fnc1);
            i += 1;
            continue;
        }
        let run = digit_run(rest);
        match set {
            CodeSet::C if run >= 2 => {
                chars.push(SymbolChar::Pair((rest[0] - b'0') * 10 + (rest[1] - b'0')));
                i += 2;
            }
            CodeSet::C => {
                set = CodeSet::B;
                chars.push(SymbolChar::Switch(CodeSet::B));
            }
            CodeSet::B => {
                // Set C pays off for four or more digits (an odd first digit stays in B).
                let worth_c = run >= 4 && (run.is_multiple_of(2) || run >= 5);
                if worth_c && run.is_multiple_of(2) {
                    set = CodeSet::C;
                    chars.push(SymbolChar::Switch(CodeSet::C));
                } else {
                    chars.push(SymbolChar::Char(rest[0]));
                    i += 1;
                    if worth_c {
                        set = CodeSet::C;
                        chars.push(SymbolChar::Switch(CodeSet::C));
                    }
                }
            }
        }
    }
    let check = chars
        .iter()
        .enumerate()
        .map(|(pos, c)| u32::from(c.value()) * u32::try_from(pos.max(1)).unwrap_or(0))
        .sum::<u32>()
        % 103;
    Ok(Symbol {
        element_string: element_string.to_owned(),
        chars,
        check: u8::try_from(check).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_eleven_modules_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for p in PATTERNS {
            assert_eq!(
                p.bytes().map(|b| u32::from(b - b'0')).sum::<u32>(),
                11,
                "{p}"
            );
            assert!(seen.insert(p), "duplicate {p}");
        }
        assert_eq!(STOP.bytes().map(|b| u32::from(b - b'0')).sum::<u32>(), 13);
    }

    #[test]
    fn sscc_is_start_c_fnc1_and_pairs() {
        let s = encode_gs1("00095060000000000015").unwrap();
        assert_eq!(s.chars().len(), 12);
        assert_eq!(s.chars()[0], SymbolChar::Start(CodeSet::C));
        assert_eq!(s.chars()[1], SymbolChar::Fnc1);
        assert_eq!(s.chars()[2], SymbolChar::Pair(0));
        assert_eq!(s.chars()[3], SymbolChar::Pair(9));
        assert_eq!(s.zpl_data(), ">;>800095060000000000015");
        // check: 105 + 102*1 + sum(pair_i * (i+2))
        let pairs = [0u32, 9, 50, 60, 0, 0, 0, 0, 0, 15];
        let sum: u32 = 105
            + 102
            + pairs
                .iter()
                .enumerate()
                .map(|(i, p)| p * (i as u32 + 2))
                .sum::<u32>();
        assert_eq!(u32::from(s.check_value()), sum % 103);
    }

    #[test]
    fn separator_and_alphanumerics_switch_sets() {
        let s = encode_gs1("3720\u{1d}10LOT42").unwrap();
        assert_eq!(s.zpl_data(), ">;>83720>810>6LOT42");
        let s = encode_gs1("10AB123456").unwrap();
        assert_eq!(s.zpl_data(), ">;>810>6AB>5123456");
        let s = encode_gs1("10A12345").unwrap();
        assert_eq!(s.zpl_data(), ">;>810>6A1>52345");
        let s = encode_gs1("10A>1").unwrap();
        assert_eq!(s.zpl_data(), ">;>810>6A>01");
    }

    #[test]
    fn refuses_what_it_cannot_carry() {
        assert_eq!(encode_gs1(""), Err(Code128Error::Empty));
        assert_eq!(
            encode_gs1("10é"),
            Err(Code128Error::BadCharacter {
                found: 'é',
                position: 2
            })
        );
        assert!(matches!(
            encode_gs1("A1"),
            Err(Code128Error::NoLeadingAi { .. })
        ));
        assert!(matches!(
            encode_gs1(&"1".repeat(50)),
            Err(Code128Error::TooLong { found: 50 })
        ));
    }
}
