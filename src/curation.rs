//! Curation: corrections a user writes by hand in a JSON file and every build applies, so they
//! survive rebuilds. Four kinds of rule, each naming entities by label or alias (compared after case
//! folding and accent stripping), optionally restricted to a class:
//!
//! - `reject`: drop a false entity (its mentions and claims are not written);
//! - `merge`: make several entities one (optionally with a new label);
//! - `alias`: add an alternative name;
//! - `split`: in the listed documents, take an entity's mentions apart as a new entity.
//!
//! Rules that match nothing are reported, not fatal.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::extract::EntityClass;

/// An entity named by a rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityName {
    /// A label or alias of the entity.
    pub name: String,
    /// Only entities of this class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<EntityClass>,
}

/// Several entities that are one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeRule {
    /// The entities, by label or alias; the first one's identity is kept.
    pub names: Vec<String>,
    /// The label of the merged entity (default: the most used name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Only entities of this class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<EntityClass>,
}

/// An alternative name for an entity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasRule {
    /// A label or alias of the entity.
    pub name: String,
    /// The name to add.
    pub alias: String,
    /// Only entities of this class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<EntityClass>,
}

/// An entity whose mentions in some documents are another thing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitRule {
    /// A label or alias of the entity, as the documents write it.
    pub name: String,
    /// Document identities (normalised paths, URLs or JSON Lines ids) where it is the other thing.
    pub documents: Vec<String>,
    /// The label of the new entity.
    pub label: String,
    /// The class of the new entity (default: the same).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<EntityClass>,
}

/// A curation file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Curation {
    /// False entities.
    #[serde(default)]
    pub reject: Vec<EntityName>,
    /// Entities that are one.
    #[serde(default)]
    pub merge: Vec<MergeRule>,
    /// Alternative names.
    #[serde(default)]
    pub alias: Vec<AliasRule>,
    /// Entities to take apart.
    #[serde(default)]
    pub split: Vec<SplitRule>,
}

/// Why a curation file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CurationError {
    /// The file cannot be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not a valid curation file.
    #[error("{path}:{line}:{column}: invalid curation file: {message}")]
    Json {
        /// The file.
        path: String,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// The parser's message.
        message: String,
    },
}

impl Curation {
    /// Reads a curation file.
    pub fn load(path: &Path) -> Result<Self, CurationError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| CurationError::Io {
            path: shown.clone(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|error| CurationError::Json {
            path: shown,
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        })
    }
}
