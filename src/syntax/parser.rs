//! The dependency parser: arc-hybrid transitions (Kuhlmann et al. 2011) with labelled arcs, a
//! greedy averaged perceptron over Zhang & Nivre (2011) style features, and the dynamic oracle of
//! Goldberg & Nivre (2013) for training with exploration.
//!
//! A configuration is a stack (the root, position 0, at its bottom), a buffer (the words from
//! `next` on) and the arcs made so far. SHIFT moves the first buffer word onto the stack;
//! LEFT-l makes the first buffer word the head of the stack's top and pops it; RIGHT-l makes the
//! word below the top its head and pops it. The root takes its one dependent by RIGHT-root, and only
//! when the buffer is empty, so every output is a tree with one root word. A [`Configuration`]
//! keeps each word's leftmost and rightmost two dependents, valencies and dependents' relations up
//! to date as arcs are made, so the features of a configuration cost the same at any sentence length.

use super::perceptron::{best, feature, FeatureKey, Learner, Weights};

/// A transition: `0` is SHIFT, `1 + 2l` LEFT with relation `l`, `2 + 2l` RIGHT with relation `l`.
pub type Transition = usize;

const SHIFT: Transition = 0;

/// The number of transitions of `relations` relations.
pub fn transition_count(relations: usize) -> usize {
    1 + 2 * relations
}

/// What the parser reads of a sentence: per position (0 is the root), a word and a tag value.
#[derive(Debug, Clone)]
pub struct ParserInput {
    /// Hashes of the lower-case words.
    pub words: Vec<u64>,
    /// Tag values (tag class + 2; 1 for the root).
    pub tags: Vec<u64>,
}

/// The word value of the root.
pub const ROOT_WORD: u64 = 0x7007_7007;
/// The tag value of the root.
pub const ROOT_TAG: u64 = 1;
/// The value of a position that does not exist.
const ABSENT: u64 = 0;

impl ParserInput {
    /// The input of words (lower-case hashes) and tag classes.
    pub fn new(words: impl IntoIterator<Item = u64>, tags: impl IntoIterator<Item = u16>) -> Self {
        let mut input = Self {
            words: vec![ROOT_WORD],
            tags: vec![ROOT_TAG],
        };
        input.words.extend(words);
        input
            .tags
            .extend(tags.into_iter().map(|t| u64::from(t) + 2));
        input
    }

    /// The number of words (the root not counted).
    pub fn len(&self) -> usize {
        self.words.len() - 1
    }

    /// Whether there is no word.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The relations the parser knows, with what the parser needs of them.
#[derive(Debug, Clone)]
pub struct Relations {
    /// The relation of the root's dependent (`root`).
    pub root: usize,
    /// Per relation, a bit for its universal part (the label sets of features).
    pub universal_bits: Vec<u64>,
}

/// A parser configuration with the arcs made so far.
#[derive(Debug, Clone)]
pub struct Configuration {
    stack: Vec<u32>,
    next: u32,
    length: u32,
    /// Per position, its head (`u32::MAX` while it has none).
    pub heads: Vec<u32>,
    /// Per position, its relation (valid once it has a head).
    pub relations: Vec<u16>,
    leftmost: Vec<[u32; 2]>,
    rightmost: Vec<[u32; 2]>,
    left_valency: Vec<u8>,
    right_valency: Vec<u8>,
    left_set: Vec<u64>,
    right_set: Vec<u64>,
    on_stack: Vec<bool>,
}

const NO_HEAD: u32 = u32::MAX;

impl Configuration {
    /// The start of a sentence of `length` words.
    pub fn new(length: usize) -> Self {
        let positions = length + 1;
        let mut on_stack = vec![false; positions];
        on_stack[0] = true;
        Self {
            stack: vec![0],
            next: 1,
            length: length as u32,
            heads: vec![NO_HEAD; positions],
            relations: vec![0; positions],
            leftmost: vec![[0; 2]; positions],
            rightmost: vec![[0; 2]; positions],
            left_valency: vec![0; positions],
            right_valency: vec![0; positions],
            left_set: vec![0; positions],
            right_set: vec![0; positions],
            on_stack,
        }
    }

