//! How EPCIS 2.0 JSON-LD events become generic hash trees (see [`super::tree`]).
//!
//! JSON-LD and XML model a few things differently (`epcList: [..]` versus `<epcList><epc>..`,
//! quantity elements, `childEPCs`); this module reshapes the JSON side into the XML shape, and
//! expands the CBV / GS1 vocabulary short names (`"bizStep": "packing"`) into their URIs the way the
//! EPCIS JSON-LD context defines them. Keys with a declared prefix (`pb:reason`) become
//! `{namespace}local` like XML element names; values are treated as in XML (only the `gs1:` and
//! `cbv:` CURIEs are expanded), so both syntaxes of an event hash alike.

use super::error::EpcisError;
use super::json_view::{JsonView, Shape};
use super::tree::{Node, PAIR_ENTRY_NAMES};
use super::vocab::{self, Vocabulary};

/// Namespace prefixes declared in a JSON-LD `@context` (prefix, namespace URI).
pub(crate) type Namespaces = Vec<(String, String)>;

/// Prefix → namespace bindings of a JSON-LD `@context` (objects in it; URLs are ignored).
pub(crate) fn namespaces_from_context<J: JsonView>(context: Option<&J>) -> Namespaces {
    let mut out = Namespaces::new();
    let entries: Vec<&J> = match context.map(|c| (c, c.shape())) {
        Some((_, Shape::Array(items))) => items.iter().collect(),
        Some((other, _)) => vec![other],
        None => Vec::new(),
    };
    for entry in entries {
        for (prefix, binding) in entry.entries() {
            let uri = match binding.shape() {
                Shape::Str(uri) => Some(uri),
                Shape::Object => binding.get("@id").and_then(JsonView::as_str),
                _ => None,
            };
            if let Some(uri) = uri {
                out.retain(|(p, _)| p != prefix);
                out.push((prefix.to_owned(), uri.to_owned()));
            }
        }
    }
    out
}

fn namespace_of<'a>(namespaces: &'a Namespaces, prefix: &str) -> Option<&'a str> {
    namespaces
        .iter()
        .find(|(p, _)| p == prefix)
        .map(|(_, uri)| uri.as_str())
}

/// `pb:reason` → `{https://ns.packbench.dev/epcis/1/}reason` when `pb` is declared.
fn expand_key(key: &str, namespaces: &Namespaces) -> String {
    match key.split_once(':') {
        Some((prefix, local)) => match namespace_of(namespaces, prefix) {
            Some(uri) => format!("{{{uri}}}{local}"),
            None => key.to_owned(),
        },
        None => key.to_owned(),
    }
}

/// The vocabulary URI a JSON-LD processor would give a value of a vocabulary-typed field (the
/// value itself when it is not a term nor a `cbv:` / `gs1:` CURIE).
fn expand_term(text: &str, vocabulary: &Vocabulary) -> Option<String> {
    if vocabulary.is_term(text) {
        Some(vocabulary.web_uri(text))
    } else if let Some(rest) = text.strip_prefix("cbv:") {
        Some(format!("{}{rest}", vocab::CBV_WEB))
    } else {
        text.strip_prefix("gs1:")
            .map(|rest| format!("{}{rest}", vocab::GS1_VOC))
    }
}

