//! The extraction of one document while it is being built: local entities, mentions and claims.
//!
//! Passes add to a [`Draft`] in byte offsets; it converts to character offsets, assigns sentences,
//! refuses mentions that cross a sentence boundary or lie in clutter, and gives the final lists in a
//! stable order.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use foldhash::{HashMap, HashMapExt};

use super::model::{
    Claim, ClaimValue, EntityClass, EntityRecord, Mention, MentionKind, OrganisationKind, Predicate,
};
use crate::text::{CharMap, CharSpan};

/// A finished draft: sentences, entities with at least one mention, mentions, claims.
pub(crate) type Finished = (Vec<CharSpan>, Vec<EntityRecord>, Vec<Mention>, Vec<Claim>);

/// A document's extraction under construction.
pub(crate) struct Draft<'d> {
    pub text: &'d str,
    map: CharMap,
    sentences: Vec<CharSpan>,
    entities: Vec<EntityRecord>,
    keys: HashMap<(EntityClass, String), usize>,
    /// Index in `entities` of each local id.
    entity_index: HashMap<String, usize>,
    mentions: Vec<Mention>,
    /// Indexes in `mentions` of the mentions at each span, in the order they were recorded.
    mentions_at: HashMap<CharSpan, Vec<usize>>,
    /// Per character of the text, whether a mention covers it.
    covered: Vec<bool>,
    claims: Vec<Claim>,
    /// Indexes in `claims` of the claims with each [`claim_hash`].
    claims_by_hash: HashMap<u64, Vec<usize>>,
}

/// A hash of everything in a claim but its confidence (a float, which has no `Hash`).
fn claim_hash(claim: &Claim) -> u64 {
    FixedState::default().hash_one((
        &claim.subject,
        claim.predicate,
        &claim.value,
        &claim.evidence,
        claim.sentence,
    ))
}

impl<'d> Draft<'d> {
    pub fn new(text: &'d str, sentences: Vec<CharSpan>) -> Self {
        let map = CharMap::new(text);
        let covered = vec![false; map.char_len()];
        Self {
            text,
            map,
            sentences,
            entities: Vec::new(),
            keys: HashMap::new(),
            entity_index: HashMap::new(),
            mentions: Vec::new(),
            mentions_at: HashMap::new(),
            covered,
            claims: Vec::new(),
            claims_by_hash: HashMap::new(),
        }
    }

    /// The sentence (index and byte range) that holds the byte range, if one does.
    pub fn sentence_of_bytes(&self, start: usize, end: usize) -> Option<(usize, usize, usize)> {
        let span = self.map.span_of_bytes(start, end);
        let index = self.sentences.partition_point(|s| s.end < span.end);
        let sentence = self.sentences.get(index)?;
        sentence.contains(&span).then(|| {
            (
                index,
                self.map.byte_of_char(sentence.start),
                self.map.byte_of_char(sentence.end),
            )
        })
    }

    /// Byte ranges of all sentences, in order.
    pub fn sentence_byte_ranges(&self) -> Vec<(usize, usize)> {
        self.sentences
            .iter()
            .map(|s| (self.map.byte_of_char(s.start), self.map.byte_of_char(s.end)))
            .collect()
    }

    /// The local id of the entity with this class and key, creating it with `name` if new.
    pub fn entity(&mut self, class: EntityClass, key: &str, name: &str) -> String {
        let lookup = (class, key.to_string());
        if let Some(&index) = self.keys.get(&lookup) {
            return self.entities[index].id.clone();
        }
        let id = format!("e{}", self.entities.len());
        self.keys.insert(lookup, self.entities.len());
        self.entity_index.insert(id.clone(), self.entities.len());
        self.entities.push(EntityRecord {
            id: id.clone(),
            class,
            name: name.to_string(),
            code: None,
            alpha3: None,
            kinds: Vec::new(),
            aliases: Vec::new(),
        });
        id
    }

    /// The local id of the entity with this class and key, if there is one.
    pub fn entity_id(&self, class: EntityClass, key: &str) -> Option<&str> {
        let index = *self.keys.get(&(class, key.to_string()))?;
        Some(&self.entities[index].id)
    }

    /// Mutable access to an entity by local id.
    pub fn record_mut(&mut self, id: &str) -> Option<&mut EntityRecord> {
        let index = *self.entity_index.get(id)?;
        self.entities.get_mut(index)
    }

    /// An entity by local id.
    pub fn record(&self, id: &str) -> Option<&EntityRecord> {
        let index = *self.entity_index.get(id)?;
        self.entities.get(index)
    }

    /// Adds a finer kind to an organisation.
    pub fn add_kind(&mut self, id: &str, kind: OrganisationKind) {
        if let Some(record) = self.record_mut(id) {
            if !record.kinds.contains(&kind) {
                record.kinds.push(kind);
                record.kinds.sort();
            }
        }
    }

    /// Adds an alias to an entity.
    pub fn add_alias(&mut self, id: &str, alias: &str) {
        if let Some(record) = self.record_mut(id) {
            if record.name != alias && !record.aliases.iter().any(|a| a == alias) {
                record.aliases.push(alias.to_string());
            }
        }
    }

