//! Reference vocabularies read from `schema/reference/`: countries, organisations, titles, head words,
//! agreement triggers, abbreviations and speech verbs.
//!
//! The files are data, embedded at compile time and parsed once when an extractor is made; a
//! malformed line gives a [`ReferenceError`] naming the file and line. Nothing here knows any article.

use super::model::{AgreementStatus, OrganisationKind};

/// One country of `countries.tsv` (with `country_aliases_extra.tsv` merged in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryEntry {
    /// ISO 3166-1 alpha-2 code (XK for Kosovo).
    pub code: String,
    /// ISO 3166-1 alpha-3 code.
    pub alpha3: String,
    /// The common English short name.
    pub name: String,
    /// Other names and abbreviations.
    pub aliases: Vec<String>,
    /// Demonyms and adjectives.
    pub demonyms: Vec<String>,
}

/// One organisation of `organisations.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationEntry {
    /// Canonical name.
    pub name: String,
    /// Acronym, if it has one.
    pub acronym: Option<String>,
    /// Finer kind.
    pub kind: OrganisationKind,
    /// Other names.
    pub aliases: Vec<String>,
}

/// A title that introduces an official.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleEntry {
    /// The title in lower case.
    pub title: String,
    /// Whether it names an office (a post) rather than a description.
    pub is_post: bool,
    /// Whether it is an office of a country's government (a president, a minister).
    pub is_national: bool,
    /// Whether it is an office of a court (a judge, an advocate general).
    pub is_judicial: bool,
}

/// The grammatical form of an agreement trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerForm {
    /// A singular noun ("deal").
    Noun,
    /// A plural noun ("deals"): its subjects are not parties to one another.
    Plural,
    /// A verb ("agreed", "leasing").
    Verb,
}

/// A word that signals an agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerEntry {
    /// The word or phrase, lower case.
    pub trigger: String,
    /// Its form.
    pub form: TriggerForm,
}

/// All reference vocabularies.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Countries.
    pub countries: Vec<CountryEntry>,
    /// Well-known organisations.
    pub organisations: Vec<OrganisationEntry>,
    /// Titles of officials.
    pub titles: Vec<TitleEntry>,
    /// Organisation head words with the kind they imply (`None`: no finer kind).
    pub organisation_heads: Vec<(String, Option<OrganisationKind>)>,
    /// Agreement trigger words.
    pub agreement_triggers: Vec<TriggerEntry>,
    /// Abbreviations that do not end a sentence.
    pub abbreviations: Vec<String>,
    /// Verbs of saying.
    pub speech_verbs: Vec<String>,
    /// Last words of instrument names ("Convention", "Act") that name no organisation.
    pub instrument_words: Vec<String>,
    /// Words naming a kind of body before its name ("the NGO ...").
    pub generic_organisation_words: Vec<String>,
    /// Continents and world regions ("Western Europe"): places, not organisations.
    pub regions: Vec<String>,
    /// How money is written (symbol or word) and the ISO 4217 code it stands for.
    pub currency_forms: Vec<(String, String)>,
    /// Phrases that tell an agreement's state, strongest first.
    pub status_phrases: Vec<(String, AgreementStatus)>,
}

