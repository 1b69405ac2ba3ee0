//! The generic event tree the event hash algorithm works on, and how XML documents become one.
//!
//! Every event, whether it came from JSON-LD or XML, becomes a [`Node`]: a name, a text value and
//! children. XML attributes are children too; `extension` / `baseExtension` wrappers vanish; the
//! `(type, value)` entries of `bizTransactionList`, `sourceList` and `destinationList` become
//! pair nodes.

use quick_xml::NsReader;
use quick_xml::events::Event as XmlEvent;
use quick_xml::name::ResolveResult;

use super::error::EpcisError;

/// A node of the generic event tree.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Node {
    /// Element / key name; `{namespace}local` for namespaced names.
    pub name: String,
    /// Text value (already trimmed for XML).
    pub text: String,
    /// Child nodes.
    pub children: Vec<Node>,
    /// A `(type, value)` pair of a bizTransaction / source / destination list: it has no name of
    /// its own and its children (type first) are rendered as they are.
    pub pair: bool,
}

impl Node {
    /// A node with text and no children.
    pub(crate) fn leaf(name: &str, text: &str) -> Self {
        Self {
            name: name.to_owned(),
            text: text.to_owned(),
            children: Vec::new(),
            pair: false,
        }
    }

    /// A node with children and no text.
    pub(crate) fn branch(name: &str, children: Vec<Node>) -> Self {
        Self {
            name: name.to_owned(),
            text: String::new(),
            children,
            pair: false,
        }
    }
}

/// Names of list entries that carry a `type` and become pairs.
pub(crate) const PAIR_ENTRY_NAMES: &[&str] = &["bizTransaction", "source", "destination"];

/// A parsed XML element (names in `{namespace}local` form).
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    /// Text before the first child element.
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The local part of the name.
    pub(crate) fn local_name(&self) -> &str {
        self.name.rsplit('}').next().unwrap_or(&self.name)
    }

    /// Depth-first search for the first element with local name `local`.
    pub(crate) fn find(&self, local: &str) -> Option<&Element> {
        if self.local_name() == local {
            return Some(self);
        }
        self.children.iter().find_map(|child| child.find(local))
    }
}

fn expanded_name(resolved: &ResolveResult<'_>, local: &[u8]) -> Result<String, EpcisError> {
    let local = String::from_utf8_lossy(local);
    match resolved {
        ResolveResult::Bound(namespace) => Ok(format!(
            "{{{}}}{local}",
            String::from_utf8_lossy(namespace.as_ref())
        )),
        ResolveResult::Unbound => Ok(local.into_owned()),
        ResolveResult::Unknown(prefix) => Err(EpcisError::Xml(format!(
            "undeclared namespace prefix `{}`",
            String::from_utf8_lossy(prefix)
        ))),
    }
}

fn xml_error(error: impl std::fmt::Display) -> EpcisError {
    EpcisError::Xml(error.to_string())
}

/// Adds a finished element to its parent; `extension` / `baseExtension` wrappers (EPCIS 1.2
/// style, no namespace) are dissolved into the parent.
fn attach(parent: &mut Element, child: Element) {
    if child.name == "extension" || child.name == "baseExtension" {
        parent.children.extend(child.children);
    } else {
        parent.children.push(child);
    }
}

/// Deepest element nesting accepted (EPCIS documents nest about 8 deep; this bounds recursion on
/// hostile input).
const MAX_DEPTH: usize = 128;

