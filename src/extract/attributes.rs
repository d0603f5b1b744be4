//! Attributes of an agreement stated in the sentence that names it: how many people or things it
//! covers ("up to 40 asylum seekers", "120 cells"), for how long ("for a maximum of two years" →
//! `P2Y`), for how much ("over $12 million", "about €75 million", with the ISO 4217 code), in which
//! year ("in 2019"), and in what state (from the words of `schema/reference/agreement_status.tsv`).
//! Each comes with the byte range that states it.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, BuildError};
use foldhash::HashMap;
use regex::Regex;

use super::model::{AgreementStatus, ClaimValue, Predicate, Qualifier};
use crate::text::is_whole_word;

/// One stated attribute, with its evidence (bytes of the sentence).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attribute {
    pub predicate: Predicate,
    pub value: ClaimValue,
    pub start: usize,
    pub end: usize,
}

const NUMBER_WORDS: &[(&str, u64)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fifteen", 15),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
];

const NUMBER: &str = r"\d{1,3}(?:,\d{3})+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred";
const QUALIFIER: &str = r"up to|as many as|at most|a maximum of|no more than|maximum of|over|more than|about|around|approximately|roughly|nearly|some|almost";

static CAPACITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?:({QUALIFIER})\s+)?({NUMBER})\s+((?:[a-z-]+\s+){{0,2}}?(?:deportees|deported migrants|migrants|people|individuals|persons|prisoners|inmates|asylum seekers|refugees|third-country nationals|nationals|prison cells|cells|places|beds|workers|detainees|returnees|foreigners|children|families))(?-u:\b)"
    ))
    .expect("valid regex")
});
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?:for|over|of|within|lasting)\s+(?:a period of\s+|up to\s+|a maximum of\s+|at most\s+|the next\s+)?({NUMBER}|a)[- ](year|month|week|day)s?(?-u:\b)|(?-u:\b)({NUMBER})-(year|month|week|day)\s+(?:period|term|stay|lease|deal|agreement|contract)(?-u:\b)"
    ))
    .expect("valid regex")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:[Ii]n|[Ss]ince|[Ss]igned in|[Ff]rom)\s+((?:19|20)\d{2})(?-u:\b)")
        .expect("valid regex")
});

/// The money forms and status phrases of the reference data, compiled.
#[derive(Debug)]
pub(crate) struct AttributeRules {
    money: Regex,
    currency_of_form: HashMap<String, String>,
    /// One matcher for every status phrase, in the order of `statuses`.
    status_matcher: AhoCorasick,
    statuses: Vec<AgreementStatus>,
}

