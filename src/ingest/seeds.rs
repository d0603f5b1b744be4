//! The seed corpus, embedded in the binary so that `dealgraph` works from any directory.
//!
//! Each seed keeps the identity it has in the repository (`seeds/<file>`), so building the embedded
//! corpus and building the `seeds/` folder from the repository root give the same graph.

use super::{document_from_file, ClutterRules, Document, SourceFormat};

/// The seed files: repository path and contents.
const SEEDS: &[(&str, &str)] = &[
    (
        "seeds/000_5821b829e4867404.txt",
        include_str!("../../seeds/000_5821b829e4867404.txt"),
    ),
    (
        "seeds/001_383fbfdafa3fa088.txt",
        include_str!("../../seeds/001_383fbfdafa3fa088.txt"),
    ),
    (
        "seeds/002_fcd837289323f0a7.txt",
        include_str!("../../seeds/002_fcd837289323f0a7.txt"),
    ),
    (
        "seeds/003_e634394360b7887d.txt",
        include_str!("../../seeds/003_e634394360b7887d.txt"),
    ),
    (
        "seeds/004_0b7f0d986c39c3f0.txt",
        include_str!("../../seeds/004_0b7f0d986c39c3f0.txt"),
    ),
];

/// The embedded seed articles as documents.
pub fn seed_documents(rules: &ClutterRules) -> Vec<Document> {
    SEEDS
        .iter()
        .filter_map(|(path, text)| {
            let raw = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
            document_from_file(path, path, SourceFormat::Text, text.as_bytes(), raw, rules).ok()
        })
        .collect()
}