/// Parses an XML document into its root element.
pub(crate) fn parse_xml(doc: &str) -> Result<Element, EpcisError> {
    let mut reader = NsReader::from_str(doc);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let (resolved, event) = reader.read_resolved_event().map_err(xml_error)?;
        let is_empty = matches!(event, XmlEvent::Empty(_));
        match event {
            XmlEvent::Start(start) | XmlEvent::Empty(start) => {
                let name = expanded_name(&resolved, start.local_name().as_ref())?;
                let mut element = Element {
                    name,
                    ..Element::default()
                };
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(xml_error)?;
                    if attribute.key.as_namespace_binding().is_some() {
                        continue;
                    }
                    let (attr_ns, attr_local) = reader.resolve_attribute(attribute.key);
                    let attr_name = expanded_name(&attr_ns, attr_local.as_ref())?;
                    let value = attribute.unescape_value().map_err(xml_error)?;
                    element.attributes.push((attr_name, value.into_owned()));
                }
                if is_empty {
                    let parent = stack.last_mut().ok_or_else(|| xml_error("unbalanced"))?;
                    attach(parent, element);
                } else if stack.len() > MAX_DEPTH {
                    return Err(xml_error(format!(
                        "elements nested deeper than {MAX_DEPTH}"
                    )));
                } else {
                    stack.push(element);
                }
            }
            XmlEvent::End(_) => {
                let element = stack.pop().ok_or_else(|| xml_error("unbalanced end tag"))?;
                let parent = stack
                    .last_mut()
                    .ok_or_else(|| xml_error("unbalanced end tag"))?;
                attach(parent, element);
            }
            XmlEvent::Text(text) => {
                let current = stack
                    .last_mut()
                    .ok_or_else(|| xml_error("text outside root"))?;
                if current.children.is_empty() {
                    current
                        .text
                        .push_str(&text.xml_content().map_err(xml_error)?);
                }
            }
            XmlEvent::CData(data) => {
                let current = stack
                    .last_mut()
                    .ok_or_else(|| xml_error("text outside root"))?;
                if current.children.is_empty() {
                    current.text.push_str(&data.decode().map_err(xml_error)?);
                }
            }
            XmlEvent::GeneralRef(reference) => {
                let resolved_text =
                    if let Some(c) = reference.resolve_char_ref().map_err(xml_error)? {
                        c.to_string()
                    } else {
                        let name = reference.decode().map_err(xml_error)?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| xml_error(format!("unknown entity `&{name};`")))?
                            .to_owned()
                    };
                let current = stack
                    .last_mut()
                    .ok_or_else(|| xml_error("text outside root"))?;
                if current.children.is_empty() {
                    current.text.push_str(&resolved_text);
                }
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    let mut document = stack.pop().ok_or_else(|| xml_error("unbalanced"))?;
    if !stack.is_empty() {
        return Err(xml_error("unexpected end of document"));
    }
    if document.children.len() != 1 {
        return Err(xml_error("expected exactly one root element"));
    }
    document
        .children
        .pop()
        .ok_or_else(|| xml_error("no root element"))
}

/// Expands the `gs1:` and `cbv:` CURIEs EPCIS XML uses in values.
pub(crate) fn expand_value_prefixes(text: &str) -> String {
    // Every occurrence is replaced when the value starts with a prefix; the web URIs that
    // replace `gs1:` do not start with `cbv:`.
    if text.starts_with("gs1:") {
        text.replace("gs1:", super::vocab::GS1_VOC)
    } else if text.starts_with("cbv:") {
        text.replace("cbv:", super::vocab::CBV_WEB)
    } else {
        text.to_owned()
    }
}

/// Converts an XML element to a hash tree node: attributes become children, children are sorted,
/// list entries with a `type` become pairs, `gs1:` / `cbv:` value prefixes are expanded.
pub(crate) fn node_from_xml(element: &Element) -> Node {
    let mut node = raw_node_from_xml(element);
    expand_tree(&mut node);
    node
}

fn raw_node_from_xml(element: &Element) -> Node {
    let mut children: Vec<Node> = element
        .attributes
        .iter()
        .map(|(name, value)| Node::leaf(name, value))
        .collect();
    children.extend(element.children.iter().map(raw_node_from_xml));
    children.sort();
    if children
        .iter()
        .any(|child| PAIR_ENTRY_NAMES.contains(&child.name.as_str()))
    {
        children = children
            .into_iter()
            .filter(|child| PAIR_ENTRY_NAMES.contains(&child.name.as_str()))
            .map(|entry| {
                let mut pair = Vec::new();
                if let Some(kind) = entry.children.iter().find(|c| c.name == "type") {
                    pair.push(kind.clone());
                }
                pair.push(Node::leaf(&entry.name, &entry.text));
                Node {
                    name: String::new(),
                    text: String::new(),
                    children: pair,
                    pair: true,
                }
            })
            .collect();
    }
    Node {
        name: element.name.clone(),
        text: element.text.trim().to_owned(),
        children,
        pair: false,
    }
}

/// Expands value prefixes everywhere.
fn expand_tree(node: &mut Node) {
    node.text = expand_value_prefixes(&node.text);
    for child in &mut node.children {
        expand_tree(child);
    }
}

/// The events of an EPCIS XML document (EPCISDocument or EPCISQueryDocument, 1.2 or 2.0) as
/// hash trees, in document order. Fields named in a document-level `ignoreFields` element are
/// left out.
pub(crate) fn event_nodes_from_xml(doc: &str) -> Result<Vec<Node>, EpcisError> {
    event_nodes_of_root(&parse_xml(doc)?)
}

/// As [`event_nodes_from_xml`], for a document already parsed into its root element.
pub(crate) fn event_nodes_of_root(root: &Element) -> Result<Vec<Node>, EpcisError> {
    let ignored: Vec<String> = root
        .children
        .iter()
        .find(|child| child.local_name() == "ignoreFields")
        .map(|fields| fields.children.iter().map(|f| f.name.clone()).collect())
        .unwrap_or_default();
    let list = root.find("EventList").ok_or(EpcisError::NoEventList)?;
    Ok(list
        .children
        .iter()
        .map(|event| {
            let mut event = event.clone();
            for name in &ignored {
                if let Some(at) = event.children.iter().position(|c| &c.name == name) {
                    event.children.remove(at);
                }
            }
            node_from_xml(&event)
        })
        .collect())
}