/// Where in an event an object sits: which of its fields the EPCIS context types as `@vocab`
/// (bizStep, disposition, persistentDisposition, list types, error reason, sensor types).
#[derive(Clone, Copy)]
enum Scope {
    /// The event itself.
    Event,
    /// A `persistentDisposition`: `set` and `unset` are dispositions.
    PersistentDisposition,
    /// An entry of a typed list: its `type` is of this vocabulary.
    TypedEntry(&'static Vocabulary),
    /// An `errorDeclaration`: its `reason`.
    ErrorDeclaration,
    /// A `sensorElementList` entry: its `sensorReport` objects.
    SensorElement,
    /// A `sensorReport`: its `type`, `exception` and `component`.
    SensorReport,
    /// Anywhere else: nothing is expanded.
    Plain,
}

/// How the value of a field is read: the vocabulary its strings (or the strings of its array)
/// are terms of, and the scope of its objects (or of the objects of its array).
#[derive(Clone, Copy)]
struct Field {
    terms: Option<&'static Vocabulary>,
    objects: Scope,
}

const PLAIN: Field = Field {
    terms: None,
    objects: Scope::Plain,
};

impl Scope {
    /// How the value of the field `key` of an object in this scope is read.
    fn field(self, key: &str) -> Field {
        let terms = |vocabulary: &'static Vocabulary| Field {
            terms: Some(vocabulary),
            objects: Scope::Plain,
        };
        let objects = |scope: Scope| Field {
            terms: None,
            objects: scope,
        };
        match (self, key) {
            (Self::Event, "bizStep") => terms(&vocab::BIZ_STEP),
            (Self::Event, "disposition") | (Self::PersistentDisposition, "set" | "unset") => {
                terms(&vocab::DISPOSITION)
            }
            (Self::Event, "persistentDisposition") => objects(Self::PersistentDisposition),
            (Self::Event, "bizTransactionList") => {
                objects(Self::TypedEntry(&vocab::BIZ_TRANSACTION_TYPE))
            }
            (Self::Event, "sourceList" | "destinationList") => {
                objects(Self::TypedEntry(&vocab::SOURCE_DEST_TYPE))
            }
            (Self::Event, "errorDeclaration") => objects(Self::ErrorDeclaration),
            (Self::Event, "sensorElementList") => objects(Self::SensorElement),
            (Self::TypedEntry(vocabulary), "type") => terms(vocabulary),
            (Self::ErrorDeclaration, "reason") => terms(&vocab::ERROR_REASON),
            (Self::SensorElement, "sensorReport") => objects(Self::SensorReport),
            (Self::SensorReport, "type") => terms(&vocab::MEASUREMENT_TYPE),
            (Self::SensorReport, "exception") => terms(&vocab::SENSOR_EXCEPTION),
            (Self::SensorReport, "component") => terms(&vocab::COMPONENT),
            _ => PLAIN,
        }
    }
}

/// Keys that never take part in the tree.
const SKIPPED_KEYS: &[&str] = &["#text", "rdfs:comment", "comment"];

/// Straight JSON → tree conversion (before the reshaping of [`reshape`]) of a value read as
/// `field` says, into a node called `name`. The vocabulary short names of the fields the EPCIS
/// context types as `@vocab` are expanded on the way (a JSON-LD processor would do so): only a
/// string, or a string directly in an array, is a term; only an object, or an object directly
/// in an array, takes the field's scope.
fn json_to_node<J: JsonView>(
    name: String,
    value: &J,
    field: Field,
    namespaces: &Namespaces,
    ignored: &[String],
) -> Node {
    match value.shape() {
        Shape::Object => {
            let scope = field.objects;
            let mut children = Vec::new();
            let mut pair_entry = false;
            for (key, child_value) in value.entries() {
                pair_entry |= PAIR_ENTRY_NAMES.contains(&key);
                if SKIPPED_KEYS.contains(&key) || ignored.iter().any(|i| i == key) {
                    continue;
                }
                let child_field = scope.field(key);
                let key = expand_key(key, namespaces);
                if let Shape::Array(items) = child_value.shape() {
                    children.reserve(items.len());
                    for item in items {
                        children.push(array_item(key.clone(), item, child_field, namespaces));
                    }
                } else {
                    children.push(json_to_node(key, child_value, child_field, namespaces, &[]));
                }
            }
            if !pair_entry {
                children.sort_unstable();
            }
            Node {
                name,
                text: String::new(),
                children,
                pair: false,
            }
        }
        Shape::Array(items) => Node {
            name,
            text: String::new(),
            // An array in an array: its objects keep the name their `type` gives them.
            children: items
                .iter()
                .map(|item| {
                    let name = item
                        .get("type")
                        .and_then(JsonView::as_str)
                        .unwrap_or_default();
                    array_item(name.to_owned(), item, field, namespaces)
                })
                .collect(),
            pair: false,
        },
        Shape::Str(text) => {
            let expanded = field
                .terms
                .and_then(|vocabulary| expand_term(text, vocabulary));
            let text = match expanded {
                Some(uri) => super::tree::expand_value_prefixes(&uri),
                None => super::tree::expand_value_prefixes(text),
            };
            Node {
                name,
                text,
                children: Vec::new(),
                pair: false,
            }
        }
        Shape::Scalar(text) => Node {
            name,
            text,
            children: Vec::new(),
            pair: false,
        },
    }
}

/// An item of an array read as `field`: strings and objects directly in it are read so, an
/// array in it is plain.
fn array_item<J: JsonView>(name: String, item: &J, field: Field, namespaces: &Namespaces) -> Node {
    let field = if item.as_array().is_some() {
        PLAIN
    } else {
        field
    };
    json_to_node(name, item, field, namespaces, &[])
}

const PAIR_LISTS: &[&str] = &["bizTransactionList", "sourceList", "destinationList"];

