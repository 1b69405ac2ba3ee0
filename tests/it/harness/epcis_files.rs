//! EPCIS files as a packaging line or a partner sends them, built from a seed: a pallet of
//! cases of packs (commissioning with ILMD lot and expiry, then packing), written as EPCIS 2.0
//! JSON-LD, EPCIS 2.0 XML or EPCIS 1.2 XML, every event with its CBV 2.0 hash ID. The import
//! tests (`import_epcis`) and the import benchmark (`benches/import.rs`) share it; it uses
//! nothing else of the harness.
//!
//! The writers here are independent of packbench's own (which have no ILMD): the test then
//! checks the station's reader against text it did not write itself, and every document is
//! checked against the official schemas by the tests.

use packbench::epcis::{hash_ids_from_jsonld, hash_ids_from_xml};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::fmt::Write;

/// The GS1 company prefix of every key (that of the station fixtures' product).
pub const COMPANY_PREFIX: &str = "9506000";
/// The EPCIS 2.0 JSON-LD context.
const CONTEXT: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/// A file syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// EPCIS 2.0 JSON-LD.
    JsonLd,
    /// EPCIS 2.0 XML.
    Xml20,
    /// EPCIS 1.2 XML.
    Xml12,
}

impl Syntax {
    /// Every syntax.
    pub const ALL: [Syntax; 3] = [Self::JsonLd, Self::Xml20, Self::Xml12];

    /// A file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::JsonLd => "jsonld",
            Self::Xml20 | Self::Xml12 => "xml",
        }
    }
}

/// One event, in terms every syntax can write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ev {
    /// `ObjectEvent` or `AggregationEvent`.
    pub kind: &'static str,
    /// `ADD`, `OBSERVE`, `DELETE`.
    pub action: &'static str,
    /// Event time, UTC ms.
    pub time_ms: i64,
    /// `+HH:MM`.
    pub offset: String,
    /// parentID.
    pub parent: Option<String>,
    /// epcList / childEPCs.
    pub epcs: Vec<String>,
    /// CBV business step (bare word).
    pub biz_step: &'static str,
    /// CBV disposition (bare word).
    pub disposition: &'static str,
    /// ILMD lot and expiry (`YYYY-MM-DD`).
    pub ilmd: Option<(String, String)>,
    /// eventID.
    pub event_id: Option<String>,
    /// Error declaration: time (UTC ms) and CBV reason (bare word).
    pub declaration: Option<(i64, &'static str)>,
}

impl Ev {
    fn new(kind: &'static str, time_ms: i64, offset: &str) -> Self {
        Self {
            kind,
            action: "ADD",
            time_ms,
            offset: offset.to_owned(),
            parent: None,
            epcs: Vec::new(),
            biz_step: "commissioning",
            disposition: "active",
            ilmd: None,
            event_id: None,
            declaration: None,
        }
    }

    /// The error declaration of this event (a copy with the same eventID), `reason`
    /// `did_not_occur`, declared at `time_ms`.
    pub fn declared_at(&self, time_ms: i64) -> Ev {
        let mut d = self.clone();
        d.declaration = Some((time_ms, "did_not_occur"));
        d
    }
}

/// A pallet of cases of packs and the events that built it.
#[derive(Debug, Clone)]
pub struct Pallet {
    /// The pallet's SSCC EPC URI.
    pub pallet: String,
    /// Each case's SSCC EPC URI and its packs' SGTIN EPC URIs.
    pub cases: Vec<(String, Vec<String>)>,
    /// The packs' lot.
    pub lot: String,
    /// The packs' expiry, YYMMDD.
    pub expiry: String,
    /// The events, in time order: pack commissioning (ILMD), case and pallet commissioning,
    /// packing of each case, then of the pallet.
    pub events: Vec<Ev>,
}

