//! Publication dates: normalises the forms sources give to `xsd:date` / `xsd:dateTime` lexical forms.
//!
//! Takes a date string from metadata (JSON Lines `published`, HTML meta tags, Markdown front matter)
//! or a dateline among a text's first lines, and gives `YYYY-MM-DD` or an ISO 8601 date-time with a
//! time zone. Anything it cannot read with certainty gives `None`: no date is better than a wrong one.

use std::sync::LazyLock;

use regex::Regex;

use super::{Zone, ZoneKind};

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

static ISO_DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$")
        .expect("valid regex")
});
static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:published|updated|posted|date)\s*:?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
        .expect("valid regex")
});
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:published|updated|posted|date)\s*:?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})$")
        .expect("valid regex")
});

/// The `xsd:date` or `xsd:dateTime` form of `raw`, if it is a date this module can read.
pub(crate) fn normalise(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if let Some(parts) = ISO_DATE_TIME.captures(raw) {
        let year: u32 = parts[1].parse().ok()?;
        let month: u32 = parts[2].parse().ok()?;
        let day: u32 = parts[3].parse().ok()?;
        let date = checked_date(year, month, day)?;
        let Some(hour) = parts.get(4) else {
            return Some(date);
        };
        let minute = &parts[5];
        let second = parts.get(6).map_or("00", |s| s.as_str());
        let (hour_value, minute_value, second_value): (u32, u32, u32) = (
            hour.as_str().parse().ok()?,
            minute.parse().ok()?,
            second.parse().ok()?,
        );
        if hour_value > 23 || minute_value > 59 || second_value > 59 {
            return None;
        }
        // A date-time without a time zone is ambiguous: keep only its date.
        let Some(zone) = parts.get(7) else {
            return Some(date);
        };
        let zone = match zone.as_str() {
            "Z" => "Z".to_string(),
            offset if offset.len() == 5 => format!("{}:{}", &offset[..3], &offset[3..]),
            offset => offset.to_string(),
        };
        return Some(format!("{date}T{}:{minute}:{second}{zone}", hour.as_str()));
    }
    if let Some(parts) = MONTH_FIRST.captures(raw) {
        return from_parts(&parts[1], &parts[2], &parts[3]);
    }
    if let Some(parts) = DAY_FIRST.captures(raw) {
        return from_parts(&parts[2], &parts[1], &parts[3]);
    }
    None
}

/// A date standing alone on one of the first five lines of content (a dateline), if any.
pub(crate) fn find_in_opening_lines(text: &str, zones: &[Zone]) -> Option<String> {
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split('\n') {
        let char_start = text[..offset].chars().count();
        offset += line.len() + 1;
        let trimmed = line.trim();
        let in_clutter = zones
            .iter()
            .any(|z| z.kind == ZoneKind::Clutter && z.start <= char_start && char_start < z.end);
        if trimmed.is_empty() || in_clutter {
            continue;
        }
        if let Some(date) = normalise(trimmed) {
            return Some(date);
        }
        seen += 1;
        if seen == 5 {
            break;
        }
    }
    None
}

fn from_parts(month_name: &str, day: &str, year: &str) -> Option<String> {
    let lower = month_name.to_ascii_lowercase();
    let month = MONTHS
        .iter()
        .position(|name| {
            lower.len() >= 3
                && name.starts_with(&lower)
                && (lower.len() == 3 || *name == lower || lower == "sept")
        })
        .map(|index| index as u32 + 1)?;
    checked_date(year.parse().ok()?, month, day.parse().ok()?)
}

fn checked_date(year: u32, month: u32, day: u32) -> Option<String> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days_in_month)
        .contains(&day)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_common_forms() {
        assert_eq!(normalise("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(normalise("2023-02-29"), None);
        assert_eq!(
            normalise("2025-06-12T08:30:00Z").as_deref(),
            Some("2025-06-12T08:30:00Z")
        );
        assert_eq!(
            normalise("2025-06-12T08:30+0200").as_deref(),
            Some("2025-06-12T08:30:00+02:00")
        );
        assert_eq!(normalise("2025-06-12 08:30").as_deref(), Some("2025-06-12"));
        assert_eq!(normalise("March 3, 2021").as_deref(), Some("2021-03-03"));
        assert_eq!(
            normalise("Published: Tuesday, 7 Sept 2021").as_deref(),
            Some("2021-09-07")
        );
        assert_eq!(normalise("Marching 3, 2021"), None);
        assert_eq!(normalise("the deal of 2021"), None);
    }

    #[test]
    fn finds_a_dateline() {
        let text = "Headline\nBy A Reporter\n14 November 2019\nBody.";
        assert_eq!(
            find_in_opening_lines(text, &[]).as_deref(),
            Some("2019-11-14")
        );
        assert_eq!(
            find_in_opening_lines("Headline\nBody 14 November 2019.", &[]),
            None
        );
    }
}
