//! The Users screen (administrators): the users, and a form that creates one. The form checks
//! what it can before it sends (the same rules as [`crate::auth::create_user`]) and says what is
//! wrong next to the field, after something was typed there or "Create user" was pressed; it
//! keeps what was typed until the station has created the user, then says so on this screen.
//! The station's refusals (a name already taken) also show here, never on the Station screen.

use super::i18n::I18n;
use crate::auth::{MIN_PASSWORD_CHARS, Role};
use crate::domain::ReasonCode;
use crate::station::{Request, Response};

/// Height of a touch target.
const TARGET: f32 = 48.0;

/// What the form says about one field (a Fluent id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    /// The user name is empty or has characters other than letters, digits and `. _ - @`.
    UserName,
    /// The printed name is empty.
    PrintedName,
    /// The password has fewer than [`MIN_PASSWORD_CHARS`] characters.
    PasswordShort,
}

impl FieldProblem {
    /// The Fluent id of its message.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::UserName => "users-bad-name",
            Self::PrintedName => "users-bad-printed-name",
            Self::PasswordShort => "users-password-short",
        }
    }
}

/// The new-user form and the last answer.
#[derive(Debug, Clone, Default)]
pub struct UsersPanel {
    /// User name.
    pub user: String,
    /// Printed name (signatures show it).
    pub full_name: String,
    /// Role.
    pub role: Role,
    /// Password.
    pub password: String,
    /// "Create user" was pressed: every problem shows, typed in or not.
    pub tried: bool,
    /// The command is on its way.
    pub pending: bool,
    /// The last answer: created (user name) or refused (translated message).
    pub result: Option<Result<String, String>>,
}

/// The problems of the form (empty: it can be sent).
pub fn problems(user: &str, full_name: &str, password: &str) -> Vec<FieldProblem> {
    let user = user.trim();
    let mut out = Vec::new();
    if user.is_empty()
        || user.len() > 64
        || !user
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        out.push(FieldProblem::UserName);
    }
    if full_name.trim().is_empty() {
        out.push(FieldProblem::PrintedName);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        out.push(FieldProblem::PasswordShort);
    }
    out
}

fn field(ui: &mut egui::Ui, label: &str, value: &mut String, password: bool) -> egui::Response {
    ui.horizontal(|ui| {
        let l = ui.add_sized([220.0, TARGET], egui::Label::new(label));
        ui.add(
            egui::TextEdit::singleline(value)
                .password(password)
                .desired_width(320.0)
                .min_size(egui::vec2(320.0, TARGET)),
        )
        .labelled_by(l.id)
    })
    .inner
}

fn problem_ui(ui: &mut egui::Ui, i18n: &I18n, problem: FieldProblem) {
    let text = i18n.tr_args(
        problem.message_id(),
        &[("min", (MIN_PASSWORD_CHARS as u64).into())],
    );
    ui.colored_label(egui::Color32::from_rgb(190, 0, 0), text);
}

impl UsersPanel {
    /// Draws the screen; returns the command to send, if any.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        i18n: &I18n,
        users: &[(String, String, String)],
    ) -> Option<Request> {
        ui.heading(i18n.tr("users-title"));
        egui::Grid::new("users").striped(true).show(ui, |ui| {
            for (user, name, role) in users {
                ui.monospace(user);
                ui.label(name);
                ui.label(i18n.tr(&format!("role-{role}")));
                ui.end_row();
            }
        });
        ui.separator();
        ui.heading(i18n.tr("users-new"));
        let found = problems(&self.user, &self.full_name, &self.password);
        // A problem shows once its field was typed in, or after "Create user".
        let show = |p: FieldProblem, typed: bool| (self.tried || typed) && found.contains(&p);
        let (show_user, show_name, show_pw) = (
            show(FieldProblem::UserName, !self.user.is_empty()),
            show(FieldProblem::PrintedName, false),
            show(FieldProblem::PasswordShort, !self.password.is_empty()),
        );
        let mut edited = false;
        edited |= field(ui, &i18n.tr("login-user"), &mut self.user, false).changed();
        if show_user {
            problem_ui(ui, i18n, FieldProblem::UserName);
        }
        edited |= field(ui, &i18n.tr("first-run-name"), &mut self.full_name, false).changed();
        if show_name {
            problem_ui(ui, i18n, FieldProblem::PrintedName);
        }
        ui.horizontal_wrapped(|ui| {
            for role in Role::ALL {
                if ui
                    .add(
                        egui::Button::new(i18n.tr(&format!("role-{role}")))
                            .selected(self.role == role)
                            .min_size(egui::vec2(120.0, TARGET)),
                    )
                    .clicked()
                {
                    self.role = role;
                }
            }
        });
        edited |= field(ui, &i18n.tr("login-password"), &mut self.password, true).changed();
        if show_pw {
            problem_ui(ui, i18n, FieldProblem::PasswordShort);
        }
        if edited {
            self.result = None;
        }
        let mut send = None;
        let create = ui
            .add_enabled(
                !self.pending,
                egui::Button::new(i18n.tr("users-create")).min_size(egui::vec2(200.0, TARGET)),
            )
            .clicked();
        if create {
            self.tried = true;
            self.result = None;
            if found.is_empty() {
                self.pending = true;
                send = Some(Request::CreateUser {
                    user: self.user.trim().to_owned(),
                    full_name: self.full_name.trim().to_owned(),
                    role: self.role,
                    password: self.password.clone(),
                });
            }
        }
        match &self.result {
            Some(Ok(created)) => {
                ui.colored_label(
                    egui::Color32::from_rgb(0, 122, 51),
                    i18n.tr_args("users-created", &[("user", created.clone().into())]),
                );
            }
            Some(Err(message)) => {
                ui.colored_label(egui::Color32::from_rgb(190, 0, 0), message);
            }
            None => {}
        }
        send
    }

    /// Takes the station's answer to a `CreateUser` (true: it was one, and it is shown here,
    /// not as the Station screen's verdict). Created: the form is emptied and says so; refused:
    /// the form keeps what was typed and says why.
    pub fn on_answer(&mut self, request: &Request, response: &Response, i18n: &I18n) -> bool {
        let Request::CreateUser { user, .. } = request else {
            return false;
        };
        self.pending = false;
        if response.ok {
            *self = Self {
                result: Some(Ok(user.clone())),
                ..Self::default()
            };
        } else {
            let mut message = i18n.reason(response.code);
            if response.code == ReasonCode::InvalidArgument
                && let Some(detail) = &response.detail
            {
                message = format!("{message} ({detail})");
            }
            self.result = Some(Err(message));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_rules_match_the_stations() {
        assert_eq!(problems("ann", "Ann Lee", "12345678"), vec![]);
        assert_eq!(
            problems("", " ", "1234567"),
            vec![
                FieldProblem::UserName,
                FieldProblem::PrintedName,
                FieldProblem::PasswordShort
            ]
        );
        assert_eq!(
            problems("a b", "A", "ếếếếếếếế"),
            vec![FieldProblem::UserName]
        );
    }
}