    /// Whether the parse is complete.
    pub fn is_terminal(&self) -> bool {
        self.next > self.length && self.stack.len() == 1
    }

    fn buffer_empty(&self) -> bool {
        self.next > self.length
    }

    /// Whether a transition is allowed here.
    pub fn allows(&self, transition: Transition, relations: &Relations) -> bool {
        if transition == SHIFT {
            return !self.buffer_empty();
        }
        let relation = (transition - 1) / 2;
        let is_root = relation == relations.root;
        if transition % 2 == 1 {
            self.stack.len() >= 2 && !self.buffer_empty() && !is_root
        } else if self.stack.len() >= 3 {
            !is_root
        } else {
            self.stack.len() == 2 && self.buffer_empty() && is_root
        }
    }

    /// Applies an allowed transition.
    pub fn apply(&mut self, transition: Transition, relations: &Relations) {
        if transition == SHIFT {
            self.stack.push(self.next);
            self.on_stack[self.next as usize] = true;
            self.next += 1;
            return;
        }
        let relation = (transition - 1) / 2;
        let dependent = self.stack.pop().expect("a word on the stack");
        self.on_stack[dependent as usize] = false;
        let head = if transition % 2 == 1 {
            self.next
        } else {
            *self.stack.last().expect("the root under the word")
        };
        self.attach(head, dependent, relation, relations);
    }

    fn attach(&mut self, head: u32, dependent: u32, relation: usize, relations: &Relations) {
        let (h, d) = (head as usize, dependent as usize);
        self.heads[d] = head;
        self.relations[d] = relation as u16;
        let bit = relations.universal_bits[relation];
        if dependent < head {
            self.left_valency[h] = self.left_valency[h].saturating_add(1);
            self.left_set[h] |= bit;
            let outer = &mut self.leftmost[h];
            if outer[0] == 0 || dependent < outer[0] {
                *outer = [dependent, outer[0]];
            } else if outer[1] == 0 || dependent < outer[1] {
                outer[1] = dependent;
            }
        } else {
            self.right_valency[h] = self.right_valency[h].saturating_add(1);
            self.right_set[h] |= bit;
            let outer = &mut self.rightmost[h];
            if dependent > outer[0] {
                *outer = [dependent, outer[0]];
            } else if dependent > outer[1] {
                outer[1] = dependent;
            }
        }
    }

    /// The stack's `i`th word from the top, if any.
    fn stack_at(&self, i: usize) -> Option<u32> {
        self.stack.len().checked_sub(i + 1).map(|at| self.stack[at])
    }