    /// Records a mention of `entity` at bytes `start..end`; refused (false) outside sentences or
    /// where the same span already names an entity of the same class.
    pub fn mention(&mut self, entity: &str, kind: MentionKind, start: usize, end: usize) -> bool {
        let Some((sentence, _, _)) = self.sentence_of_bytes(start, end) else {
            return false;
        };
        let span = self.map.span_of_bytes(start, end);
        let class = self.record(entity).map(|r| r.class);
        let same_span = self.mentions_at.get(&span).map_or(&[][..], Vec::as_slice);
        // One span names one entity of a class, except a trigger word, which may start several
        // agreements ("deals with A, B and C").
        let taken = same_span.iter().any(|&index| {
            let m = &self.mentions[index];
            m.entity == entity
                || (kind != MentionKind::Trigger
                    && self.record(&m.entity).map(|r| r.class) == class)
        });
        if taken {
            return false;
        }
        self.mentions_at
            .entry(span)
            .or_default()
            .push(self.mentions.len());
        for covered in self.covered.iter_mut().take(span.end).skip(span.start) {
            *covered = true;
        }
        self.mentions.push(Mention {
            entity: entity.to_string(),
            kind,
            text: self.text[start..end].to_string(),
            start: span.start,
            end: span.end,
            sentence,
        });
        true
    }

    /// The entity and byte range of every mention of an entity of the given classes, in text order.
    pub fn mention_spans(&self, classes: &[EntityClass]) -> Vec<(String, usize, usize)> {
        let mut spans: Vec<(String, usize, usize)> = self
            .mentions
            .iter()
            .filter(|m| {
                self.record(&m.entity)
                    .is_some_and(|r| classes.contains(&r.class))
            })
            .map(|m| {
                (
                    m.entity.clone(),
                    self.map.byte_of_char(m.start),
                    self.map.byte_of_char(m.end),
                )
            })
            .collect();
        spans.sort_by_key(|(_, start, _)| *start);
        spans
    }

    /// The kind of the mention at exactly bytes `start..end`, if there is one.
    pub fn mention_kind_at(&self, start: usize, end: usize) -> Option<MentionKind> {
        let span = self.map.span_of_bytes(start, end);
        let first = *self.mentions_at.get(&span)?.first()?;
        Some(self.mentions[first].kind)
    }

    /// Whether any mention covers a character of the non-empty byte range `start..end`.
    pub fn is_covered(&self, start: usize, end: usize) -> bool {
        let span = self.map.span_of_bytes(start, end);
        self.covered
            .iter()
            .take(span.end)
            .skip(span.start)
            .any(|&covered| covered)
    }

    /// Records a claim whose evidence is the given byte ranges (the first one fixes the sentence).
    pub fn claim(
        &mut self,
        subject: &str,
        predicate: Predicate,
        value: ClaimValue,
        evidence: &[(usize, usize)],
        confidence: f64,
    ) {
        let Some(&(first_start, first_end)) = evidence.first() else {
            return;
        };
        let Some((sentence, _, _)) = self.sentence_of_bytes(first_start, first_end) else {
            return;
        };
        let mut spans: Vec<CharSpan> = evidence
            .iter()
            .map(|&(s, e)| self.map.span_of_bytes(s, e))
            .collect();
        spans.sort();
        spans.dedup();
        let claim = Claim {
            subject: subject.to_string(),
            predicate,
            value,
            evidence: spans,
            sentence,
            confidence,
        };
        let same_hash = self.claims_by_hash.entry(claim_hash(&claim)).or_default();
        if !same_hash.iter().any(|&index| self.claims[index] == claim) {
            same_hash.push(self.claims.len());
            self.claims.push(claim);
        }
    }

    /// The claims made so far with a predicate, in the order they were made.
    pub fn claims_of(&self, predicate: Predicate) -> impl Iterator<Item = &Claim> {
        self.claims.iter().filter(move |c| c.predicate == predicate)
    }

    /// Changes an entity's class (a person found to hold a post becomes an official).
    pub fn set_class(&mut self, id: &str, class: EntityClass) {
        if let Some(record) = self.record_mut(id) {
            record.class = class;
        }
    }

    /// The finished lists: sentences, entities with at least one mention, mentions, claims.
    pub fn finish(mut self) -> Finished {
        self.mentions
            .sort_by(|a, b| (a.start, a.end, &a.entity).cmp(&(b.start, b.end, &b.entity)));
        let mentioned: std::collections::HashSet<&str> =
            self.mentions.iter().map(|m| m.entity.as_str()).collect();
        let kept: Vec<EntityRecord> = self
            .entities
            .iter()
            .filter(|e| mentioned.contains(e.id.as_str()))
            .cloned()
            .collect();
        let kept_ids: std::collections::HashSet<&str> =
            kept.iter().map(|e| e.id.as_str()).collect();
        let claims: Vec<Claim> = self
            .claims
            .iter()
            .filter(|c| {
                kept_ids.contains(c.subject.as_str())
                    && c.value.entity().is_none_or(|id| kept_ids.contains(id))
            })
            .cloned()
            .collect();
        (self.sentences, kept, self.mentions, claims)
    }
}
