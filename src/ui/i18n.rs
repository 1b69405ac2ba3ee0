//! Translations: Fluent `.ftl` files under `i18n/<locale>/`, one per screen, embedded in the
//! binary and switchable at run time. `en-US` is the source of truth; every other locale has the
//! same message ids (a test checks). The pseudo-locale `en-XA` is made from `en-US` in code and
//! catches text that bypasses translation.

use crate::domain::ReasonCode;
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use std::collections::BTreeSet;
use unic_langid::LanguageIdentifier;

/// The shipped locales: (id, name in its own language).
pub const LOCALES: &[(&str, &str)] = &[
    ("en-US", "English"),
    ("vi", "Tiếng Việt"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("zh-CN", "中文(简体)"),
];

/// The pseudo-locale used by tests to find hard-coded text.
pub const PSEUDO_LOCALE: &str = "en-XA";

/// The Fluent files of each screen, in the same order for every locale.
pub const FILES: &[&str] = &[
    "shell.ftl",
    "login.ftl",
    "station.ftl",
    "lookup.ftl",
    "settings.ftl",
    "reasons.ftl",
    "devices.ftl",
    "closeout.ftl",
    "returns.ftl",
    "supervisor.ftl",
];

macro_rules! locale_sources {
    ($loc:literal) => {
        [
            include_str!(concat!("../../i18n/", $loc, "/shell.ftl")),
            include_str!(concat!("../../i18n/", $loc, "/login.ftl")),
            include_str!(concat!("../../i18n/", $loc, "/station.ftl")),
            include_str!(concat!("../../i18n/", $loc, "/lookup.ftl")),
            include_str!(concat!("../../i18n/", $loc, "/settings.ftl")),
            include_str!(concat!("../../i18n/", $loc, "/reasons.ftl")),
            include_str!(concat!("../../i18n/", $loc, "/devices.ftl")),
            include_str!(concat!("../../i18n/", $loc, "/closeout.ftl")),
            include_str!(concat!("../../i18n/", $loc, "/returns.ftl")),
            include_str!(concat!("../../i18n/", $loc, "/supervisor.ftl")),
        ]
    };
}

/// The embedded `.ftl` sources of a shipped locale, in [`FILES`] order.
pub fn sources(locale: &str) -> Option<[&'static str; 10]> {
    Some(match locale {
        "en-US" => locale_sources!("en-US"),
        "vi" => locale_sources!("vi"),
        "de" => locale_sources!("de"),
        "fr" => locale_sources!("fr"),
        "es" => locale_sources!("es"),
        "zh-CN" => locale_sources!("zh-CN"),
        _ => return None,
    })
}

/// Why a locale could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum I18nError {
    /// The locale is not shipped.
    #[error("unknown locale '{0}'")]
    UnknownLocale(String),
    /// A `.ftl` file does not parse.
    #[error("{locale}/{file}: Fluent syntax error: {detail}")]
    Syntax {
        /// Locale.
        locale: String,
        /// File name.
        file: &'static str,
        /// Parser message.
        detail: String,
    },
    /// Two files define the same message.
    #[error("{locale}/{file}: duplicate message: {detail}")]
    Duplicate {
        /// Locale.
        locale: String,
        /// File name.
        file: &'static str,
        /// What.
        detail: String,
    },
}

/// The message id of a reason code, e.g. `reason-wrong-product`.
pub fn reason_id(code: ReasonCode) -> String {
    format!(
        "reason-{}",
        code.as_str().to_ascii_lowercase().replace('_', "-")
    )
}

/// The message ids defined by a shipped locale (each file must also parse).
pub fn message_ids(locale: &str) -> Result<BTreeSet<String>, I18nError> {
    let srcs = sources(locale).ok_or_else(|| I18nError::UnknownLocale(locale.to_owned()))?;
    let mut ids = BTreeSet::new();
    for (file, src) in FILES.iter().zip(srcs) {
        parse(locale, file, src)?;
        // A message starts at column 0 with its id; comments, attributes and continuation
        // lines never do.
        for line in src.lines() {
            if let Some((id, _)) = line.split_once('=') {
                let id = id.trim_end();
                if id.starts_with(|c: char| c.is_ascii_alphabetic())
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    ids.insert(id.to_owned());
                }
            }
        }
    }
    Ok(ids)
}

fn parse(locale: &str, file: &'static str, src: &str) -> Result<FluentResource, I18nError> {
    FluentResource::try_new(src.to_owned()).map_err(|(_, errs)| I18nError::Syntax {
        locale: locale.to_owned(),
        file,
        detail: format!("{errs:?}"),
    })
}

fn bundle(locale: &str) -> Result<FluentBundle<FluentResource>, I18nError> {
    let source_locale = if locale == PSEUDO_LOCALE {
        "en-US"
    } else {
        locale
    };
    let srcs = sources(source_locale).ok_or_else(|| I18nError::UnknownLocale(locale.to_owned()))?;
    let lang: LanguageIdentifier = source_locale
        .parse()
        .map_err(|_| I18nError::UnknownLocale(locale.to_owned()))?;
    let mut bundle = FluentBundle::new(vec![lang]);
    // No Unicode isolation marks: egui would draw them as boxes.
    bundle.set_use_isolating(false);
    for (file, src) in FILES.iter().zip(srcs) {
        let res = parse(locale, file, src)?;
        bundle
            .add_resource(res)
            .map_err(|errs| I18nError::Duplicate {
                locale: locale.to_owned(),
                file,
                detail: format!("{errs:?}"),
            })?;
    }
    Ok(bundle)
}