    /// The buffer's `i`th word, if any.
    fn buffer_at(&self, i: u32) -> Option<u32> {
        let at = self.next + i;
        (at <= self.length).then_some(at)
    }
}

/// Distance in buckets: 1–4 exactly, then 5–7, 8–12 and farther.
fn distance_bucket(distance: u32) -> u64 {
    match distance {
        0..=4 => u64::from(distance),
        5..=7 => 5,
        8..=12 => 6,
        _ => 7,
    }
}

/// What the features read of one position: word, tag, relation (if attached).
#[derive(Debug, Clone, Copy)]
struct Slot {
    word: u64,
    tag: u64,
    relation: u64,
}

const EMPTY: Slot = Slot {
    word: ABSENT,
    tag: ABSENT,
    relation: ABSENT,
};

/// The features of a configuration, into `out`.
pub fn features(input: &ParserInput, state: &Configuration, out: &mut Vec<FeatureKey>) {
    out.clear();
    let slot = |position: Option<u32>| {
        position.map_or(EMPTY, |p| {
            let p = p as usize;
            Slot {
                word: input.words[p],
                tag: input.tags[p],
                relation: if state.heads[p] == NO_HEAD {
                    ABSENT
                } else {
                    u64::from(state.relations[p]) + 1
                },
            }
        })
    };
    let child = |position: Option<u32>, pick: fn(&Configuration, usize) -> u32| {
        position.and_then(|p| Some(pick(state, p as usize)).filter(|&c| c != 0))
    };
    let (s0p, s1p, s2p) = (state.stack_at(0), state.stack_at(1), state.stack_at(2));
    let (b0p, b1p, b2p) = (state.buffer_at(0), state.buffer_at(1), state.buffer_at(2));
    let (s0, s1, s2) = (slot(s0p), slot(s1p), slot(s2p));
    let (b0, b1, b2) = (slot(b0p), slot(b1p), slot(b2p));
    let s0l1 = slot(child(s0p, |c, p| c.leftmost[p][0]));
    let s0l2 = slot(child(s0p, |c, p| c.leftmost[p][1]));
    let s0r1 = slot(child(s0p, |c, p| c.rightmost[p][0]));
    let s0r2 = slot(child(s0p, |c, p| c.rightmost[p][1]));
    let s1l1 = slot(child(s1p, |c, p| c.leftmost[p][0]));
    let s1r1 = slot(child(s1p, |c, p| c.rightmost[p][0]));
    let b0l1 = slot(child(b0p, |c, p| c.leftmost[p][0]));
    let b0l2 = slot(child(b0p, |c, p| c.leftmost[p][1]));
    let valency = |p: Option<u32>, left: bool| {
        p.map_or(ABSENT, |p| {
            let p = p as usize;
            u64::from(if left {
                state.left_valency[p]
            } else {
                state.right_valency[p]
            }) + 1
        })
    };
    let label_set = |p: Option<u32>, left: bool| {
        p.map_or(ABSENT, |p| {
            let p = p as usize;
            if left {
                state.left_set[p]
            } else {
                state.right_set[p] | 1 << 63
            }
        })
    };
    let gap = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (Some(a), Some(b)) => distance_bucket(b.abs_diff(a)) + 1,
        _ => ABSENT,
    };
    let s0_b0 = gap(s0p, b0p);
    let s1_s0 = gap(s1p, s0p);
    let mut add = |template: u64, values: &[u64]| out.push(feature(template, values));
    add(0, &[]);
    // Single positions.
    add(1, &[s0.word]);
    add(2, &[s0.tag]);
    add(3, &[s0.word, s0.tag]);
    add(4, &[s1.word]);
    add(5, &[s1.tag]);
    add(6, &[s1.word, s1.tag]);
    add(7, &[s2.word]);
    add(8, &[s2.tag]);
    add(9, &[b0.word]);
    add(10, &[b0.tag]);
    add(11, &[b0.word, b0.tag]);
    add(12, &[b1.word]);
    add(13, &[b1.tag]);
    add(14, &[b1.word, b1.tag]);
    add(15, &[b2.word]);
    add(16, &[b2.tag]);
    // Dependents of the stack's top two and the buffer's first.
    add(17, &[s0l1.word]);
    add(18, &[s0l1.tag]);
    add(19, &[s0l1.relation]);
    add(20, &[s0l2.tag]);
    add(21, &[s0l2.relation]);
    add(22, &[s0r1.word]);
    add(23, &[s0r1.tag]);
    add(24, &[s0r1.relation]);
    add(25, &[s0r2.tag]);
    add(26, &[s0r2.relation]);
    add(27, &[s1l1.tag]);
    add(28, &[s1l1.relation]);
    add(29, &[s1r1.tag]);
    add(30, &[s1r1.relation]);
    add(31, &[b0l1.word]);
    add(32, &[b0l1.tag]);
    add(33, &[b0l1.relation]);
    add(34, &[b0l2.tag]);
    add(35, &[b0l2.relation]);
    // Pairs: the top of the stack with the buffer's first word.
    add(40, &[s0.word, s0.tag, b0.word, b0.tag]);
    add(41, &[s0.word, s0.tag, b0.word]);
    add(42, &[s0.word, b0.word, b0.tag]);
    add(43, &[s0.word, s0.tag, b0.tag]);
    add(44, &[s0.tag, b0.word, b0.tag]);
    add(45, &[s0.word, b0.word]);
    add(46, &[s0.tag, b0.tag]);
    add(47, &[b0.tag, b1.tag]);
    // Pairs: the top two of the stack.
    add(50, &[s0.word, s0.tag, s1.word, s1.tag]);
    add(51, &[s0.word, s1.word]);
    add(52, &[s0.tag, s1.tag]);
    add(53, &[s0.word, s1.tag]);
    add(54, &[s0.tag, s1.word]);
    add(55, &[s1.word, s1.tag, s0.tag]);
    add(56, &[s1.tag, s0.word, s0.tag]);
    // Tag triples.
    add(60, &[b0.tag, b1.tag, b2.tag]);
    add(61, &[s0.tag, b0.tag, b1.tag]);
    add(62, &[s1.tag, s0.tag, b0.tag]);
    add(63, &[s2.tag, s1.tag, s0.tag]);
    add(64, &[s1.tag, s0.tag, b1.tag]);
    add(65, &[s0.tag, s0l1.tag, b0.tag]);
    add(66, &[s0.tag, s0r1.tag, b0.tag]);
    add(67, &[s0.tag, s0l1.tag, s0l2.tag]);
    add(68, &[s0.tag, s0r1.tag, s0r2.tag]);
    add(69, &[s1.tag, s0.tag, s0l1.tag]);
    add(70, &[s1.tag, s0.tag, s0r1.tag]);
    add(71, &[s1.tag, s1r1.tag, s0.tag]);
    add(72, &[s1.tag, s1l1.tag, s0.tag]);
    add(73, &[b0.tag, b0l1.tag, b0l2.tag]);
    add(74, &[s0.tag, b0.tag, b0l1.tag]);
    add(75, &[s1.tag, s0.tag, s0l1.relation, s0r1.relation]);
    add(76, &[s0.word, s0l1.relation, s0r1.relation]);
    // Distances.
    add(80, &[s0.word, s0_b0]);
    add(81, &[s0.tag, s0_b0]);
    add(82, &[b0.word, s0_b0]);
    add(83, &[b0.tag, s0_b0]);
    add(84, &[s0.word, s0.tag, b0.word, b0.tag, s0_b0]);
    add(85, &[s0.tag, b0.tag, s0_b0]);
    add(86, &[s1.tag, s0.tag, s1_s0]);
    add(87, &[s1.word, s0.word, s1_s0]);
    add(88, &[s1.word, s0.tag, s1_s0]);
    add(89, &[s1.tag, s0.word, s1_s0]);
    // Valencies.
    add(90, &[s0.word, valency(s0p, false)]);
    add(91, &[s0.tag, valency(s0p, false)]);
    add(92, &[s0.word, valency(s0p, true)]);
    add(93, &[s0.tag, valency(s0p, true)]);
    add(94, &[s1.word, valency(s1p, false)]);
    add(95, &[s1.tag, valency(s1p, false)]);
    add(96, &[s1.tag, valency(s1p, true)]);
    add(97, &[b0.word, valency(b0p, true)]);
    add(98, &[b0.tag, valency(b0p, true)]);
    // Relation sets of dependents.
    add(100, &[s0.word, label_set(s0p, true)]);
    add(101, &[s0.tag, label_set(s0p, true)]);
    add(102, &[s0.word, label_set(s0p, false)]);
    add(103, &[s0.tag, label_set(s0p, false)]);
    add(104, &[b0.word, label_set(b0p, true)]);
    add(105, &[b0.tag, label_set(b0p, true)]);
    add(106, &[s1.tag, label_set(s1p, false)]);
    add(107, &[s1.tag, label_set(s1p, true)]);
    add(
        108,
        &[s0.tag, label_set(s0p, true), b0.tag, label_set(b0p, true)],
    );
}

