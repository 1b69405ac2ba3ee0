//! Application Identifier definitions: the shape of one table entry and lookups.
//!
//! The data itself lives in [`super::ai_table`], generated from the GS1 Barcode Syntax
//! Dictionary. An entry describes one AI or a range of AIs (e.g. `3100`-`3105`) that share
//! the same format.
//!
//! ```
//! use packbench::gs1::ai;
//! let gtin = ai::lookup("01").unwrap();
//! assert!(gtin.predefined_length);
//! assert_eq!(gtin.fixed_length(), Some(14));
//! assert_eq!(ai::lookup("3103").unwrap().title, "NET WEIGHT (kg)");
//! assert!(ai::lookup("23").is_none());
//! ```

use super::ai_table::AI_TABLE;

/// Character set of one component of an AI's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cset {
    /// Digits `0`-`9` (dictionary type `N`).
    Numeric,
    /// GS1 AI encodable character set 82 (dictionary type `X`).
    Cset82,
    /// GS1 AI encodable character set 39 (dictionary type `Y`).
    Cset39,
    /// GS1 AI encodable character set 64, file-safe base64 (dictionary type `Z`).
    Cset64,
}

impl Cset {
    /// The dictionary's letter for this character set (`N`, `X`, `Y`, `Z`).
    pub fn letter(self) -> char {
        match self {
            Cset::Numeric => 'N',
            Cset::Cset82 => 'X',
            Cset::Cset39 => 'Y',
            Cset::Cset64 => 'Z',
        }
    }

    /// Whether `byte` belongs to this character set.
    pub fn contains(self, byte: u8) -> bool {
        match self {
            Cset::Numeric => byte.is_ascii_digit(),
            Cset::Cset82 => is_cset82(byte),
            Cset::Cset39 => matches!(byte, b'#' | b'-' | b'/' | b'0'..=b'9' | b'A'..=b'Z'),
            Cset::Cset64 => {
                matches!(byte, b'-' | b'0'..=b'9' | b'A'..=b'Z' | b'_' | b'a'..=b'z' | b'=')
            }
        }
    }
}

/// Whether `byte` is in GS1 character set 82 (the set allowed in serials, lots, ...).
pub fn is_cset82(byte: u8) -> bool {
    matches!(byte,
        b'!' | b'"' | b'%'..=b'?' | b'A'..=b'Z' | b'_' | b'a'..=b'z')
}

/// A content check ("linter") of the GS1 Barcode Syntax Tests, applied to one component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Linter {
    /// GS1 mod-10 check digit in the last position.
    Csum,
    /// GS1 check character pair (mod-1021) in the last two positions.
    CsumAlpha,
    /// A GS1 Company Prefix starts at the first position.
    GcpPos1,
    /// A GS1 Company Prefix starts at the second position.
    GcpPos2,
    /// Date YYMMDD; day `00` allowed (end of month).
    YyMmD0,
    /// Date YYMMDD; day must be given.
    YyMmDd,
    /// Date YYYYMMDD; day `00` allowed.
    YyyyMmD0,
    /// Date YYYYMMDD; day must be given.
    YyyyMmDd,
    /// Time HHMI.
    HhMi,
    /// Hour HH.
    Hh,
    /// Minute MI.
    Mi,
    /// Second SS.
    Ss,
    /// ISO 3166-1 numeric country code.
    Iso3166,
    /// ISO 3166-1 numeric country code or `999`.
    Iso3166999,
    /// ISO 3166-1 alpha-2 country code.
    Iso3166Alpha2,
    /// ISO 4217 numeric currency code.
    Iso4217,
    /// ISO/IEC 5218 biological sex code.
    Iso5218,
    /// International Bank Account Number (ISO 13616) with its check digits.
    Iban,
    /// Well-formed percent encoding.
    PcEnc,
    /// North American coupon code (AI 8110).
    CouponCode,
    /// Positive offer file coupon code (AI 8112).
    CouponPosOffer,
    /// Latitude, 10 digits, at most 1800000000.
    Latitude,
    /// Longitude, 10 digits, at most 3600000000.
    Longitude,
    /// `0` or `1`.
    YesNo,
    /// Only hyphens.
    Hyphen,
    /// Importer index character of AI (7040).
    ImporterIdx,
    /// UN/ECE Recommendation 21 package type code.
    PackageType,
    /// AIDC media type code of AI (7241).
    MediaType,
    /// Position in sequence `N/M` of AI (7258).
    PosInSeqSlash,
    /// Digits, not all zero.
    NonZero,
    /// Only zeros.
    Zero,
    /// Winding direction `0`, `1` or `9`.
    Winding,
    /// Piece number and total count of equal length, piece <= total, neither zero.
    PieceOfTotal,
    /// Digits without a leading zero.
    NoZeroPrefix,
    /// At least one non-digit character.
    HasNonDigit,
}

