//! How EPCIS 2.0 JSON-LD events become generic hash trees (see [`super::tree`]).
//!
//! JSON-LD and XML model a few things differently (`epcList: [..]` versus `<epcList><epc>..`,
//! quantity elements, `childEPCs`); this module reshapes the JSON side into the XML shape, and
//! expands the CBV / GS1 vocabulary short names (`"bizStep": "packing"`) into their URIs the way the
//! EPCIS JSON-LD context defines them. Keys with a declared prefix (`pb:reason`) become
//! `{namespace}local` like XML element names; values are treated as in XML (only the `gs1:` and
//! `cbv:` CURIEs are expanded), so both syntaxes of an event hash alike.

use serde_json::{Map, Value};

use super::error::EpcisError;
use super::tree::{Node, PAIR_ENTRY_NAMES};
use super::vocab::{self, Vocabulary};

/// Namespace prefixes declared in a JSON-LD `@context` (prefix, namespace URI).
pub(crate) type Namespaces = Vec<(String, String)>;

/// Prefix → namespace bindings of a JSON-LD `@context` (objects in it; URLs are ignored).
pub(crate) fn namespaces_from_context(context: Option<&Value>) -> Namespaces {
    let mut out = Namespaces::new();
    let entries: Vec<&Value> = match context {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    for entry in entries {
        if let Value::Object(map) = entry {
            for (prefix, binding) in map {
                let uri = match binding {
                    Value::String(uri) => Some(uri.as_str()),
                    Value::Object(definition) => definition.get("@id").and_then(Value::as_str),
                    _ => None,
                };
                if let Some(uri) = uri {
                    out.retain(|(p, _)| p != prefix);
                    out.push((prefix.clone(), uri.to_owned()));
                }
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

/// The vocabulary URI a JSON-LD processor would give a value of a vocabulary-typed field.
fn expand_term(value: &mut Value, vocabulary: &Vocabulary) {
    if let Value::String(text) = value {
        let expanded = if vocabulary.is_term(text) {
            vocabulary.web_uri(text)
        } else if let Some(rest) = text.strip_prefix("cbv:") {
            format!("{}{rest}", vocab::CBV_WEB)
        } else if let Some(rest) = text.strip_prefix("gs1:") {
            format!("{}{rest}", vocab::GS1_VOC)
        } else {
            return;
        };
        *text = expanded;
    }
}

fn expand_terms(value: Option<&mut Value>, vocabulary: &Vocabulary) {
    match value {
        Some(Value::Array(items)) => items
            .iter_mut()
            .for_each(|item| expand_term(item, vocabulary)),
        Some(item) => expand_term(item, vocabulary),
        None => {}
    }
}

fn for_each_object(value: Option<&mut Value>, mut f: impl FnMut(&mut Map<String, Value>)) {
    let Some(value) = value else {
        return;
    };
    match value {
        Value::Array(items) => {
            for item in items {
                if let Value::Object(map) = item {
                    f(map);
                }
            }
        }
        Value::Object(map) => f(map),
        _ => {}
    }
}

/// Expands the vocabulary short names of one event, in the fields the EPCIS context types as
/// `@vocab` (bizStep, disposition, persistentDisposition, list types, error reason, sensor types).
pub(crate) fn expand_vocabulary(event: &mut Map<String, Value>) {
    expand_terms(event.get_mut("bizStep"), &vocab::BIZ_STEP);
    expand_terms(event.get_mut("disposition"), &vocab::DISPOSITION);
    for_each_object(event.get_mut("persistentDisposition"), |pd| {
        expand_terms(pd.get_mut("set"), &vocab::DISPOSITION);
        expand_terms(pd.get_mut("unset"), &vocab::DISPOSITION);
    });
    for_each_object(event.get_mut("bizTransactionList"), |entry| {
        expand_terms(entry.get_mut("type"), &vocab::BIZ_TRANSACTION_TYPE);
    });
    for list in ["sourceList", "destinationList"] {
        for_each_object(event.get_mut(list), |entry| {
            expand_terms(entry.get_mut("type"), &vocab::SOURCE_DEST_TYPE);
        });
    }
    for_each_object(event.get_mut("errorDeclaration"), |declaration| {
        expand_terms(declaration.get_mut("reason"), &vocab::ERROR_REASON);
    });
    for_each_object(event.get_mut("sensorElementList"), |element| {
        for_each_object(element.get_mut("sensorReport"), |report| {
            expand_terms(report.get_mut("type"), &vocab::MEASUREMENT_TYPE);
            expand_terms(report.get_mut("exception"), &vocab::SENSOR_EXCEPTION);
            expand_terms(report.get_mut("component"), &vocab::COMPONENT);
        });
    });
}

/// Keys that never take part in the tree.
const SKIPPED_KEYS: &[&str] = &["#text", "rdfs:comment", "comment"];

/// Straight JSON → tree conversion (before the reshaping of [`reshape`]).
fn json_to_node(value: &Value, namespaces: &Namespaces, ignored: &[String]) -> Node {
    match value {
        Value::Object(map) => {
            let name = map.get("type").and_then(Value::as_str).unwrap_or_default();
            let mut children = Vec::new();
            for (key, child_value) in map {
                if SKIPPED_KEYS.contains(&key.as_str()) || ignored.contains(key) {
                    continue;
                }
                let child = json_to_node(child_value, namespaces, &[]);
                let key = expand_key(key, namespaces);
                if child_value.is_array() {
                    for item in child.children {
                        children.push(Node {
                            name: key.clone(),
                            ..item
                        });
                    }
                } else {
                    children.push(Node { name: key, ..child });
                }
            }
            if !map
                .keys()
                .any(|key| PAIR_ENTRY_NAMES.contains(&key.as_str()))
            {
                children.sort();
            }
            Node::branch(name, children)
        }
        Value::Array(items) => Node::branch(
            "",
            items
                .iter()
                .map(|item| json_to_node(item, namespaces, &[]))
                .collect(),
        ),
        Value::String(text) => Node::leaf("", &super::tree::expand_value_prefixes(text)),
        Value::Number(number) => Node::leaf("", &number.to_string()),
        Value::Bool(flag) => Node::leaf("", if *flag { "true" } else { "false" }),
        Value::Null => Node::leaf("", ""),
    }
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
            child_epcs.push(Node::leaf("epc", &child.text));
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
pub(crate) fn event_node_from_json(
    event: &Value,
    namespaces: &Namespaces,
    ignored: &[String],
) -> Node {
    let mut event = event.clone();
    if let Value::Object(map) = &mut event {
        expand_vocabulary(map);
    }
    reshape(json_to_node(&event, namespaces, ignored))
}

/// Keys of `holder` naming repository-specific fields to leave out of the hash
/// (`"<prefix>:ignoreFields": ["<prefix>:field", ...]`).
fn ignored_fields(holder: Option<&Value>) -> Vec<String> {
    let Some(Value::Object(map)) = holder else {
        return Vec::new();
    };
    map.iter()
        .filter(|(key, _)| key.ends_with(":ignoreFields"))
        .filter_map(|(_, value)| value.as_array())
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The events of an EPCIS 2.0 JSON-LD document (EPCISDocument or EPCISQueryDocument) as hash
/// trees, in document order.
pub(crate) fn event_nodes_from_json(doc: &Value) -> Result<Vec<Node>, EpcisError> {
    let namespaces = namespaces_from_context(doc.get("@context"));
    let body = doc.get("epcisBody").ok_or(EpcisError::NoEventList)?;
    let (events, holder): (Vec<&Value>, Option<&Value>) = if let Some(list) = body.get("eventList")
    {
        (
            list.as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            Some(doc),
        )
    } else if let Some(results) = body.get("queryResults") {
        let list = results
            .get("resultsBody")
            .and_then(|b| b.get("eventList"))
            .and_then(Value::as_array)
            .ok_or(EpcisError::NoEventList)?;
        (list.iter().collect(), Some(results))
    } else if let Some(event) = body.get("event") {
        (vec![event], Some(doc))
    } else {
        return Err(EpcisError::NoEventList);
    };
    let ignored = ignored_fields(holder);
    Ok(events
        .into_iter()
        .map(|event| event_node_from_json(event, &namespaces, &ignored))
        .collect())
}