/// Parses a sentence: per word (index 0 is word 1), its head (0 for the root) and relation.
pub fn parse(weights: &Weights, relations: &Relations, input: &ParserInput) -> Configuration {
    let mut state = Configuration::new(input.len());
    let mut keys = Vec::with_capacity(128);
    let mut scores = vec![0.0; weights.classes()];
    while !state.is_terminal() {
        features(input, &state, &mut keys);
        weights.score(&keys, &mut scores);
        let chosen =
            best(&scores, |t| state.allows(t, relations)).expect("a transition is allowed");
        state.apply(chosen, relations);
    }
    state
}

/// A training sentence: the input (with predicted tags) and a projective gold tree.
#[derive(Debug, Clone)]
pub struct GoldTree {
    /// Words and tags.
    pub input: ParserInput,
    /// Per position, the gold head (position 0 unused).
    pub heads: Vec<u32>,
    /// Per position, the gold relation.
    pub relations: Vec<u16>,
    /// Per position, its gold dependents.
    pub dependents: Vec<Vec<u32>>,
}

impl GoldTree {
    /// A gold tree from heads and relations per position (0 unused), made projective by lifting
    /// each non-projective arc to the head's head until none is left.
    pub fn new(input: ParserInput, mut heads: Vec<u32>, relations: Vec<u16>) -> Self {
        projectivise(&mut heads);
        let mut dependents = vec![Vec::new(); heads.len()];
        for (dependent, &head) in heads.iter().enumerate().skip(1) {
            dependents[head as usize].push(dependent as u32);
        }
        Self {
            input,
            heads,
            relations,
            dependents,
        }
    }