impl AttributeRules {
    /// Compiles the rules from currency forms (form, ISO code) and status phrases.
    pub fn new(
        currency_forms: &[(String, String)],
        status_phrases: &[(String, AgreementStatus)],
    ) -> Result<Self, BuildError> {
        let mut forms: Vec<&String> = currency_forms.iter().map(|(form, _)| form).collect();
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        let symbols: Vec<String> = forms
            .iter()
            .filter(|f| {
                !f.chars().all(char::is_alphabetic)
                    || f.len() <= 3 && f.chars().all(|c| c.is_uppercase())
            })
            .map(|f| regex::escape(f))
            .collect();
        let words: Vec<String> = forms
            .iter()
            .filter(|f| f.chars().any(char::is_lowercase))
            .map(|f| regex::escape(f))
            .collect();
        let pattern = format!(
            r"(?i:(?-u:\b)({QUALIFIER})\s+)?(?:({})\s?(\d+(?:[.,]\d+)*)(?:\s?(million|billion|bn|m|thousand)(?-u:\b))?|(?-u:\b)(\d+(?:[.,]\d+)*)\s?(million|billion|bn|thousand)?\s+({})(?-u:\b))",
            symbols.join("|"),
            words.join("|")
        );
        let money =
            Regex::new(&pattern).unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("valid regex"));
        let currency_of_form = currency_forms
            .iter()
            .map(|(form, code)| (form.to_lowercase(), code.clone()))
            .collect();
        let status_matcher = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(status_phrases.iter().map(|(phrase, _)| phrase))?;
        Ok(Self {
            money,
            currency_of_form,
            status_matcher,
            statuses: status_phrases.iter().map(|(_, status)| *status).collect(),
        })
    }

    /// The attributes stated in `sentence`.
    pub fn find(&self, sentence: &str) -> Vec<Attribute> {
        let mut found = Vec::new();
        for capture in CAPACITY.captures_iter(sentence) {
            let (Some(whole), Some(number), Some(unit)) =
                (capture.get(0), capture.get(2), capture.get(3))
            else {
                continue;
            };
            if let Some(value) = number_value(number.as_str()) {
                let qualifier = capture.get(1).map(|q| qualifier(q.as_str()));
                let unit = unit
                    .as_str()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                found.push(Attribute {
                    predicate: Predicate::Capacity,
                    value: ClaimValue::Quantity {
                        value,
                        unit,
                        qualifier,
                    },
                    start: whole.start(),
                    end: whole.end(),
                });
            }
        }
        for capture in DURATION.captures_iter(sentence) {
            let Some(whole) = capture.get(0) else {
                continue;
            };
            let (number, unit) = match (
                capture.get(1),
                capture.get(2),
                capture.get(3),
                capture.get(4),
            ) {
                (Some(n), Some(u), _, _) | (_, _, Some(n), Some(u)) => (n.as_str(), u.as_str()),
                _ => continue,
            };
            let count = if number.eq_ignore_ascii_case("a") {
                Some(1)
            } else {
                number_value(number)
            };
            if let Some(count) = count {
                let letter = match unit.to_ascii_lowercase().as_str() {
                    "year" => "Y",
                    "month" => "M",
                    "week" => "W",
                    _ => "D",
                };
                found.push(Attribute {
                    predicate: Predicate::Duration,
                    value: ClaimValue::Duration(format!("P{count}{letter}")),
                    start: whole.start(),
                    end: whole.end(),
                });
            }
        }
        for capture in self.money.captures_iter(sentence) {
            let Some(whole) = capture.get(0) else {
                continue;
            };
            let (form, amount, scale) = match (
                capture.get(2),
                capture.get(3),
                capture.get(5),
                capture.get(7),
            ) {
                (Some(form), Some(amount), _, _) => {
                    (form.as_str(), amount.as_str(), capture.get(4))
                }
                (_, _, Some(amount), Some(form)) => {
                    (form.as_str(), amount.as_str(), capture.get(6))
                }
                _ => continue,
            };
            let (Some(code), Some(value)) = (
                self.currency_of_form.get(&form.to_lowercase()),
                money_value(amount, scale.map(|s| s.as_str())),
            ) else {
                continue;
            };
            let qualifier = capture.get(1).map(|q| qualifier(q.as_str()));
            found.push(Attribute {
                predicate: Predicate::Money,
                value: ClaimValue::Money {
                    value,
                    currency: code.clone(),
                    qualifier,
                },
                start: whole.start(),
                end: whole.end(),
            });
        }
        for capture in YEAR.captures_iter(sentence) {
            let (Some(whole), Some(year)) = (capture.get(0), capture.get(1)) else {
                continue;
            };
            if let Ok(year) = year.as_str().parse() {
                found.push(Attribute {
                    predicate: Predicate::Year,
                    value: ClaimValue::Year(year),
                    start: whole.start(),
                    end: whole.end(),
                });
            }
        }
        // The phrase listed first wins, at its first place in the sentence.
        if let Some(hit) = self
            .status_matcher
            .find_overlapping_iter(sentence)
            .filter(|hit| is_whole_word(sentence, hit.start(), hit.end()))
            .min_by_key(|hit| (hit.pattern(), hit.start()))
        {
            found.push(Attribute {
                predicate: Predicate::Status,
                value: ClaimValue::Status(self.statuses[hit.pattern().as_usize()]),
                start: hit.start(),
                end: hit.end(),
            });
        }
        found
    }
}

