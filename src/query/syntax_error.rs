//! SPARQL syntax errors said in one line: where the parser stopped, the text there, and what it
//! wanted, without the character ranges of the grammar's name rules that the parser lists.
//!
//! The parser (spargebra, through peg) reports `error at LINE:COLUMN: expected one of …` with every
//! token it could have taken, often hundreds of Unicode ranges; an unknown prefix is one of those
//! tokens ("Prefix not found"). This module keeps the location, names an unknown prefix as such,
//! and otherwise lists a few of the tokens that a person could type.

use crate::rdf::vocab::PREFIXES;

/// The expected tokens shown at most.
const SHOWN_TOKENS: usize = 8;

/// The parser's `message` about `sparql`, said in one line.
pub(super) fn describe(sparql: &str, message: &str) -> String {
    let Some((line, column, expected)) = parse_message(message) else {
        return first_line(message).to_string();
    };
    let near = text_at(sparql, line, column);
    let place = format!("line {line}, column {column}");
    if expected.contains("Prefix not found") {
        if let Some(prefix) = prefix_at(sparql, line, column) {
            let known: Vec<&str> = PREFIXES.iter().map(|(prefix, _)| *prefix).collect();
            return format!(
                "{place}: unknown prefix {prefix}: (declare it with PREFIX {prefix}: <IRI>; \
                 predeclared: {})",
                known.join(", ")
            );
        }
    }
    let tokens = typable_tokens(expected);
    let wanted = match tokens.len() {
        0 => String::new(),
        count if count <= SHOWN_TOKENS => format!(": expected {}", tokens.join(", ")),
        count => format!(
            ": expected {} or {} more",
            tokens[..SHOWN_TOKENS].join(", "),
            count - SHOWN_TOKENS
        ),
    };
    match near {
        Some(near) if wanted.is_empty() => format!("{place}: unexpected {near:?}"),
        Some(near) => format!("{place}, near {near:?}{wanted}"),
        None => format!("{place}, at the end of the query{wanted}"),
    }
}

/// `(line, column, expected)` of `error at LINE:COLUMN: expected EXPECTED`.
fn parse_message(message: &str) -> Option<(usize, usize, &str)> {
    let rest = message.strip_prefix("error at ")?;
    let (location, expected) = rest.split_once(": expected ")?;
    let (line, column) = location.split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?, expected))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// The characters of line `line` from 1-based character column `column`.
fn rest_of_line(sparql: &str, line: usize, column: usize) -> Option<&str> {
    let text = sparql.lines().nth(line.checked_sub(1)?)?;
    let start = text
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map_or(text.len(), |(index, _)| index);
    Some(&text[start..])
}

/// The word around the location (from the white space before it to the white space after), when
/// the query goes on there.
fn text_at(sparql: &str, line: usize, column: usize) -> Option<String> {
    let text = sparql.lines().nth(line.checked_sub(1)?)?;
    let characters: Vec<char> = text.chars().collect();
    let at = column.checked_sub(1)?;
    if at >= characters.len() || characters[at].is_whitespace() {
        let rest = rest_of_line(sparql, line, column)?.trim_start();
        let word: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace())
            .take(30)
            .collect();
        return (!word.is_empty()).then_some(word);
    }
    let start = (0..at)
        .rev()
        .take_while(|&i| !characters[i].is_whitespace())
        .last()
        .unwrap_or(at);
    let end = (at..characters.len())
        .find(|&i| characters[i].is_whitespace())
        .unwrap_or(characters.len());
    Some(characters[start..end.min(start + 30)].iter().collect())
}

/// The prefix of the prefixed name at the location, or ending just before it.
fn prefix_at(sparql: &str, line: usize, column: usize) -> Option<String> {
    let text = sparql.lines().nth(line.checked_sub(1)?)?;
    let characters: Vec<char> = text.chars().collect();
    let mut at = column.checked_sub(1)?.min(characters.len());
    // At the end of the line or on white space, the name is the word just before.
    while at > 0 && (at == characters.len() || characters[at].is_whitespace()) {
        at -= 1;
    }
    let start = (0..=at)
        .rev()
        .take_while(|&i| !characters[i].is_whitespace())
        .last()?;
    let end = (at..characters.len())
        .find(|&i| characters[i].is_whitespace())
        .unwrap_or(characters.len());
    let word: String = characters[start..end].iter().collect();
    let (before, _) = word.split_once(':')?;
    let is_name = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    let prefix: String = before
        .chars()
        .rev()
        .take_while(|&c| is_name(c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Some(prefix)
}

/// The tokens of the parser's expected set that a person could type (keywords and punctuation),
/// without the character ranges and the names of rules (such as "Prefix not found").
fn typable_tokens(expected: &str) -> Vec<String> {
    let list = expected.strip_prefix("one of ").unwrap_or(expected);
    let mut tokens: Vec<String> = Vec::new();
    let mut rest = list;
    while !rest.is_empty() {
        // A quoted token may hold ", " itself, so it ends at a quote followed by a separator.
        let end = match rest.chars().next() {
            Some('"') => rest[1..].find("\", ").map_or(rest.len(), |i| i + 2),
            Some('[') => rest.find("], ").map_or(rest.len(), |i| i + 1),
            _ => rest.find(", ").unwrap_or(rest.len()),
        };
        let token = &rest[..end];
        rest = rest[end..].strip_prefix(", ").unwrap_or(&rest[end..]);
        let typable = !token.starts_with('[') && !token.contains(' ');
        let token = token.trim_matches('"');
        if typable && !token.is_empty() && !tokens.iter().any(|t| t == token) {
            tokens.push(token.to_string());
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the real parser says about `sparql`, described.
    fn described(sparql: &str) -> String {
        let error = spargebra::SparqlParser::new()
            .parse_query(sparql)
            .expect_err("a syntax error");
        describe(sparql, &error.to_string())
    }

    #[test]
    fn an_unknown_prefix_is_named_in_one_line() {
        let message = described("SELECT * WHERE { ?s nope:p ?o }");
        assert!(message.contains("unknown prefix nope:"), "{message}");
        assert!(message.starts_with("line 1, column"), "{message}");
        assert!(!message.contains('\n') && message.len() < 300, "{message}");
        assert!(!message.contains("\\u{"), "{message}");
    }

    #[test]
    fn an_unknown_prefix_on_a_later_line_is_found_there() {
        let message = described("SELECT *\nWHERE {\n  ?s a ex:Thing\n}");
        assert!(message.contains("line 3"), "{message}");
        assert!(message.contains("unknown prefix ex:"), "{message}");
    }

    #[test]
    fn a_stray_token_is_quoted_with_what_could_come_there() {
        let message = described("SELECT * WHERE { ?s ?p ?o } LIMIT many");
        assert!(
            message.starts_with(
                "line 1, column 35, near \"many\": expected HAVING, OFFSET, OPTIONAL, VALUES"
            ),
            "{message}"
        );
        assert!(message.len() < 300, "{message}");
    }

    #[test]
    fn an_unfinished_query_says_it_ended() {
        let message = described("SELECT ?x WHERE { ?x");
        assert!(
            message.contains("at the end of the query: expected"),
            "{message}"
        );
        assert!(!message.contains("\\u{"), "{message}");
    }

    #[test]
    fn tokens_are_read_from_the_expected_set() {
        assert_eq!(
            typable_tokens(r#"one of "(", ",", ['a'..='z'], Prefix not found, WHERE, "{""#),
            vec!["(", ",", "WHERE", "{"]
        );
        assert_eq!(typable_tokens("OPTIONAL"), vec!["OPTIONAL"]);
    }
}