/// A reference file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReferenceError {
    /// A line has the wrong shape or an unknown value.
    #[error("schema/reference/{file}:{line}: {message}")]
    Malformed {
        /// File name within `schema/reference/`.
        file: &'static str,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

const COUNTRIES: &str = include_str!("../../schema/reference/countries.tsv");
const COUNTRY_EXTRAS: &str = include_str!("../../schema/reference/country_aliases_extra.tsv");
const ORGANISATIONS: &str = include_str!("../../schema/reference/organisations.tsv");
const TITLES: &str = include_str!("../../schema/reference/titles.tsv");
const HEADS: &str = include_str!("../../schema/reference/organisation_heads.tsv");
const TRIGGERS: &str = include_str!("../../schema/reference/agreement_triggers.tsv");
const ABBREVIATIONS: &str = include_str!("../../schema/reference/abbreviations.txt");
const SPEECH_VERBS: &str = include_str!("../../schema/reference/speech_verbs.txt");
const INSTRUMENT_WORDS: &str = include_str!("../../schema/reference/instrument_words.txt");
const GENERIC_ORGANISATION_WORDS: &str =
    include_str!("../../schema/reference/generic_organisation_words.txt");
const REGIONS: &str = include_str!("../../schema/reference/regions.txt");
const CURRENCIES: &str = include_str!("../../schema/reference/currencies.tsv");
const CURRENCY_FORMS: &str = include_str!("../../schema/reference/currency_forms.tsv");
const STATUS_PHRASES: &str = include_str!("../../schema/reference/agreement_status.tsv");

impl Reference {
    /// The vocabularies shipped in `schema/reference/`.
    pub fn embedded() -> Result<Self, ReferenceError> {
        let mut countries = Vec::new();
        for (line, fields) in rows("countries.tsv", COUNTRIES, 5)? {
            countries.push(CountryEntry {
                code: fields[0].to_string(),
                alpha3: fields[1].to_string(),
                name: fields[2].to_string(),
                aliases: split_list(fields[3]),
                demonyms: split_list(fields[4]),
            });
            let _ = line;
        }
        for (line, fields) in rows("country_aliases_extra.tsv", COUNTRY_EXTRAS, 3)? {
            let entry = countries
                .iter_mut()
                .find(|c| c.code == fields[0])
                .ok_or_else(|| {
                    malformed(
                        "country_aliases_extra.tsv",
                        line,
                        format!("unknown country code {}", fields[0]),
                    )
                })?;
            let list = match fields[2] {
                "alias" => &mut entry.aliases,
                "demonym" => &mut entry.demonyms,
                other => {
                    return Err(malformed(
                        "country_aliases_extra.tsv",
                        line,
                        format!("unknown kind {other}"),
                    ))
                }
            };
            if !list.iter().any(|known| known == fields[1]) {
                list.push(fields[1].to_string());
            }
        }
        let mut organisations = Vec::new();
        for (line, fields) in rows("organisations.tsv", ORGANISATIONS, 4)? {
            let kind = organisation_kind(fields[2]).flatten().ok_or_else(|| {
                malformed(
                    "organisations.tsv",
                    line,
                    format!("unknown type {}", fields[2]),
                )
            })?;
            organisations.push(OrganisationEntry {
                name: fields[0].to_string(),
                acronym: (!fields[1].is_empty()).then(|| fields[1].to_string()),
                kind,
                aliases: split_list(fields[3]),
            });
        }
        let mut titles = Vec::new();
        for (line, fields) in rows("titles.tsv", TITLES, 3)? {
            let is_post = match fields[1] {
                "yes" => true,
                "no" => false,
                other => {
                    return Err(malformed(
                        "titles.tsv",
                        line,
                        format!("post must be yes or no, not {other}"),
                    ))
                }
            };
            let (is_national, is_judicial) = match fields[2] {
                "country" => (true, false),
                "court" => (false, true),
                "any" => (false, false),
                other => {
                    return Err(malformed(
                        "titles.tsv",
                        line,
                        format!("scope must be country, court or any, not {other}"),
                    ))
                }
            };
            titles.push(TitleEntry {
                title: fields[0].to_lowercase(),
                is_post,
                is_national,
                is_judicial,
            });
        }
        let mut organisation_heads = Vec::new();
        for (line, fields) in rows("organisation_heads.tsv", HEADS, 2)? {
            let kind = organisation_kind(fields[1]).ok_or_else(|| {
                malformed(
                    "organisation_heads.tsv",
                    line,
                    format!("unknown kind {}", fields[1]),
                )
            })?;
            organisation_heads.push((fields[0].to_string(), kind));
        }
        let mut agreement_triggers = Vec::new();
        for (line, fields) in rows("agreement_triggers.tsv", TRIGGERS, 2)? {
            let form = match fields[1] {
                "noun" => TriggerForm::Noun,
                "plural" => TriggerForm::Plural,
                "verb" => TriggerForm::Verb,
                other => {
                    return Err(malformed(
                        "agreement_triggers.tsv",
                        line,
                        format!("form must be noun, plural or verb, not {other}"),
                    ))
                }
            };
            agreement_triggers.push(TriggerEntry {
                trigger: fields[0].to_lowercase(),
                form,
            });
        }
        let codes: std::collections::HashSet<&str> = rows("currencies.tsv", CURRENCIES, 2)?
            .into_iter()
            .map(|(_, fields)| fields[0])
            .collect();
        let mut currency_forms = Vec::new();
        for (line, fields) in rows("currency_forms.tsv", CURRENCY_FORMS, 2)? {
            if !codes.contains(fields[1]) {
                return Err(malformed(
                    "currency_forms.tsv",
                    line,
                    format!("{} is not an ISO 4217 code", fields[1]),
                ));
            }
            currency_forms.push((fields[0].to_string(), fields[1].to_string()));
        }
        let mut status_phrases = Vec::new();
        for (line, fields) in rows("agreement_status.tsv", STATUS_PHRASES, 2)? {
            let status = match fields[1] {
                "proposed" => AgreementStatus::Proposed,
                "in_discussion" => AgreementStatus::InDiscussion,
                "agreed" => AgreementStatus::Agreed,
                "signed" => AgreementStatus::Signed,
                "implemented" => AgreementStatus::Implemented,
                "challenged" => AgreementStatus::Challenged,
                "struck_down" => AgreementStatus::StruckDown,
                "ended" => AgreementStatus::Ended,
                other => {
                    return Err(malformed(
                        "agreement_status.tsv",
                        line,
                        format!("unknown status {other}"),
                    ))
                }
            };
            status_phrases.push((fields[0].to_string(), status));
        }
        Ok(Self {
            currency_forms,
            status_phrases,
            countries,
            organisations,
            titles,
            organisation_heads,
            agreement_triggers,
            abbreviations: word_list(ABBREVIATIONS),
            speech_verbs: word_list(SPEECH_VERBS),
            instrument_words: word_list(INSTRUMENT_WORDS),
            generic_organisation_words: word_list(GENERIC_ORGANISATION_WORDS),
            regions: word_list(REGIONS),
        })
    }
}

/// Parses a kind name; `Some(None)` is the generic `organisation`.
fn organisation_kind(name: &str) -> Option<Option<OrganisationKind>> {
    Some(Some(match name {
        "government_body" => OrganisationKind::GovernmentBody,
        "court" => OrganisationKind::Court,
        "ngo" => OrganisationKind::Ngo,
        "international_body" => OrganisationKind::InternationalBody,
        "media" => OrganisationKind::Media,
        "company" => OrganisationKind::Company,
        "party" => OrganisationKind::Party,
        "organisation" => return Some(None),
        _ => return None,
    }))
}

/// The data rows of a TSV text (comments and the header skipped), each with its 1-based line.
fn rows<'t>(
    file: &'static str,
    text: &'t str,
    columns: usize,
) -> Result<Vec<(usize, Vec<&'t str>)>, ReferenceError> {
    let mut rows = Vec::new();
    let mut header_seen = false;
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if fields.len() != columns {
            return Err(malformed(
                file,
                index + 1,
                format!("expected {columns} columns, found {}", fields.len()),
            ));
        }
        if fields[0].is_empty() {
            return Err(malformed(file, index + 1, "empty first column".into()));
        }
        rows.push((index + 1, fields));
    }
    Ok(rows)
}

