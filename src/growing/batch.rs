//! Adding a stream of articles to a store, one transaction each. The store is closed cleanly (its
//! write-ahead log emptied into its tables, see [`crate::store::settle`]) when the stream ends and
//! also when an article cannot be added, so no reader ever has to replay a log that a failed writer
//! left; the articles before the failure stay committed.

use super::{Added, GrowError, GrowingStore};
use crate::pipeline::{Input, Problem};

/// What a stream of additions did, and what the store holds afterwards.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Additions {
    /// Articles new to the store.
    pub new: usize,
    /// Articles whose content changed: their graphs were replaced.
    pub replaced: usize,
    /// Articles the store already held with the same content.
    pub unchanged: usize,
    /// Articles the store holds afterwards (its quads are not counted: that reads a whole index,
    /// minutes on a store of 100,000 articles).
    pub articles: usize,
}

/// Adds every article of `input` to `store`, telling `on_added` each article's document id and
/// what adding it did, then closes the store. The first article that cannot be added stops the
/// stream: the store is closed all the same and the error names that article's source.
pub fn add_all(
    mut store: GrowingStore,
    input: Input<'_>,
    mut on_added: impl FnMut(&str, Added) -> Result<(), GrowError>,
) -> Result<(Additions, Vec<Problem>), GrowError> {
    let mut additions = Additions::default();
    let streamed = input.stream(|batch| {
        for extraction in batch {
            let id = extraction.document.id.clone();
            let article = extraction.document.source.clone();
            let added = store.add(extraction).map_err(|error| GrowError::Article {
                article,
                error: Box::new(error),
            })?;
            match added {
                Added::New => additions.new += 1,
                Added::Replaced => additions.replaced += 1,
                Added::Unchanged => additions.unchanged += 1,
            }
            on_added(&id, added)?;
        }
        Ok::<(), GrowError>(())
    });
    let articles = store.articles();
    let closed = store.close();
    let problems = streamed?;
    closed?;
    additions.articles = articles;
    Ok((additions, problems))
}
