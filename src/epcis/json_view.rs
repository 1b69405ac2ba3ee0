//! A light JSON tree for hashing stored documents, and the view the hash reads JSON through.
//!
//! `serde_json::Value` copies every string and keeps objects in B-trees; `audit verify`
//! recomputes the hash ID of every stored event from its body, and building and dropping that
//! tree was most of the cost. [`Json`] borrows its strings from the document text (copying
//! only those with escapes) and keeps an object's entries in one vector, sorted by key with
//! the last of duplicate keys winning — exactly what `Value`'s map holds, so both hash alike.
//! The hash reads either through [`JsonView`].

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// A JSON value borrowing its strings from the text it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as `serde_json` reads it.
    Number(Number),
    /// A string (borrowed unless it had escapes).
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object: entries sorted by key, keys unique (the last duplicate wins).
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    /// Parses a JSON document (the same syntax, limits and errors as `serde_json`).
    pub(crate) fn parse(text: &'a str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Owned(v)))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Json::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries: Vec<(Cow<'de, str>, Json<'de>)> = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            let value = map.next_value()?;
            entries.push((key, value));
        }
        // As `serde_json::Map` keeps them: sorted by key, the last of equal keys wins.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                std::mem::swap(&mut later.1, &mut earlier.1);
                true
            } else {
                false
            }
        });
        Ok(Json::Object(entries))
    }
}

/// An object key, borrowed unless it had escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// What a JSON value is, as the hash reads it.
pub(crate) enum Shape<'v, J> {
    /// An object (its entries through [`JsonView::entries`]).
    Object,
    /// An array.
    Array(&'v [J]),
    /// A string.
    Str(&'v str),
    /// A number, a boolean or null, as the text it stands for in a pre-hash string.
    Scalar(String),
}

/// Read access to a JSON tree: `serde_json::Value` or [`Json`].
pub(crate) trait JsonView: Sized {
    /// What the value is.
    fn shape(&self) -> Shape<'_, Self>;
    /// An object's entries in key order (none for anything else).
    fn entries(&self) -> impl Iterator<Item = (&str, &Self)>;
    /// An object's value for `key`.
    fn get(&self, key: &str) -> Option<&Self>;

    /// The string, if this is one.
    fn as_str(&self) -> Option<&str> {
        match self.shape() {
            Shape::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The items, if this is an array.
    fn as_array(&self) -> Option<&[Self]> {
        match self.shape() {
            Shape::Array(items) => Some(items),
            _ => None,
        }
    }
}

/// The text of a boolean in a pre-hash string.
fn flag(value: bool) -> String {
    if value { "true" } else { "false" }.to_owned()
}

impl JsonView for Value {
    fn shape(&self) -> Shape<'_, Self> {
        match self {
            Value::Object(_) => Shape::Object,
            Value::Array(items) => Shape::Array(items),
            Value::String(text) => Shape::Str(text),
            Value::Number(number) => Shape::Scalar(number.to_string()),
            Value::Bool(value) => Shape::Scalar(flag(*value)),
            Value::Null => Shape::Scalar(String::new()),
        }
    }

    fn entries(&self) -> impl Iterator<Item = (&str, &Self)> {
        self.as_object()
            .into_iter()
            .flat_map(|map| map.iter().map(|(key, value)| (key.as_str(), value)))
    }

    fn get(&self, key: &str) -> Option<&Self> {
        self.as_object().and_then(|map| map.get(key))
    }
}

impl JsonView for Json<'_> {
    fn shape(&self) -> Shape<'_, Self> {
        match self {
            Json::Object(_) => Shape::Object,
            Json::Array(items) => Shape::Array(items),
            Json::String(text) => Shape::Str(text),
            Json::Number(number) => Shape::Scalar(number.to_string()),
            Json::Bool(value) => Shape::Scalar(flag(*value)),
            Json::Null => Shape::Scalar(String::new()),
        }
    }

    fn entries(&self) -> impl Iterator<Item = (&str, &Self)> {
        let entries = match self {
            Json::Object(entries) => entries.as_slice(),
            _ => &[],
        };
        entries.iter().map(|(key, value)| (key.as_ref(), value))
    }

    fn get(&self, key: &str) -> Option<&Self> {
        let Json::Object(entries) = self else {
            return None;
        };
        entries
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .and_then(|at| entries.get(at))
            .map(|(_, value)| value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_hold_what_serde_json_maps_hold() {
        let text =
            r#"{"b": 1, "a": [true, null, 2.50, -3, "x\"y"], "b": {"z": "w"}, "c\u0041": 1e400}"#;
        let json = Json::parse(text);
        let value = serde_json::from_str::<Value>(text);
        // 1e400 is out of range for both.
        assert!(json.is_err() && value.is_err());
        let text =
            r#"{"b": 1, "a": [true, null, 2.50, -3, "x\"y"], "b": {"z": "w"}, "c\u0041": 7}"#;
        let json = Json::parse(text).unwrap();
        let value: Value = serde_json::from_str(text).unwrap();
        let keys: Vec<&str> = json.entries().map(|(k, _)| k).collect();
        let value_keys: Vec<&str> = value.entries().map(|(k, _)| k).collect();
        assert_eq!(keys, value_keys);
        assert_eq!(keys, ["a", "b", "cA"]);
        assert_eq!(
            json.get("b")
                .and_then(|b| b.get("z"))
                .and_then(JsonView::as_str),
            Some("w")
        );
        let items = json.get("a").and_then(JsonView::as_array).unwrap();
        let texts: Vec<String> = items
            .iter()
            .map(|item| match item.shape() {
                Shape::Scalar(text) => text,
                Shape::Str(text) => text.to_owned(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(texts, ["true", "", "2.5", "-3", "x\"y"]);
    }
}