impl Pallet {
    /// Every unit: the pallet, the cases, the packs.
    pub fn units(&self) -> usize {
        1 + self.cases.iter().map(|(_, p)| 1 + p.len()).sum::<usize>()
    }
}

/// The seed of a run: `var` when it is set (to replay a run), else a fresh one. Printed.
pub fn seed_from_env(var: &str) -> u64 {
    let seed = std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    println!("seed {seed} (replay with {var}={seed})");
    seed
}

/// The random source of one seed.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// A serial of 6 to 12 characters (digits and capitals) starting with `tag`.
fn serial(rng: &mut StdRng, tag: &str) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let n = rng.random_range(6..=10);
    let mut s = tag.to_owned();
    for _ in 0..n {
        s.push(char::from(CHARS[rng.random_range(0..CHARS.len())]));
    }
    s
}

/// The EPC URI of SSCC serial reference `reference` (extension digit 0).
pub fn sscc_epc(reference: u64) -> String {
    format!("urn:epc:id:sscc:{COMPANY_PREFIX}.0{reference:09}")
}

/// The EPC URI of a pack.
pub fn pack_epc(serial: &str) -> String {
    format!("urn:epc:id:sgtin:{COMPANY_PREFIX}.013435.{serial}")
}

/// A pallet of `cases` cases of `packs` packs each, starting at `t0`; SSCC serial references
/// from `sscc_base` (cases first, then the pallet), pack serials starting with `tag`. One
/// commissioning event per pack when `per_pack` (as a line commissions each printed pack),
/// else one per case.
pub fn pallet(
    rng: &mut StdRng,
    tag: &str,
    sscc_base: u64,
    cases: usize,
    packs: usize,
    t0: i64,
    per_pack: bool,
) -> Pallet {
    let offsets = ["+01:00", "+02:00", "-05:00", "+00:00", "+05:30"];
    let offset = offsets[rng.random_range(0..offsets.len())];
    let lot = format!("L{}", rng.random_range(10_000..99_999));
    let expiry_date = format!(
        "20{}-{:02}-{:02}",
        rng.random_range(27..=35),
        rng.random_range(1..=12),
        rng.random_range(1..=28)
    );
    let expiry = format!(
        "{}{}{}",
        &expiry_date[2..4],
        &expiry_date[5..7],
        &expiry_date[8..10]
    );
    let mut t = t0;
    let mut tick = |rng: &mut StdRng| {
        t += rng.random_range(200..3_000);
        t
    };
    let mut events = Vec::new();
    let mut built = Vec::new();
    for c in 0..cases {
        let case = sscc_epc(sscc_base + c as u64);
        let epcs: Vec<String> = (0..packs).map(|_| pack_epc(&serial(rng, tag))).collect();
        let groups: Vec<Vec<String>> = if per_pack {
            epcs.iter().map(|e| vec![e.clone()]).collect()
        } else {
            vec![epcs.clone()]
        };
        for group in groups {
            let mut e = Ev::new("ObjectEvent", tick(rng), offset);
            e.epcs = group;
            e.ilmd = Some((lot.clone(), expiry_date.clone()));
            events.push(e);
        }
        let mut e = Ev::new("ObjectEvent", tick(rng), offset);
        e.epcs = vec![case.clone()];
        events.push(e);
        let mut e = Ev::new("AggregationEvent", tick(rng), offset);
        e.parent = Some(case.clone());
        e.epcs = epcs.clone();
        e.biz_step = "packing";
        e.disposition = "in_progress";
        events.push(e);
        built.push((case, epcs));
    }
    let pallet = sscc_epc(sscc_base + cases as u64);
    let mut e = Ev::new("ObjectEvent", tick(rng), offset);
    e.epcs = vec![pallet.clone()];
    events.push(e);
    let mut e = Ev::new("AggregationEvent", tick(rng), offset);
    e.parent = Some(pallet.clone());
    e.epcs = built.iter().map(|(c, _)| c.clone()).collect();
    e.biz_step = "packing";
    e.disposition = "in_progress";
    events.push(e);
    Pallet {
        pallet,
        cases: built,
        lot,
        expiry,
        events,
    }
}