fn qualifier(text: &str) -> Qualifier {
    match text.to_ascii_lowercase().as_str() {
        "over" | "more than" => Qualifier::Over,
        "about" | "around" | "approximately" | "roughly" | "nearly" | "some" | "almost" => {
            Qualifier::About
        }
        _ => Qualifier::AtMost,
    }
}

fn number_value(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    NUMBER_WORDS
        .iter()
        .find(|(word, _)| *word == lower)
        .map(|(_, value)| *value)
        .or_else(|| lower.replace(',', "").parse().ok())
}

fn money_value(amount: &str, scale: Option<&str>) -> Option<u64> {
    let multiplier: f64 = match scale.map(str::to_ascii_lowercase).as_deref() {
        Some("million" | "m") => 1e6,
        Some("billion" | "bn") => 1e9,
        Some("thousand") => 1e3,
        _ => 1.0,
    };
    // "1,200" is a thousands separator; "1,5" (European decimal) is read as 1.5.
    let normalised = if amount.matches(',').count() == 1
        && amount.split(',').nth(1).is_some_and(|d| d.len() != 3)
    {
        amount.replace(',', ".")
    } else {
        amount.replace(',', "")
    };
    let value: f64 = normalised.parse().ok()?;
    let total = (value * multiplier).round();
    (0.0..1e18).contains(&total).then_some(total as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> AttributeRules {
        let forms = [
            ("$", "USD"),
            ("€", "EUR"),
            ("£", "GBP"),
            ("euros", "EUR"),
            ("A$", "AUD"),
        ]
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect::<Vec<_>>();
        let statuses = [
            ("struck down", AgreementStatus::StruckDown),
            ("signed", AgreementStatus::Signed),
            ("talks", AgreementStatus::InDiscussion),
        ]
        .iter()
        .map(|(p, s)| (p.to_string(), *s))
        .collect::<Vec<_>>();
        AttributeRules::new(&forms, &statuses).expect("status matcher")
    }

    #[test]
    fn reads_capacity_duration_money_year_and_status() {
        let sentence = "In 2021, Chile signed a deal to house up to 40 asylum seekers for a maximum of two years in exchange for over $12.5 million and 3 million euros.";
        let found = rules().find(sentence);
        let values: Vec<&ClaimValue> = found.iter().map(|a| &a.value).collect();
        assert!(
            values.contains(&&ClaimValue::Quantity {
                value: 40,
                unit: "asylum seekers".into(),
                qualifier: Some(Qualifier::AtMost)
            }),
            "{values:?}"
        );
        assert!(
            values.contains(&&ClaimValue::Duration("P2Y".into())),
            "{values:?}"
        );
        assert!(
            values.contains(&&ClaimValue::Money {
                value: 12_500_000,
                currency: "USD".into(),
                qualifier: Some(Qualifier::Over)
            }),
            "{values:?}"
        );
        assert!(
            values.contains(&&ClaimValue::Money {
                value: 3_000_000,
                currency: "EUR".into(),
                qualifier: None
            }),
            "{values:?}"
        );
        assert!(values.contains(&&ClaimValue::Year(2021)), "{values:?}");
        assert!(
            values.contains(&&ClaimValue::Status(AgreementStatus::Signed)),
            "{values:?}"
        );
        for attribute in &found {
            assert!(attribute.start < attribute.end && attribute.end <= sentence.len());
        }
    }

    #[test]
    fn the_strongest_state_wins_and_durations_take_hyphens() {
        let found = rules()
            .find("The court struck down the signed deal, a one-year lease of A$400 million.");
        assert!(found
            .iter()
            .any(|a| a.value == ClaimValue::Status(AgreementStatus::StruckDown)));
        assert!(found
            .iter()
            .any(|a| a.value == ClaimValue::Duration("P1Y".into())));
        assert!(
            found.iter().any(|a| a.value
                == ClaimValue::Money {
                    value: 400_000_000,
                    currency: "AUD".into(),
                    qualifier: None
                }),
            "{found:?}"
        );
    }
}
