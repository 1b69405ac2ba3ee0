//! The look-up's history: one block per entry, in local time, saying what happened in words,
//! where from and where to, who did it, and the supervisor's signature with its meaning as
//! recorded. Drawn from the look-up answer's `history` entries
//! ([`crate::station::Request::Lookup`]); one block per entry so that long container keys and
//! long words wrap instead of being cut, in every language.

use super::i18n::I18n;
use serde_json::Value;

/// A Unix time in milliseconds as the bench's local date and time, with its UTC offset
/// (`2026-12-03 14:05:09 +01:00`); empty when out of range. The zone is the system's
/// (`TZ`, else `/etc/localtime`; Windows' own setting).
pub fn local_time(ms: i64) -> String {
    use chrono::TimeZone;
    match chrono::Local.timestamp_millis_opt(ms) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.format("%Y-%m-%d %H:%M:%S %:z").to_string()
        }
        chrono::LocalResult::None => String::new(),
    }
}

/// What an entry did, in words (a technical code when the command has no translation).
pub fn entry_title(i18n: &I18n, entry: &Value) -> String {
    let command = entry["command"].as_str().unwrap_or_default();
    let id = format!("history-{}", command.replace('_', "-"));
    if i18n.has(&id) {
        i18n.tr(&id)
    } else {
        command.to_owned()
    }
}

/// Where from and where to (`None`: the entry moved nothing).
pub fn entry_route(i18n: &I18n, entry: &Value) -> Option<String> {
    let from = entry["from"].as_str();
    let to = entry["to"].as_str();
    Some(match (from, to) {
        (Some(from), Some(to)) => i18n.tr_args(
            "history-from-to",
            &[
                ("from", from.to_owned().into()),
                ("to", to.to_owned().into()),
            ],
        ),
        (None, Some(to)) => i18n.tr_args("history-into", &[("to", to.to_owned().into())]),
        (Some(from), None) => i18n.tr_args("history-out-of", &[("from", from.to_owned().into())]),
        (None, None) => {
            let count = entry["count"].as_u64()?;
            i18n.tr_args("history-contents", &[("count", count.into())])
        }
    })
}

/// The signature line (`None`: not signed).
pub fn entry_signature(i18n: &I18n, entry: &Value) -> Option<String> {
    let signer = entry["signer"].as_str()?;
    let meaning = entry["meaning"].as_str().unwrap_or_default();
    Some(i18n.tr_args(
        "history-signed",
        &[
            ("signer", signer.to_owned().into()),
            ("meaning", meaning.to_owned().into()),
        ],
    ))
}

/// Draws the history (newest first: what a packer looks for is usually the last change).
pub fn history_ui(ui: &mut egui::Ui, i18n: &I18n, history: &[Value]) {
    if history.is_empty() {
        ui.label(i18n.tr("history-empty"));
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("history")
        .scroll_source(egui::scroll_area::ScrollSource::ALL)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for (n, entry) in history.iter().rev().enumerate() {
                let fill = if n % 2 == 0 {
                    ui.visuals().faint_bg_color
                } else {
                    egui::Color32::TRANSPARENT
                };
                egui::Frame::new()
                    .fill(fill)
                    .inner_margin(6.0)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        entry_ui(ui, i18n, entry);
                    });
            }
        });
}

fn entry_ui(ui: &mut egui::Ui, i18n: &I18n, entry: &Value) {
    let time = local_time(entry["time_ms"].as_i64().unwrap_or_default());
    let who = entry["user"].as_str().unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        ui.monospace(time);
        ui.label(egui::RichText::new(entry_title(i18n, entry)).strong());
        ui.label(i18n.tr_args("history-by", &[("user", who.to_owned().into())]));
        if entry["error_declaration"].as_bool() == Some(true) {
            ui.label(i18n.tr("history-correction"));
        }
    });
    if let Some(route) = entry_route(i18n, entry) {
        ui.add(egui::Label::new(egui::RichText::new(route).monospace()).wrap());
    }
    if let Some(reason) = entry["reason"].as_str().filter(|r| !r.is_empty()) {
        ui.add(
            egui::Label::new(
                i18n.tr_args("history-reason", &[("reason", reason.to_owned().into())]),
            )
            .wrap(),
        );
    }
    if let Some(signature) = entry_signature(i18n, entry) {
        ui.add(egui::Label::new(signature).wrap());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_reads_from_to_and_a_signature_names_its_meaning() {
        let i18n = I18n::english();
        let moved = serde_json::json!({
            "command": "move", "from": "(00)1", "to": "(00)2", "user": "ann",
            "signer": "Ada Admin (admin)", "meaning": "approve undo of a signed action"
        });
        assert_eq!(entry_title(&i18n, &moved), "Moved");
        assert_eq!(entry_route(&i18n, &moved).unwrap(), "(00)1 → (00)2");
        assert_eq!(
            entry_signature(&i18n, &moved).unwrap(),
            "Signed by Ada Admin (admin): “approve undo of a signed action”"
        );
        let plain = serde_json::json!({"command": "scan"});
        assert_eq!(entry_route(&i18n, &plain), None);
        assert_eq!(entry_signature(&i18n, &plain), None);
        assert_eq!(local_time(i64::MAX), "");
    }
}