/// RFC 3339 with milliseconds in `offset`.
fn time_text(ms: i64, offset: &str) -> String {
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let hours: i64 = offset[1..3].parse().unwrap();
    let minutes: i64 = offset[4..6].parse().unwrap();
    let local = ms + sign * (hours * 60 + minutes) * 60_000;
    let days = local.div_euclid(86_400_000);
    let rest = local.rem_euclid(86_400_000);
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}{offset}",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

/// Days since 1970-01-01 as (year, month, day) (H. Hinnant's civil-from-days).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn json_event(out: &mut String, e: &Ev) {
    write!(
        out,
        "{{\"type\":\"{}\",\"eventTime\":\"{}\",\"eventTimeZoneOffset\":\"{}\"",
        e.kind,
        time_text(e.time_ms, &e.offset),
        e.offset
    )
    .unwrap();
    if let Some(id) = &e.event_id {
        write!(out, ",\"eventID\":{}", json_string(id)).unwrap();
    }
    if let Some((t, reason)) = &e.declaration {
        write!(
            out,
            ",\"errorDeclaration\":{{\"declarationTime\":\"{}\",\"reason\":\"{reason}\"}}",
            time_text(*t, "+00:00")
        )
        .unwrap();
    }
    if let Some(p) = &e.parent {
        write!(out, ",\"parentID\":{}", json_string(p)).unwrap();
    }
    let list = if e.kind == "AggregationEvent" {
        "childEPCs"
    } else {
        "epcList"
    };
    let epcs: Vec<String> = e.epcs.iter().map(|x| json_string(x)).collect();
    write!(
        out,
        ",\"{list}\":[{}],\"action\":\"{}\",\"bizStep\":\"{}\",\"disposition\":\"{}\"",
        epcs.join(","),
        e.action,
        e.biz_step,
        e.disposition
    )
    .unwrap();
    if let Some((lot, expiry)) = &e.ilmd {
        write!(
            out,
            ",\"ilmd\":{{\"cbvmda:lotNumber\":{},\"cbvmda:itemExpirationDate\":\"{expiry}\"}}",
            json_string(lot)
        )
        .unwrap();
    }
    out.push('}');
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn xml_event(out: &mut String, e: &Ev, syntax: Syntax) {
    let v12 = syntax == Syntax::Xml12;
    let (step, disp, reason) = if v12 {
        (
            format!("urn:epcglobal:cbv:bizstep:{}", e.biz_step),
            format!("urn:epcglobal:cbv:disp:{}", e.disposition),
            "urn:epcglobal:cbv:er:",
        )
    } else {
        (
            format!("https://ref.gs1.org/cbv/BizStep-{}", e.biz_step),
            format!("https://ref.gs1.org/cbv/Disp-{}", e.disposition),
            "https://ref.gs1.org/cbv/ER-",
        )
    };
    write!(
        out,
        "<{}><eventTime>{}</eventTime><eventTimeZoneOffset>{}</eventTimeZoneOffset>",
        e.kind,
        time_text(e.time_ms, &e.offset),
        e.offset
    )
    .unwrap();
    let mut base = String::new();
    if let Some(id) = &e.event_id {
        write!(base, "<eventID>{}</eventID>", escape(id)).unwrap();
    }
    if let Some((t, r)) = &e.declaration {
        write!(
            base,
            "<errorDeclaration><declarationTime>{}</declarationTime><reason>{reason}{r}</reason></errorDeclaration>",
            time_text(*t, "+00:00")
        )
        .unwrap();
    }
    if v12 && !base.is_empty() {
        write!(out, "<baseExtension>{base}</baseExtension>").unwrap();
    } else {
        out.push_str(&base);
    }
    if let Some(p) = &e.parent {
        write!(out, "<parentID>{}</parentID>", escape(p)).unwrap();
    }
    let list = if e.kind == "AggregationEvent" {
        "childEPCs"
    } else {
        "epcList"
    };
    write!(out, "<{list}>").unwrap();
    for epc in &e.epcs {
        write!(out, "<epc>{}</epc>", escape(epc)).unwrap();
    }
    write!(
        out,
        "</{list}><action>{}</action><bizStep>{step}</bizStep><disposition>{disp}</disposition>",
        e.action
    )
    .unwrap();
    if let Some((lot, expiry)) = &e.ilmd {
        let ilmd = format!(
            "<ilmd><cbvmda:lotNumber>{}</cbvmda:lotNumber><cbvmda:itemExpirationDate>{expiry}</cbvmda:itemExpirationDate></ilmd>",
            escape(lot)
        );
        if v12 {
            write!(out, "<extension>{ilmd}</extension>").unwrap();
        } else {
            out.push_str(&ilmd);
        }
    }
    writeln!(out, "</{}>", e.kind).unwrap();
}

