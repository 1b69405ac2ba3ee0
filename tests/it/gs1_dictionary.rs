//! Proves that the project's AI table agrees with the GS1 Barcode Syntax Dictionary entry by
//! entry: same AIs, lengths, character sets, FNC1 flags, linters, requires/excludes rules and
//! Digital Link keys. The dictionary is read from `tests/data/gs1/` at test time only.

use packbench::gs1::ai::{self, AiEntry, Linter};
use packbench::gs1::ai_table::DICTIONARY_RELEASE;

const RELEASE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/gs1/gs1-syntax-dictionary.txt"
);
const UNRELEASED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/gs1/gs1-syntax-dictionary.unreleased-head.txt"
);

/// One component as written in the dictionary, e.g. `[N3],iso3166`.
#[derive(Debug, PartialEq)]
struct DictComponent {
    cset: char,
    min: u8,
    max: u8,
    optional: bool,
    linters: Vec<String>,
}

/// One dictionary line, parsed independently of the generator.
#[derive(Debug)]
struct DictEntry {
    first: String,
    last: String,
    flags: String,
    components: Vec<DictComponent>,
    /// Each `req=` attribute: alternatives, each a `+` group of AI patterns.
    requires: Vec<Vec<Vec<String>>>,
    excludes: Vec<String>,
    dlpkey: Option<Vec<Vec<String>>>,
    title: String,
}

fn parse_component(token: &str) -> Option<DictComponent> {
    let mut parts = token.split(',');
    let spec = parts.next()?;
    let (optional, spec) = match spec.strip_prefix('[') {
        Some(inner) => (true, inner.strip_suffix(']')?),
        None => (false, spec),
    };
    let mut chars = spec.chars();
    let cset = chars.next().filter(|c| "NXYZ".contains(*c))?;
    let rest = chars.as_str();
    let (variable, digits) = match rest.strip_prefix("..") {
        Some(d) => (true, d),
        None => (false, rest),
    };
    let max: u8 = digits.parse().ok()?;
    Some(DictComponent {
        cset,
        min: if variable { 1 } else { max },
        max,
        optional,
        linters: parts.map(str::to_owned).collect(),
    })
}

