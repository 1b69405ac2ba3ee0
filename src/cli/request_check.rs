//! The checks a protocol line passes besides its shape as a [`Request`]: no key twice in one
//! object, no field a command does not take (also for commands that take none), and a value a
//! field does not know named as such (`INVALID_ARGUMENT`, naming the field and the values it
//! takes) rather than as an unknown command.
//!
//! ```
//! use packbench::cli::request_check::duplicate_key;
//! assert_eq!(duplicate_key(r#"{"cmd":"scan","data":"a","data":"b"}"#), Some("duplicate key \"data\"".to_owned()));
//! assert_eq!(duplicate_key(r#"{"cmd":"scan","data":"a"}"#), None);
//! ```

use crate::station::Request;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::collections::HashSet;

/// A JSON value in which no object names a key twice (any depth).
struct Unique;

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_none<E: de::Error>(self) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(Unique)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key \"{key}\"")));
            }
            map.next_value::<Unique>()?;
        }
        Ok(Unique)
    }
}

/// The first key named twice in one object of a JSON text (`None` when there is none, or
/// when the text is not JSON at all: the JSON parser reports that).
pub fn duplicate_key(text: &str) -> Option<String> {
    match serde_json::from_str::<Unique>(text) {
        Err(e) if e.is_data() => {
            let msg = e.to_string();
            Some(msg.split(" at line").next().unwrap_or(&msg).to_owned())
        }
        _ => None,
    }
}

/// Whether `cmd` names a command of the protocol.
pub fn known_command(cmd: &str) -> bool {
    let probe = serde_json::json!({ "cmd": cmd });
    match serde_json::from_value::<Request>(probe) {
        Ok(_) => true,
        Err(e) => !e.to_string().starts_with("unknown variant"),
    }
}

/// Whether `cmd` takes no fields at all (`confirm`, `status`, ...). Serde lets such commands
/// ignore any field; the protocol refuses them like every other unknown field.
fn takes_no_fields(cmd: &str) -> bool {
    let probe = serde_json::json!({ "cmd": cmd, "\u{0}probe": 0 });
    serde_json::from_value::<Request>(probe).is_ok()
}

/// The refusal of a field that a command without fields was given, e.g.
/// `confirm takes no fields, got "sigature"`.
pub fn field_of_fieldless(cmd: &str, value: &Value) -> Option<String> {
    let extra: Vec<&str> = value
        .as_object()?
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "cmd")
        .collect();
    if extra.is_empty() || !takes_no_fields(cmd) {
        return None;
    }
    Some(format!(
        "unknown field `{}`: {cmd} takes no fields",
        extra.join("`, `")
    ))
}

/// Turns serde's "unknown variant `x`, expected one of `a`, `b`" about a field's value into
/// `field 'reason': unknown value 'x' (expected one of a, b)`, finding the field whose value
/// it is. `None` when the message is about something else.
pub fn unknown_value(value: &Value, serde_message: &str) -> Option<String> {
    let rest = serde_message.strip_prefix("unknown variant `")?;
    let (bad, rest) = rest.split_once('`')?;
    let allowed = rest
        .strip_prefix(", expected one of ")
        .or_else(|| rest.strip_prefix(", expected "))
        .map(|list| list.replace('`', ""))
        .unwrap_or_default();
    let field = field_holding(value, bad, "").unwrap_or_else(|| "?".to_owned());
    Some(format!(
        "field '{field}': unknown value '{bad}' (expected one of {allowed})"
    ))
}

/// The path of the (first) field other than `cmd` whose string value is `wanted`.
fn field_holding(value: &Value, wanted: &str, path: &str) -> Option<String> {
    match value {
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if path.is_empty() && k == "cmd" {
                return None;
            }
            let sub = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            match v {
                Value::String(s) if s == wanted => Some(sub),
                _ => field_holding(v, wanted, &sub),
            }
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| match v {
            Value::String(s) if s == wanted => Some(format!("{path}[{i}]")),
            _ => field_holding(v, wanted, &format!("{path}[{i}]")),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn duplicates_at_any_depth() {
        assert!(duplicate_key(r#"{"cmd":"close","signature":{"user":"a","user":"b"}}"#).is_some());
        assert!(duplicate_key(r#"[{"a":1},{"a":1}]"#).is_none());
        assert!(duplicate_key("not json").is_none());
    }

    #[test]
    fn commands_without_fields_are_found() {
        assert!(takes_no_fields("confirm"));
        assert!(takes_no_fields("status"));
        assert!(!takes_no_fields("close"));
        assert!(!takes_no_fields("scan"));
        assert!(known_command("confirm"));
        assert!(known_command("scan"));
        assert!(!known_command("fly"));
    }

    #[test]
    fn unknown_values_name_their_field() {
        let v = serde_json::json!({"cmd":"retire","scan":"x","kind":"burn","reason":"damaged"});
        let d = unknown_value(
            &v,
            "unknown variant `burn`, expected one of `decommission`, `destroy`",
        )
        .unwrap();
        assert_eq!(
            d,
            "field 'kind': unknown value 'burn' (expected one of decommission, destroy)"
        );
    }
}