/// The document of `events` in `syntax`, as they are (eventIDs included where set).
pub fn write(events: &[Ev], syntax: Syntax, created_ms: i64) -> String {
    let mut out = String::with_capacity(events.len() * 600);
    let created = time_text(created_ms, "+00:00");
    match syntax {
        Syntax::JsonLd => {
            writeln!(
                out,
                "{{\"@context\":[\"{CONTEXT}\"],\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\",\"creationDate\":\"{created}\",\"epcisBody\":{{\"eventList\":["
            )
            .unwrap();
            for (i, e) in events.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                json_event(&mut out, e);
            }
            out.push_str("\n]}}\n");
        }
        Syntax::Xml20 | Syntax::Xml12 => {
            let (ns, version) = if syntax == Syntax::Xml12 {
                ("urn:epcglobal:epcis:xsd:1", "1.2")
            } else {
                ("urn:epcglobal:epcis:xsd:2", "2.0")
            };
            write!(
                out,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<epcis:EPCISDocument xmlns:epcis=\"{ns}\" xmlns:cbvmda=\"urn:epcglobal:cbv:mda\" schemaVersion=\"{version}\" creationDate=\"{created}\">\n<EPCISBody><EventList>\n"
            )
            .unwrap();
            for e in events {
                xml_event(&mut out, e, syntax);
            }
            out.push_str("</EventList></EPCISBody>\n</epcis:EPCISDocument>\n");
        }
    }
    out
}

/// Gives every event without an eventID its CBV 2.0 hash ID, computed by packbench's hash code
/// on the document as `syntax` writes it (a declaration shares the ID of the event it
/// declares erroneous: the hash leaves the declaration out).
pub fn with_hash_ids(events: &mut [Ev], syntax: Syntax) {
    let doc = write(events, syntax, 0);
    let ids = match syntax {
        Syntax::JsonLd => hash_ids_from_jsonld(&doc),
        Syntax::Xml20 | Syntax::Xml12 => hash_ids_from_xml(&doc),
    }
    .unwrap();
    assert_eq!(ids.len(), events.len());
    for (e, id) in events.iter_mut().zip(ids) {
        if e.event_id.is_none() {
            e.event_id = Some(id);
        }
    }
}

/// `events` with hash IDs, written in `syntax`.
pub fn document(events: &[Ev], syntax: Syntax, created_ms: i64) -> String {
    let mut events = events.to_vec();
    with_hash_ids(&mut events, syntax);
    write(&events, syntax, created_ms)
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_rfc3339_in_the_offset() {
        assert_eq!(
            super::time_text(1_714_557_600_123, "+02:00"),
            "2024-05-01T12:00:00.123+02:00"
        );
        assert_eq!(
            super::time_text(0, "-05:00"),
            "1969-12-31T19:00:00.000-05:00"
        );
    }
}