    /// The cost of each transition (how many gold arcs it makes unreachable, plus one for a gold
    /// arc with a wrong relation), or `None` for those not allowed.
    fn costs(&self, state: &Configuration, relations: &Relations, out: &mut [Option<u32>]) {
        let top = state.stack_at(0);
        let s0 = top.filter(|&p| p != 0);
        let s1 = state.stack_at(1);
        let b0 = state.buffer_at(0);
        let in_buffer = |p: u32| (state.next..=state.length).contains(&p);
        let dependents_in_buffer = |p: u32| {
            self.dependents[p as usize]
                .iter()
                .filter(|&&d| in_buffer(d))
                .count() as u32
        };
        let shift_cost = b0.map(|b| {
            let head = self.heads[b as usize];
            let lost_head = u32::from(state.on_stack[head as usize] && Some(head) != top);
            let lost_dependents = self.dependents[b as usize]
                .iter()
                .filter(|&&d| state.on_stack[d as usize])
                .count() as u32;
            lost_head + lost_dependents
        });
        let left_cost = s0.zip(b0).map(|(s, b)| {
            let head = self.heads[s as usize];
            let lost_head = u32::from(head != b && (Some(head) == s1 || in_buffer(head)));
            (lost_head + dependents_in_buffer(s), head == b)
        });
        let right_cost = s0.zip(s1).map(|(s, under)| {
            let head = self.heads[s as usize];
            let lost_head = u32::from(head != under && in_buffer(head));
            (lost_head + dependents_in_buffer(s), head == under)
        });
        let gold_relation = s0.map(|s| usize::from(self.relations[s as usize]));
        for (transition, cost) in out.iter_mut().enumerate() {
            *cost = if !state.allows(transition, relations) {
                None
            } else if transition == SHIFT {
                shift_cost
            } else {
                let arc = if transition % 2 == 1 {
                    left_cost
                } else {
                    right_cost
                };
                arc.map(|(cost, gold_arc)| {
                    let relation = (transition - 1) / 2;
                    cost + u32::from(gold_arc && Some(relation) != gold_relation)
                })
            };
        }
    }
}