impl Linter {
    /// Every linter, for iteration.
    pub const ALL: &'static [Linter] = &[
        Linter::Csum,
        Linter::CsumAlpha,
        Linter::GcpPos1,
        Linter::GcpPos2,
        Linter::YyMmD0,
        Linter::YyMmDd,
        Linter::YyyyMmD0,
        Linter::YyyyMmDd,
        Linter::HhMi,
        Linter::Hh,
        Linter::Mi,
        Linter::Ss,
        Linter::Iso3166,
        Linter::Iso3166999,
        Linter::Iso3166Alpha2,
        Linter::Iso4217,
        Linter::Iso5218,
        Linter::Iban,
        Linter::PcEnc,
        Linter::CouponCode,
        Linter::CouponPosOffer,
        Linter::Latitude,
        Linter::Longitude,
        Linter::YesNo,
        Linter::Hyphen,
        Linter::ImporterIdx,
        Linter::PackageType,
        Linter::MediaType,
        Linter::PosInSeqSlash,
        Linter::NonZero,
        Linter::Zero,
        Linter::Winding,
        Linter::PieceOfTotal,
        Linter::NoZeroPrefix,
        Linter::HasNonDigit,
    ];

    /// The linter's name in the Syntax Dictionary (`csum`, `yymmd0`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Linter::Csum => "csum",
            Linter::CsumAlpha => "csumalpha",
            Linter::GcpPos1 => "gcppos1",
            Linter::GcpPos2 => "gcppos2",
            Linter::YyMmD0 => "yymmd0",
            Linter::YyMmDd => "yymmdd",
            Linter::YyyyMmD0 => "yyyymmd0",
            Linter::YyyyMmDd => "yyyymmdd",
            Linter::HhMi => "hhmi",
            Linter::Hh => "hh",
            Linter::Mi => "mi",
            Linter::Ss => "ss",
            Linter::Iso3166 => "iso3166",
            Linter::Iso3166999 => "iso3166999",
            Linter::Iso3166Alpha2 => "iso3166alpha2",
            Linter::Iso4217 => "iso4217",
            Linter::Iso5218 => "iso5218",
            Linter::Iban => "iban",
            Linter::PcEnc => "pcenc",
            Linter::CouponCode => "couponcode",
            Linter::CouponPosOffer => "couponposoffer",
            Linter::Latitude => "latitude",
            Linter::Longitude => "longitude",
            Linter::YesNo => "yesno",
            Linter::Hyphen => "hyphen",
            Linter::ImporterIdx => "importeridx",
            Linter::PackageType => "packagetype",
            Linter::MediaType => "mediatype",
            Linter::PosInSeqSlash => "posinseqslash",
            Linter::NonZero => "nonzero",
            Linter::Zero => "zero",
            Linter::Winding => "winding",
            Linter::PieceOfTotal => "pieceoftotal",
            Linter::NoZeroPrefix => "nozeroprefix",
            Linter::HasNonDigit => "hasnondigit",
        }
    }

    /// The linter with the given dictionary name.
    pub fn from_name(name: &str) -> Option<Linter> {
        Linter::ALL.iter().copied().find(|l| l.name() == name)
    }
}

/// One component of an AI's value, e.g. `N6,yymmd0` or `[X..17]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component {
    /// Character set.
    pub cset: Cset,
    /// Minimum length (equal to `max_len` for a fixed-length component).
    pub min_len: u8,
    /// Maximum length.
    pub max_len: u8,
    /// Optional component (`[...]`): may be left out once the data is exhausted.
    pub optional: bool,
    /// Content checks, applied in order.
    pub linters: &'static [Linter],
}

impl Component {
    /// Fixed-length component (`N6`), as opposed to variable length (`X..20`).
    pub fn is_fixed(&self) -> bool {
        self.min_len == self.max_len
    }
}

/// One entry of the AI table: a single AI or a range of AIs sharing one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AiEntry {
    /// First AI of the range (the AI itself for a single AI).
    pub first: &'static str,
    /// Last AI of the range (equal to `first` for a single AI).
    pub last: &'static str,
    /// Predefined length: never needs an FNC1/GS separator after it (dictionary flag `*`).
    pub predefined_length: bool,
    /// Allowed as a GS1 Digital Link data attribute (dictionary flag `?`).
    pub dl_data_attribute: bool,
    /// The components of the value, in order.
    pub components: &'static [Component],
    /// Requisite rules: every rule must hold; a rule holds when one of its alternatives
    /// holds; an alternative holds when every AI pattern in it is present (`n` = any digit).
    pub requires: &'static [&'static [&'static [&'static str]]],
    /// AI patterns that must not appear together with this AI.
    pub excludes: &'static [&'static str],
    /// Digital Link primary key: `Some` with the alternative ordered qualifier sequences
    /// (empty when the key takes no qualifiers), `None` when not a primary key.
    pub dl_primary_key: Option<&'static [&'static [&'static str]]>,
    /// Short title (data title of the GS1 General Specifications).
    pub title: &'static str,
}