fn split_list(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

fn word_list(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn malformed(file: &'static str, line: usize, message: String) -> ReferenceError {
    ReferenceError::Malformed {
        file,
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_reference_data_parses_and_covers_every_iso_country() {
        let reference = Reference::embedded().expect("reference data parses");
        assert!(
            reference.countries.len() >= 250,
            "{}",
            reference.countries.len()
        );
        let codes: std::collections::HashSet<&str> = reference
            .countries
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        for code in ["US", "GB", "DK", "XK", "AL", "IT", "FR", "CN", "BR", "ZA"] {
            assert!(codes.contains(code), "{code} missing");
        }
        let us = reference
            .countries
            .iter()
            .find(|c| c.code == "US")
            .expect("US");
        for alias in ["U.S.", "America", "USA"] {
            assert!(
                us.aliases.iter().any(|a| a == alias),
                "{alias} missing from {:?}",
                us.aliases
            );
        }
        let dk = reference
            .countries
            .iter()
            .find(|c| c.code == "DK")
            .expect("DK");
        assert!(dk.demonyms.iter().any(|d| d == "Danish"));
        assert!(reference.titles.iter().any(|t| t.title == "prime minister"));
        assert!(reference
            .agreement_triggers
            .iter()
            .any(|t| t.trigger == "treaty" && t.form == TriggerForm::Noun));
        assert!(reference
            .agreement_triggers
            .iter()
            .any(|t| t.trigger == "deals" && t.form == TriggerForm::Plural));
    }
}
