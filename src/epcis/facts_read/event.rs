//! Reading one event tree into [`EventFacts`], checking every field on the way.

use super::*;

/// One event tree being read.
pub(super) struct EventReader<'a> {
    pub(super) n: usize,
    pub(super) node: &'a Node,
    pub(super) prefixes: &'a [String],
}

impl EventReader<'_> {
    fn err(&self, field: &str, message: impl Into<String>) -> FactsError {
        FactsError {
            event: Some(self.n),
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// The one child named `name` of `parent` (`field` names it in errors), if any.
    fn single<'n>(
        &self,
        parent: &'n Node,
        name: &str,
        field: &str,
    ) -> Result<Option<&'n Node>, FactsError> {
        let mut found = parent.children.iter().filter(|c| c.name == name);
        let first = found.next();
        if found.next().is_some() {
            return Err(self.err(field, "given more than once"));
        }
        Ok(first)
    }

    /// The text of the one child `name` of `parent`; empty text counts as missing.
    fn text<'n>(
        &self,
        parent: &'n Node,
        name: &str,
        field: &str,
    ) -> Result<Option<&'n str>, FactsError> {
        Ok(self
            .single(parent, name, field)?
            .map(|n| n.text.as_str())
            .filter(|t| !t.is_empty()))
    }

    pub(super) fn facts(&self) -> Result<EventFacts, FactsError> {
        let node = self.node;
        let kind = match FactKind::from_type_name(&node.name) {
            Some(kind) => kind,
            None if node.name.is_empty() => return Err(self.err("type", "missing")),
            None => {
                return Err(self.err(
                    "type",
                    format!("`{}` is not an EPCIS event type", node.name),
                ));
            }
        };
        let event_time = self
            .text(node, "eventTime", "eventTime")?
            .ok_or_else(|| self.err("eventTime", "missing"))?;
        let (event_time_ms, _) = timestamp::parse_rfc3339(event_time).map_err(|_| {
            self.err(
                "eventTime",
                format!("`{event_time}` is not an RFC 3339 date-time with an offset"),
            )
        })?;
        let offset = self
            .text(node, "eventTimeZoneOffset", "eventTimeZoneOffset")?
            .ok_or_else(|| self.err("eventTimeZoneOffset", "missing"))?;
        if offset == "Z" || timestamp::parse_offset(offset).is_err() {
            return Err(self.err(
                "eventTimeZoneOffset",
                format!("`{offset}` is not +HH:MM or -HH:MM"),
            ));
        }
        let action = self.action(kind)?;
        let mut facts = EventFacts::new(kind, action, event_time_ms);
        facts.event_id = self.event_id()?;
        facts.parent = self
            .text(node, "parentID", "parentID")?
            .map(|p| self.epc("parentID", p))
            .transpose()?;
        let needs_parent = match kind {
            FactKind::Aggregation => matches!(action, Some(FactAction::Add | FactAction::Delete)),
            FactKind::Association => true,
            _ => false,
        };
        if needs_parent && facts.parent.is_none() {
            return Err(self.err(
                "parentID",
                format!(
                    "missing: an {} {} needs one",
                    kind.type_name(),
                    node_action_text(action)
                ),
            ));
        }
        let lists: &[&str] = match kind {
            FactKind::Object | FactKind::Transaction => &["epcList"],
            FactKind::Aggregation | FactKind::Association => &["childEPCs"],
            FactKind::Transformation => &["inputEPCList", "outputEPCList"],
        };
        for list in lists {
            if let Some(holder) = self.single(node, list, list)? {
                for epc in &holder.children {
                    if epc.name != "epc" {
                        return Err(self.err(list, format!("unexpected element `{}`", epc.name)));
                    }
                    facts.epcs.push(self.epc(list, &epc.text)?);
                }
            }
        }
        facts.biz_step = self
            .text(node, "bizStep", "bizStep")?
            .map(|v| self.vocabulary("bizStep", &vocab::BIZ_STEP, v))
            .transpose()?;
        facts.disposition = self
            .text(node, "disposition", "disposition")?
            .map(|v| self.vocabulary("disposition", &vocab::DISPOSITION, v))
            .transpose()?;
        if let Some(ilmd) = self.single(node, "ilmd", "ilmd")? {
            self.ilmd(ilmd, &mut facts)?;
        }
        if let Some(declaration) = self.single(node, "errorDeclaration", "errorDeclaration")? {
            if facts.event_id.is_none() {
                return Err(self.err(
                    "eventID",
                    "missing: an error declaration names the erroneous event by its eventID",
                ));
            }
            facts.error_declaration = Some(self.declaration(declaration)?);
        }
        if let Some(id) = &facts.event_id
            && id.starts_with(HASH_ID_PREFIX)
        {
            let computed = hash_id_of_prehash(&prehash_of_node(node));
            if !computed.eq_ignore_ascii_case(id) {
                return Err(self.err(
                    "eventID",
                    format!(
                        "the hash ID `{id}` does not match the event's content (computed `{computed}`)"
                    ),
                ));
            }
        }
        Ok(facts)
    }

    fn action(&self, kind: FactKind) -> Result<Option<FactAction>, FactsError> {
        let text = self.text(self.node, "action", "action")?;
        match (kind, text) {
            (FactKind::Transformation, None) => Ok(None),
            (FactKind::Transformation, Some(a)) => Err(self.err(
                "action",
                format!("a TransformationEvent has no action (found `{a}`)"),
            )),
            (_, None) => Err(self.err(
                "action",
                format!(
                    "missing: an {} needs ADD, OBSERVE or DELETE",
                    kind.type_name()
                ),
            )),
            (_, Some(a)) => FactAction::parse(a)
                .map(Some)
                .ok_or_else(|| self.err("action", format!("`{a}` is not ADD, OBSERVE or DELETE"))),
        }
    }

    fn event_id(&self) -> Result<Option<String>, FactsError> {
        let Some(id) = self.text(self.node, "eventID", "eventID")? else {
            return Ok(None);
        };
        if !is_absolute_uri(id) {
            return Err(self.err("eventID", format!("`{id}` is not an absolute URI")));
        }
        Ok(Some(id.to_owned()))
    }

    /// One EPC: an EPC URI as it is, a Digital Link as an EPC URI where a known company prefix
    /// allows (else canonical), any other absolute URI as it is.
    fn epc(&self, field: &str, value: &str) -> Result<String, FactsError> {
        if value.starts_with("urn:epc:") {
            return match value.parse::<EpcUri>() {
                Ok(epc) if epc.form == EpcUriForm::Id => Ok(value.to_owned()),
                Ok(_) => Err(self.err(
                    field,
                    format!("`{value}` names a class or pattern, not one object"),
                )),
                Err(e) => Err(self.err(field, e.to_string())),
            };
        }
        if (value.starts_with("https://") || value.starts_with("http://"))
            && looks_like_digital_link(value)
        {
            let canonical = canonical_gs1_uri(value).ok_or_else(|| {
                self.err(
                    field,
                    format!("`{value}` is not a valid GS1 Digital Link URI"),
                )
            })?;
            let segments: Vec<&str> = canonical
                .trim_start_matches("https://id.gs1.org/")
                .split('/')
                .collect();
            if matches!(
                segments.as_slice(),
                ["01", _] | ["01", _, "10", _] | ["8006", _]
            ) {
                return Err(self.err(
                    field,
                    format!("`{value}` names a product or lot, not one object"),
                ));
            }
            return Ok(digital_link_to_epc(&canonical, self.prefixes).unwrap_or(canonical));
        }
        if is_absolute_uri(value) {
            Ok(value.to_owned())
        } else {
            Err(self.err(field, format!("`{value}` is not an EPC URI nor any URI")))
        }
    }

    /// A CBV term as its bare word; a URI outside the CBV as it is.
    fn vocabulary(
        &self,
        field: &str,
        vocabulary: &Vocabulary,
        value: &str,
    ) -> Result<String, FactsError> {
        let short = vocabulary.short_name(value);
        if vocabulary.is_term(&short) {
            return Ok(short);
        }
        if value.starts_with(vocab::CBV_WEB) || value.starts_with(CBV_URN) {
            return Err(self.err(field, format!("`{value}` is no term of the CBV {field}s")));
        }
        if is_absolute_uri(value) {
            Ok(value.to_owned())
        } else {
            Err(self.err(
                field,
                format!("`{value}` is neither a CBV {field} nor a URI"),
            ))
        }
    }

    fn ilmd(&self, ilmd: &Node, facts: &mut EventFacts) -> Result<(), FactsError> {
        for child in &ilmd.children {
            match master_data_name(&child.name) {
                Some("lotNumber") => {
                    let field = "ilmd.cbvmda:lotNumber";
                    if facts.lot.is_some() {
                        return Err(self.err(field, "given more than once"));
                    }
                    let lot = child.text.parse::<Lot>().map_err(|e| {
                        self.err(field, format!("`{}` is not a GS1 lot: {e}", child.text))
                    })?;
                    facts.lot = Some(lot.as_str().to_owned());
                }
                Some("itemExpirationDate") => {
                    let field = "ilmd.cbvmda:itemExpirationDate";
                    if facts.expiry.is_some() {
                        return Err(self.err(field, "given more than once"));
                    }
                    facts.expiry = Some(yymmdd(&child.text).ok_or_else(|| {
                        self.err(field, format!("`{}` is not a date YYYY-MM-DD", child.text))
                    })?);
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn declaration(&self, node: &Node) -> Result<DeclaredError, FactsError> {
        let time_field = "errorDeclaration.declarationTime";
        let time = self
            .text(node, "declarationTime", time_field)?
            .ok_or_else(|| self.err(time_field, "missing"))?;
        let (declaration_time_ms, _) = timestamp::parse_rfc3339(time).map_err(|_| {
            self.err(
                time_field,
                format!("`{time}` is not an RFC 3339 date-time with an offset"),
            )
        })?;
        let reason_field = "errorDeclaration.reason";
        let reason = self
            .text(node, "reason", reason_field)?
            .map(|r| self.vocabulary(reason_field, &vocab::ERROR_REASON, r))
            .transpose()?;
        // JSON-LD: one `correctiveEventIDs` leaf per ID; XML: a list of `correctiveEventID`.
        let ids_field = "errorDeclaration.correctiveEventIDs";
        let mut corrective_event_ids = Vec::new();
        for list in node
            .children
            .iter()
            .filter(|c| c.name == "correctiveEventIDs")
        {
            let items: Vec<&str> = if list.children.is_empty() {
                vec![list.text.as_str()]
            } else {
                list.children.iter().map(|c| c.text.as_str()).collect()
            };
            for id in items.into_iter().filter(|t| !t.is_empty()) {
                if !is_absolute_uri(id) {
                    return Err(self.err(ids_field, format!("`{id}` is not an absolute URI")));
                }
                corrective_event_ids.push(id.to_owned());
            }
        }
        Ok(DeclaredError {
            declaration_time_ms,
            reason,
            corrective_event_ids,
        })
    }
}
