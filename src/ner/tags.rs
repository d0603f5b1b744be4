//! Entity types, entity spans and the BILOU tag set the model predicts.

use std::fmt;

/// The four CoNLL-2003 entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityType {
    /// Person.
    Per,
    /// Organisation.
    Org,
    /// Location.
    Loc,
    /// Miscellaneous (nationalities, events, titles of works...).
    Misc,
}

impl EntityType {
    /// All types, in tag order.
    pub const ALL: [EntityType; 4] = [
        EntityType::Per,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Misc,
    ];

    /// Parses PER, ORG, LOC or MISC.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "PER" => Some(Self::Per),
            "ORG" => Some(Self::Org),
            "LOC" => Some(Self::Loc),
            "MISC" => Some(Self::Misc),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Per => "PER",
            Self::Org => "ORG",
            Self::Loc => "LOC",
            Self::Misc => "MISC",
        })
    }
}

/// An entity over tokens `[start, end)` of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntitySpan {
    /// Its type.
    pub kind: EntityType,
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
}

/// Number of BILOU tags: O, then B, I, L, U for each type.
pub const TAG_COUNT: usize = 17;

/// The position of a token in an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    Begin,
    Inside,
    Last,
    Unit,
}

/// A BILOU tag, as an index `0..TAG_COUNT` (0 is O).
pub type Tag = usize;

fn tag(kind: EntityType, position: Position) -> Tag {
    1 + kind.index() * 4 + position as usize
}

fn decode(tag: Tag) -> Option<(EntityType, Position)> {
    if tag == 0 || tag >= TAG_COUNT {
        return None;
    }
    let kind = EntityType::ALL[(tag - 1) / 4];
    let position = [
        Position::Begin,
        Position::Inside,
        Position::Last,
        Position::Unit,
    ][(tag - 1) % 4];
    Some((kind, position))
}

/// BILOU tags for `length` tokens holding `spans`.
pub fn bilou(length: usize, spans: &[EntitySpan]) -> Vec<Tag> {
    let mut tags = vec![0; length];
    for span in spans.iter().filter(|s| s.start < s.end && s.end <= length) {
        if span.end - span.start == 1 {
            tags[span.start] = tag(span.kind, Position::Unit);
            continue;
        }
        tags[span.start] = tag(span.kind, Position::Begin);
        for slot in &mut tags[span.start + 1..span.end - 1] {
            *slot = tag(span.kind, Position::Inside);
        }
        tags[span.end - 1] = tag(span.kind, Position::Last);
    }
    tags
}

/// Entity spans of a BILOU tag sequence (an entity left open is closed where it stops).
pub fn spans_of(tags: &[Tag]) -> Vec<EntitySpan> {
    let mut spans = Vec::new();
    let mut open: Option<EntitySpan> = None;
    for (index, &tag) in tags.iter().enumerate() {
        match decode(tag) {
            None => spans.extend(open.take()),
            Some((kind, Position::Unit)) => {
                spans.extend(open.take());
                spans.push(EntitySpan {
                    kind,
                    start: index,
                    end: index + 1,
                });
            }
            Some((kind, Position::Begin)) => {
                spans.extend(open.take());
                open = Some(EntitySpan {
                    kind,
                    start: index,
                    end: index + 1,
                });
            }
            Some((kind, position)) => {
                match open.as_mut() {
                    Some(span) if span.kind == kind => span.end = index + 1,
                    _ => {
                        spans.extend(open.take());
                        open = Some(EntitySpan {
                            kind,
                            start: index,
                            end: index + 1,
                        });
                    }
                }
                if position == Position::Last {
                    spans.extend(open.take());
                }
            }
        }
    }
    spans.extend(open);
    spans
}

/// Whether `next` may follow `previous` (`None`: sentence start) in a well-formed BILOU sequence.
pub fn allowed(previous: Option<Tag>, next: Tag) -> bool {
    let open_before = previous
        .and_then(decode)
        .filter(|(_, p)| matches!(p, Position::Begin | Position::Inside));
    match (open_before, decode(next)) {
        (Some((kind, _)), Some((next_kind, Position::Inside | Position::Last))) => {
            kind == next_kind
        }
        (Some(_), _) => false,
        (None, Some((_, Position::Inside | Position::Last))) => false,
        (None, _) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilou_round_trips_and_constrains() {
        let spans = vec![
            EntitySpan {
                kind: EntityType::Per,
                start: 0,
                end: 2,
            },
            EntitySpan {
                kind: EntityType::Loc,
                start: 3,
                end: 4,
            },
            EntitySpan {
                kind: EntityType::Org,
                start: 4,
                end: 7,
            },
        ];
        let tags = bilou(8, &spans);
        assert_eq!(spans_of(&tags), spans);
        for window in tags.windows(2) {
            assert!(allowed(Some(window[0]), window[1]));
        }
        assert!(allowed(None, tags[0]));
        assert!(!allowed(None, tag(EntityType::Per, Position::Inside)));
        assert!(!allowed(Some(tag(EntityType::Per, Position::Begin)), 0));
        assert!(!allowed(
            Some(tag(EntityType::Per, Position::Begin)),
            tag(EntityType::Org, Position::Last)
        ));
    }
}