fn parse_dictionary(path: &str) -> (String, Vec<DictEntry>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut release = String::new();
    let mut entries = Vec::new();
    for line in text.lines() {
        if let Some(r) = line.strip_prefix("# Release:") {
            release = r.trim().to_owned();
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (body, title) = line.split_once('#').unwrap_or((line, ""));
        let mut tokens = body.split_whitespace().peekable();
        let ais = tokens.next().expect("AI column");
        let (first, last) = ais.split_once('-').unwrap_or((ais, ais));
        let mut flags = String::new();
        if let Some(t) = tokens.peek()
            && parse_component(t).is_none()
            && !t.contains('=')
            && *t != "dlpkey"
        {
            flags = (*t).to_owned();
            tokens.next();
        }
        let mut components = Vec::new();
        while let Some(c) = tokens.peek().and_then(|t| parse_component(t)) {
            components.push(c);
            tokens.next();
        }
        let (mut requires, mut excludes, mut dlpkey) = (Vec::new(), Vec::new(), None);
        for attr in tokens {
            match attr.split_once('=') {
                Some(("req", v)) => requires.push(
                    v.split(',')
                        .map(|alt| alt.split('+').map(str::to_owned).collect())
                        .collect(),
                ),
                Some(("ex", v)) => excludes.extend(v.split(',').map(str::to_owned)),
                Some(("dlpkey", v)) => {
                    dlpkey = Some(
                        v.split('|')
                            .map(|seq| seq.split(',').map(str::to_owned).collect())
                            .collect(),
                    );
                }
                None if attr == "dlpkey" => dlpkey = Some(Vec::new()),
                _ => panic!("unknown attribute {attr:?} in {line:?}"),
            }
        }
        entries.push(DictEntry {
            first: first.to_owned(),
            last: last.to_owned(),
            flags,
            components,
            requires,
            excludes,
            dlpkey,
            title: title.trim().to_owned(),
        });
    }
    (release, entries)
}

fn our_components(entry: &AiEntry) -> Vec<DictComponent> {
    entry
        .components
        .iter()
        .map(|c| DictComponent {
            cset: c.cset.letter(),
            min: c.min_len,
            max: c.max_len,
            optional: c.optional,
            linters: c.linters.iter().map(|l| l.name().to_owned()).collect(),
        })
        .collect()
}

fn to_owned_nested(v: &[&[&str]]) -> Vec<Vec<String>> {
    v.iter()
        .map(|inner| inner.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}

#[test]
fn table_agrees_with_the_dictionary_entry_by_entry() {
    let (release, dict) = parse_dictionary(RELEASE);
    assert_eq!(release, DICTIONARY_RELEASE);
    let ours = ai::table();
    assert_eq!(ours.len(), dict.len(), "number of entries");
    assert!(dict.len() > 200, "the full table, not only the pharma AIs");
    for (d, o) in dict.iter().zip(ours) {
        let at = format!("AI ({}-{})", d.first, d.last);
        assert_eq!(
            (o.first, o.last),
            (d.first.as_str(), d.last.as_str()),
            "{at}: AIs"
        );
        assert_eq!(
            o.predefined_length,
            d.flags.contains('*'),
            "{at}: FNC1 flag"
        );
        assert_eq!(
            o.dl_data_attribute,
            d.flags.contains('?'),
            "{at}: DL attribute flag"
        );
        assert_eq!(our_components(o), d.components, "{at}: components");
        let our_req: Vec<Vec<Vec<String>>> =
            o.requires.iter().map(|r| to_owned_nested(r)).collect();
        assert_eq!(our_req, d.requires, "{at}: requires");
        let our_ex: Vec<String> = o.excludes.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(our_ex, d.excludes, "{at}: excludes");
        assert_eq!(
            o.dl_primary_key.map(to_owned_nested),
            d.dlpkey,
            "{at}: dlpkey"
        );
        assert_eq!(o.title, d.title, "{at}: title");
    }
}

#[test]
fn every_linter_of_the_dictionary_is_implemented() {
    for path in [RELEASE, UNRELEASED] {
        let (_, dict) = parse_dictionary(path);
        for d in &dict {
            for c in &d.components {
                for l in &c.linters {
                    assert!(
                        Linter::from_name(l).is_some(),
                        "{path}: linter {l} of ({})",
                        d.first
                    );
                }
            }
        }
    }
}

#[test]
fn every_ai_of_every_range_is_found() {
    let (_, dict) = parse_dictionary(RELEASE);
    for d in &dict {
        let (first, last): (u32, u32) = (d.first.parse().unwrap(), d.last.parse().unwrap());
        for n in first..=last {
            let ai = format!("{n:0width$}", width = d.first.len());
            let entry = ai::lookup(&ai).unwrap_or_else(|| panic!("AI ({ai}) not found"));
            assert_eq!(entry.first, d.first);
        }
    }
}

#[test]
fn unreleased_dictionary_parses_with_plus_groups() {
    let (release, dict) = parse_dictionary(UNRELEASED);
    assert_eq!(release, "UNSET");
    let (_, released) = parse_dictionary(RELEASE);
    assert_eq!(dict.len(), released.len());
    // Same AIs, formats and flags; only pairing rules moved on (AI (03) in many req= lists).
    for (u, r) in dict.iter().zip(&released) {
        assert_eq!((&u.first, &u.last, &u.flags), (&r.first, &r.last, &r.flags));
        assert_eq!(u.components, r.components, "({})", u.first);
    }
    let ai_7020 = dict.iter().find(|d| d.first == "7020").unwrap();
    assert_eq!(
        ai_7020.requires,
        vec![vec![
            vec!["01".to_owned(), "416".to_owned()],
            vec!["03".to_owned(), "416".to_owned()],
            vec!["8006".to_owned(), "416".to_owned()],
        ]]
    );
    // Every pattern in a rule names an assigned AI (or an `n` wildcard pattern of one).
    for d in &dict {
        let patterns = d.requires.iter().flatten().flatten().chain(&d.excludes);
        for p in patterns {
            let known = ai::table().iter().any(|e| {
                let (first, last): (u32, u32) = (e.first.parse().unwrap(), e.last.parse().unwrap());
                (first..=last)
                    .any(|n| ai::pattern_matches(p, &format!("{n:0width$}", width = e.first.len())))
            });
            assert!(known, "({}): pattern {p} matches no AI", d.first);
        }
    }
}
