//! Reach: which bytes of a text the spans recorded so far cover, and how far, so that whether a new
//! span overlaps one of them or lies inside one is answered in time of the new span's length, not
//! of how many spans there are (a long document names thousands of bodies).

/// For each byte of a text, how far the recorded spans over it reach.
pub(crate) struct Reach {
    /// Zero where no span covers the byte, else how many bytes from it to the furthest end of
    /// those that do (four bytes each, not eight: a span of 4 GiB or more counts as reaching
    /// 4 GiB, which no name does).
    reach_from: Vec<u32>,
}

impl Reach {
    /// No span yet over a text of `length` bytes.
    pub fn new(length: usize) -> Self {
        Self {
            reach_from: vec![0; length],
        }
    }

    /// Records the span `start..end` (the part beyond the text is ignored).
    pub fn add(&mut self, start: usize, end: usize) {
        let stop = end.min(self.reach_from.len());
        for (byte, reach) in self
            .reach_from
            .iter_mut()
            .enumerate()
            .take(stop)
            .skip(start)
        {
            *reach = (*reach).max(distance(byte, end));
        }
    }

    /// Whether one recorded span holds all of the non-empty span `start..end`: a span holding it
    /// covers its first byte, and the furthest of those reaches `end`.
    pub fn holds(&self, start: usize, end: usize) -> bool {
        start < end
            && self
                .reach_from
                .get(start)
                .is_some_and(|&reach| reach >= distance(start, end))
    }

    /// Whether a recorded span covers any byte of `start..end`.
    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        let stop = end.min(self.reach_from.len());
        self.reach_from
            .get(start..stop)
            .is_some_and(|bytes| bytes.iter().any(|&reach| reach > 0))
    }
}

/// The bytes from `byte` to `end`, at most `u32::MAX`.
fn distance(byte: usize, end: usize) -> u32 {
    u32::try_from(end - byte).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::Reach;
    use proptest::prelude::*;

    proptest! {
        /// Both answers are those of a scan over every recorded span.
        #[test]
        fn answers_as_a_scan_of_every_span_would(
            spans in proptest::collection::vec((0usize..40, 1usize..12), 0..12),
            query in (0usize..45, 1usize..15),
        ) {
            let mut reach = Reach::new(40);
            let spans: Vec<(usize, usize)> =
                spans.into_iter().map(|(start, length)| (start, start + length)).collect();
            for &(start, end) in &spans {
                reach.add(start, end);
            }
            let (start, end) = (query.0, query.0 + query.1);
            let held = spans.iter().any(|&(s, e)| s <= start && end <= e && start < 40);
            let overlapped = spans.iter().any(|&(s, e)| s < end && start < e && start < 40 && s < 40);
            prop_assert_eq!(reach.holds(start, end), held);
            prop_assert_eq!(reach.overlaps(start, end), overlapped);
        }
    }
}