/// The translations of one locale, with `en-US` as fallback for a missing message.
pub struct I18n {
    locale: String,
    bundle: FluentBundle<FluentResource>,
    fallback: Option<FluentBundle<FluentResource>>,
    pseudo: bool,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n")
            .field("locale", &self.locale)
            .finish()
    }
}

impl I18n {
    /// Loads a shipped locale or the pseudo-locale.
    pub fn new(locale: &str) -> Result<Self, I18nError> {
        let fallback = if locale == "en-US" {
            None
        } else {
            Some(bundle("en-US")?)
        };
        Ok(Self {
            locale: locale.to_owned(),
            bundle: bundle(locale)?,
            fallback,
            pseudo: locale == PSEUDO_LOCALE,
        })
    }

    /// English: always loads (the sources are compiled in and tested).
    pub fn english() -> Self {
        match Self::new("en-US") {
            Ok(i) => i,
            Err(_) => Self {
                locale: "en-US".to_owned(),
                bundle: FluentBundle::new(vec![LanguageIdentifier::default()]),
                fallback: None,
                pseudo: false,
            },
        }
    }

    /// The locale id.
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// Whether a message exists (in this locale or the English fallback).
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id) || self.fallback.as_ref().is_some_and(|b| b.has_message(id))
    }

    /// A message without arguments.
    pub fn tr(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A message with arguments.
    pub fn tr_args(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        self.format(id, Some(&fa))
    }

    /// The plain-words message of a reason code.
    pub fn reason(&self, code: ReasonCode) -> String {
        self.tr(&reason_id(code))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let found = [Some(&self.bundle), self.fallback.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|b| b.get_message(id).and_then(|m| m.value()).map(|p| (b, p)));
        let Some((bundle, pattern)) = found else {
            // A missing id shows itself (tests catch it), never an empty label.
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        if self.pseudo { pseudo(&text) } else { text }
    }
}

/// The pseudo-locale transform: accented letters in brackets, about a third longer.
pub fn pseudo(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    out.push('[');
    for ch in text.chars() {
        out.push(match ch {
            'a' => 'á',
            'e' => 'é',
            'i' => 'í',
            'o' => 'ö',
            'u' => 'ü',
            'A' => 'Å',
            'E' => 'É',
            'O' => 'Ö',
            'n' => 'ñ',
            'c' => 'ç',
            other => other,
        });
    }
    let extra = text.chars().count() / 3;
    out.extend(std::iter::repeat_n('~', extra));
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_exactly_the_source_keys() {
        let source = message_ids("en-US").unwrap();
        assert!(source.len() > 50, "en-US has {} messages", source.len());
        for (loc, _) in LOCALES {
            let ids = message_ids(loc).unwrap();
            let missing: Vec<_> = source.difference(&ids).collect();
            let extra: Vec<_> = ids.difference(&source).collect();
            assert!(missing.is_empty(), "{loc} lacks {missing:?}");
            assert!(extra.is_empty(), "{loc} has extra {extra:?}");
        }
    }

    #[test]
    fn every_reason_code_is_translated_everywhere() {
        for (loc, _) in LOCALES {
            let i18n = I18n::new(loc).unwrap();
            let ids = message_ids(loc).unwrap();
            for code in ReasonCode::ALL {
                let id = reason_id(*code);
                assert!(ids.contains(&id), "{loc}: no {id}");
                let text = i18n.reason(*code);
                assert!(!text.is_empty() && text != id, "{loc}: {id} -> {text:?}");
            }
        }
    }

    #[test]
    fn every_frame_diagnosis_is_translated_everywhere() {
        // What the camera panel says when a frame that looks like codes reads nothing.
        let ids = [
            "camera-diagnosis",
            "camera-diagnosis-too-dark",
            "camera-diagnosis-low-contrast",
            "camera-diagnosis-too-blurred",
            "camera-diagnosis-too-small",
            "camera-diagnosis-other-kind",
        ];
        let english = I18n::new("en-US").unwrap();
        for (loc, _) in LOCALES {
            let i18n = I18n::new(loc).unwrap();
            for id in ids {
                let text = i18n.tr(id);
                assert!(!text.is_empty() && text != id, "{loc}: {id} -> {text:?}");
                if *loc != "en-US" {
                    assert_ne!(text, english.tr(id), "{loc}: {id} is not translated");
                }
            }
        }
    }

    #[test]
    fn arguments_and_fallback_work() {
        let vi = I18n::new("vi").unwrap();
        let text = vi.tr_args(
            "station-fill",
            &[("count", 17.into()), ("capacity", 20.into())],
        );
        assert!(text.contains("17") && text.contains("20"), "{text}");
        assert_eq!(vi.tr("no-such-message"), "no-such-message");
        assert!(I18n::new("xx").is_err());
    }

    #[test]
    fn pseudo_locale_marks_every_message() {
        let xa = I18n::new(PSEUDO_LOCALE).unwrap();
        let text = xa.tr("login-title");
        assert!(text.starts_with('[') && text.ends_with(']'), "{text}");
        assert_ne!(text, I18n::english().tr("login-title"));
    }
}
