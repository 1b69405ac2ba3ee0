//! The look-up's history: one block per entry, in local time, saying what happened in words,
//! where from and where to, who did it, and the supervisor's signature with its meaning as
//! recorded. Drawn from the look-up answer's `history` entries
//! ([`crate::station::Request::Lookup`]); one block per entry so that long container keys and
//! long words wrap instead of being cut, in every language.

use super::i18n::I18n;

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

/// One entry of a unit's history, as the look-up answered it (typed once, when it arrived).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The station command (`pack`, `move`, ...).
    pub command: String,
    /// When (Unix milliseconds).
    pub time_ms: i64,
    /// Who.
    pub user: String,
    /// Where from.
    pub from: Option<String>,
    /// Where to.
    pub to: Option<String>,
    /// A count of units (entries that moved no single unit).
    pub count: Option<u64>,
    /// The supervisor who signed.
    pub signer: Option<String>,
    /// The meaning of the signature as recorded.
    pub meaning: Option<String>,
    /// The reason given (never empty).
    pub reason: Option<String>,
    /// The entry corrects an earlier one.
    pub error_declaration: bool,
}

impl HistoryEntry {
    /// What the entry did, in words (a technical code when the command has no translation).
    pub fn title(&self, i18n: &I18n) -> String {
        let id = format!("history-{}", self.command.replace('_', "-"));
        if i18n.has(&id) {
            i18n.tr(&id)
        } else {
            self.command.clone()
        }
    }

    /// Where from and where to (`None`: the entry moved nothing).
    pub fn route(&self, i18n: &I18n) -> Option<String> {
        Some(match (&self.from, &self.to) {
            (Some(from), Some(to)) => i18n.tr_args(
                "history-from-to",
                &[("from", from.clone().into()), ("to", to.clone().into())],
            ),
            (None, Some(to)) => i18n.tr_args("history-into", &[("to", to.clone().into())]),
            (Some(from), None) => i18n.tr_args("history-out-of", &[("from", from.clone().into())]),
            (None, None) => {
                let count = self.count?;
                i18n.tr_args("history-contents", &[("count", count.into())])
            }
        })
    }

    /// The signature line (`None`: not signed).
    pub fn signature(&self, i18n: &I18n) -> Option<String> {
        let signer = self.signer.as_ref()?;
        Some(i18n.tr_args(
            "history-signed",
            &[
                ("signer", signer.clone().into()),
                ("meaning", self.meaning.clone().unwrap_or_default().into()),
            ],
        ))
    }
}

/// Draws the history (newest first: what a packer looks for is usually the last change).
pub fn history_ui(ui: &mut egui::Ui, i18n: &I18n, history: &[HistoryEntry]) {
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

fn entry_ui(ui: &mut egui::Ui, i18n: &I18n, entry: &HistoryEntry) {
    let time = local_time(entry.time_ms);
    let who = entry.user.as_str();
    ui.horizontal_wrapped(|ui| {
        ui.monospace(time);
        ui.label(egui::RichText::new(entry.title(i18n)).strong());
        ui.label(i18n.tr_args("history-by", &[("user", who.to_owned().into())]));
        if entry.error_declaration {
            ui.label(i18n.tr("history-correction"));
        }
    });
    if let Some(route) = entry.route(i18n) {
        ui.add(egui::Label::new(egui::RichText::new(route).monospace()).wrap());
    }
    if let Some(reason) = &entry.reason {
        ui.add(
            egui::Label::new(i18n.tr_args("history-reason", &[("reason", reason.clone().into())]))
                .wrap(),
        );
    }
    if let Some(signature) = entry.signature(i18n) {
        ui.add(egui::Label::new(signature).wrap());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_out_of_range_is_empty() {
        assert_eq!(local_time(i64::MAX), "");
    }
}