impl AiEntry {
    /// Whether this entry covers `ai`.
    pub fn covers(&self, ai: &str) -> bool {
        ai.len() == self.first.len() && self.first <= ai && ai <= self.last
    }

    /// Minimum length of a value (sum of the mandatory components' minimums).
    pub fn min_length(&self) -> usize {
        self.components
            .iter()
            .filter(|c| !c.optional)
            .map(|c| usize::from(c.min_len))
            .sum()
    }

    /// Maximum length of a value (sum of all components' maximums).
    pub fn max_length(&self) -> usize {
        self.components.iter().map(|c| usize::from(c.max_len)).sum()
    }

    /// `Some(n)` when every value has exactly `n` characters.
    pub fn fixed_length(&self) -> Option<usize> {
        let fixed = self.components.iter().all(|c| c.is_fixed() && !c.optional);
        fixed.then(|| self.max_length())
    }

    /// Whether `qualifier` may follow this primary key in a Digital Link path.
    pub fn has_dl_qualifier(&self, qualifier: &str) -> bool {
        self.dl_primary_key
            .is_some_and(|seqs| seqs.iter().any(|s| s.contains(&qualifier)))
    }
}

/// The whole AI table.
pub fn table() -> &'static [AiEntry] {
    AI_TABLE
}

/// The entry for `ai` (2 to 4 digits), if the AI is assigned.
pub fn lookup(ai: &str) -> Option<&'static AiEntry> {
    if !(2..=4).contains(&ai.len()) || !ai.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The table is in lexical order and AIs are prefix-free, so the only candidate is the
    // last entry whose first AI is not greater than `ai`.
    let idx = AI_TABLE.partition_point(|e| e.first <= ai);
    let entry = AI_TABLE.get(idx.checked_sub(1)?)?;
    entry.covers(ai).then_some(entry)
}

/// Finds the AI at the start of `data`: returns the AI's length and its entry.
pub fn lookup_prefix(data: &[u8]) -> Option<(usize, &'static AiEntry)> {
    (2..=4).find_map(|len| {
        let candidate = data.get(..len)?;
        let ai = std::str::from_utf8(candidate).ok()?;
        lookup(ai).map(|e| (len, e))
    })
}

/// Whether some assigned AI starts with `digits` but is longer (an incomplete AI).
pub fn is_incomplete_ai(digits: &str) -> bool {
    !digits.is_empty()
        && digits.len() < 4
        && digits.bytes().all(|b| b.is_ascii_digit())
        && AI_TABLE
            .iter()
            .any(|e| e.first.len() > digits.len() && e.first.starts_with(digits))
}

/// Whether `ai` matches a dictionary pattern such as `310n`, `31nn` or `8006`.
pub fn pattern_matches(pattern: &str, ai: &str) -> bool {
    pattern.len() == ai.len()
        && pattern
            .bytes()
            .zip(ai.bytes())
            .all(|(p, a)| p == a || (p == b'n' && a.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_finds_single_and_ranged_ais() {
        assert_eq!(lookup("00").map(|e| e.title), Some("SSCC"));
        assert_eq!(lookup("3100").map(|e| e.first), Some("3100"));
        assert_eq!(lookup("3105").map(|e| e.first), Some("3100"));
        assert!(lookup("3106").is_none());
        assert_eq!(lookup("95").map(|e| e.first), Some("91"));
        assert!(lookup("310").is_none());
        assert!(lookup("2351").is_none());
        assert!(lookup("1A").is_none());
        assert!(lookup("").is_none());
    }

    #[test]
    fn every_table_ai_is_found_by_lookup() {
        for e in table() {
            assert_eq!(lookup(e.first), Some(e));
            assert_eq!(lookup(e.last), Some(e));
        }
    }

    #[test]
    fn table_is_sorted_and_prefix_free() {
        for pair in table().windows(2) {
            assert!(
                pair[0].last < pair[1].first,
                "{} / {}",
                pair[0].last,
                pair[1].first
            );
            assert!(!pair[1].first.starts_with(pair[0].first));
        }
    }

    #[test]
    fn patterns() {
        assert!(pattern_matches("310n", "3103"));
        assert!(pattern_matches("31nn", "3125"));
        assert!(!pattern_matches("31nn", "310"));
        assert!(!pattern_matches("8006", "8026"));
    }

    #[test]
    fn incomplete_ai() {
        assert!(is_incomplete_ai("24"));
        assert!(is_incomplete_ai("7"));
        assert!(!is_incomplete_ai("01"));
        assert!(!is_incomplete_ai("89"));
    }

    #[test]
    fn cset82() {
        for b in "!\"%&'()*+,-./09:;<=>?AZ_az".bytes() {
            assert!(is_cset82(b), "{}", b as char);
        }
        for b in " #$@[\\]^`{|}~".bytes() {
            assert!(!is_cset82(b), "{}", b as char);
        }
    }
}