/// Makes a tree projective by lifting the shortest non-projective arc to the head's head, again
/// and again (pseudo-projective lifting without marking the lifted relations).
pub fn projectivise(heads: &mut [u32]) {
    while let Some(dependent) = shortest_nonprojective(heads) {
        let head = heads[dependent] as usize;
        heads[dependent] = heads[head];
    }
}

fn dominates(heads: &[u32], ancestor: usize, mut position: usize) -> bool {
    let mut steps = 0;
    while position != 0 && steps <= heads.len() {
        if position == ancestor {
            return true;
        }
        position = heads[position] as usize;
        steps += 1;
    }
    ancestor == 0
}

fn shortest_nonprojective(heads: &[u32]) -> Option<usize> {
    (1..heads.len())
        .filter(|&d| {
            let h = heads[d] as usize;
            let (low, high) = (h.min(d), h.max(d));
            (low + 1..high).any(|between| !dominates(heads, h, between))
        })
        .min_by_key(|&d| (heads[d] as usize).abs_diff(d))
}

/// Exploration settings of a training pass (Goldberg & Nivre 2012).
#[derive(Debug, Clone, Copy)]
pub struct Exploration {
    /// Probability of following a wrong prediction rather than the best right transition.
    pub follow_mistakes: f64,
}

/// One training pass over gold trees (in the order given); `random` draws numbers in [0, 1).
pub fn train_pass(
    learner: &mut Learner,
    relations: &Relations,
    trees: &[&GoldTree],
    exploration: Option<Exploration>,
    random: &mut impl FnMut() -> f64,
) {
    let classes = learner.classes();
    let mut keys = Vec::with_capacity(128);
    let mut scores = vec![0.0; classes];
    let mut costs = vec![None; classes];
    for tree in trees {
        let mut state = Configuration::new(tree.input.len());
        while !state.is_terminal() {
            features(&tree.input, &state, &mut keys);
            learner.score(&keys, &mut scores);
            tree.costs(&state, relations, &mut costs);
            let cheapest = costs.iter().flatten().min().copied().expect("allowed");
            let predicted = best(&scores, |t| costs[t].is_some()).expect("a transition is allowed");
            let right = best(&scores, |t| costs[t] == Some(cheapest)).expect("a cheapest one");
            let mut chosen = right;
            if costs[predicted] != Some(cheapest) {
                learner.update(&keys, right, predicted);
                if exploration.is_some_and(|e| random() < e.follow_mistakes) {
                    chosen = predicted;
                }
            }
            learner.tick();
            state.apply(chosen, relations);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relations() -> Relations {
        Relations {
            root: 0,
            universal_bits: vec![1, 2, 4],
        }
    }

    #[test]
    fn lifts_nonprojective_arcs() {
        // Heads 1:3, 2:4, 3:0, 4:1: the arcs 4 -> 2 and 1 -> 4 cross 3, which neither dominates.
        // Lifting 2 to 1, then 4 to 3, leaves a projective tree.
        let mut heads = vec![0, 3, 4, 0, 1];
        projectivise(&mut heads);
        assert!(shortest_nonprojective(&heads).is_none(), "{heads:?}");
        assert_eq!(heads, vec![0, 3, 1, 0, 3]);
    }

    #[test]
    fn the_oracle_alone_rebuilds_a_projective_tree() {
        // "She gave him books": gave is the root; she, him, books depend on it.
        let input = ParserInput::new([11, 12, 13, 14], [0, 1, 0, 2]);
        let heads = vec![0, 2, 0, 2, 2];
        let relation_ids = vec![0, 1, 0, 2, 2];
        let tree = GoldTree::new(input, heads.clone(), relation_ids.clone());
        let relations = relations();
        let mut learner = Learner::new(transition_count(3));
        for _ in 0..10 {
            train_pass(&mut learner, &relations, &[&tree], None, &mut || 0.5);
        }
        let parsed = parse(&learner.averaged(0.0), &relations, &tree.input);
        assert_eq!(parsed.heads[1..], heads[1..]);
        assert_eq!(parsed.relations[1..], relation_ids[1..]);
    }
}