/// Reshapes a converted JSON node into the XML model: `xList` entries grouped under one `xList`
/// node with `x` children (pairs for the typed lists), `childEPCs` grouped into `epc` children,
/// quantity elements renamed.
fn reshape(node: Node) -> Node {
    let mut children = Vec::new();
    let mut lists: Vec<(String, Vec<Node>)> = Vec::new();
    let mut child_epcs = Vec::new();
    for child in node.children {
        if !child.pair && child.name.ends_with("List") {
            let list_name = child.name.clone();
            let entry = Node {
                name: list_name[..list_name.len() - 4].to_owned(),
                ..child
            };
            match lists.iter_mut().find(|(name, _)| *name == list_name) {
                Some((_, entries)) => entries.push(entry),
                None => lists.push((list_name, vec![entry])),
            }
        } else if child.name == "childEPCs" {
            child_epcs.push(Node {
                name: "epc".to_owned(),
                text: child.text,
                children: Vec::new(),
                pair: false,
            });
        } else {
            children.push(child);
        }
    }
    for (list_name, entries) in lists {
        if PAIR_LISTS.contains(&list_name.as_str()) {
            let pairs = entries.into_iter().map(|entry| to_pair(&entry)).collect();
            children.push(Node::branch(&list_name, pairs));
        } else {
            children.push(Node::branch(&list_name, entries));
        }
    }
    if !child_epcs.is_empty() {
        children.push(Node::branch("childEPCs", child_epcs));
    }
    let children = children
        .into_iter()
        .map(|child| {
            if PAIR_LISTS.contains(&child.name.as_str()) {
                child
            } else {
                reshape(child)
            }
        })
        .collect::<Vec<_>>();
    let name = match node.name.as_str() {
        "inputEPC" | "outputEPC" => "epc".to_owned(),
        "inputQuantity" | "outputQuantity" | "childQuantity" => "quantityElement".to_owned(),
        "quantity" if !children.is_empty() => "quantityElement".to_owned(),
        _ => node.name,
    };
    Node {
        name,
        text: node.text,
        children,
        pair: node.pair,
    }
}

/// A typed list entry (`{"type": .., "bizTransaction": ..}`) as a pair node, type first.
fn to_pair(entry: &Node) -> Node {
    let mut pair = Vec::new();
    if let Some(kind) = entry.children.iter().find(|c| c.name == "type") {
        pair.push(kind.clone());
    }
    if let Some(value) = entry.children.iter().find(|c| c.name == entry.name) {
        pair.push(value.clone());
    }
    Node {
        name: String::new(),
        text: String::new(),
        children: pair,
        pair: true,
    }
}

/// One JSON-LD event object as a hash tree. `ignored` lists keys to leave out.
pub(crate) fn event_node_from_json<J: JsonView>(
    event: &J,
    namespaces: &Namespaces,
    ignored: &[String],
) -> Node {
    let name = event
        .get("type")
        .and_then(JsonView::as_str)
        .unwrap_or_default()
        .to_owned();
    let field = Field {
        terms: None,
        objects: Scope::Event,
    };
    reshape(json_to_node(name, event, field, namespaces, ignored))
}

/// Keys of `holder` naming repository-specific fields to leave out of the hash
/// (`"<prefix>:ignoreFields": ["<prefix>:field", ...]`).
fn ignored_fields<J: JsonView>(holder: &J) -> Vec<String> {
    holder
        .entries()
        .filter(|(key, _)| key.ends_with(":ignoreFields"))
        .filter_map(|(_, value)| value.as_array())
        .flatten()
        .filter_map(JsonView::as_str)
        .map(str::to_owned)
        .collect()
}

/// The events of an EPCIS 2.0 JSON-LD document (EPCISDocument or EPCISQueryDocument) as hash
/// trees, in document order.
pub(crate) fn event_nodes_from_json<J: JsonView>(doc: &J) -> Result<Vec<Node>, EpcisError> {
    let namespaces = namespaces_from_context(doc.get("@context"));
    let body = doc.get("epcisBody").ok_or(EpcisError::NoEventList)?;
    let (events, holder): (&[J], &J) = if let Some(list) = body.get("eventList") {
        (list.as_array().unwrap_or_default(), doc)
    } else if let Some(results) = body.get("queryResults") {
        let list = results
            .get("resultsBody")
            .and_then(|b| b.get("eventList"))
            .and_then(JsonView::as_array)
            .ok_or(EpcisError::NoEventList)?;
        (list, results)
    } else if let Some(event) = body.get("event") {
        (std::slice::from_ref(event), doc)
    } else {
        return Err(EpcisError::NoEventList);
    };
    let ignored = ignored_fields(holder);
    Ok(events
        .iter()
        .map(|event| event_node_from_json(event, &namespaces, &ignored))
        .collect())
}
