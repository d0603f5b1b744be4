//! Stable IRIs under a configurable base: entities from their class and canonical name, documents
//! from their identity, spans from their character offsets (RFC 5147 `#char=` fragments).

use oxigraph::model::NamedNode;

use crate::extract::EntityClass;

/// The default base IRI of minted resources.
pub const DEFAULT_BASE: &str = "https://dealgraph.example/id/";

/// Mints IRIs under one base.
#[derive(Debug, Clone)]
pub struct Minter {
    base: String,
}

/// Why a base IRI is not usable.
#[derive(Debug, thiserror::Error)]
#[error("invalid base IRI {base:?}: {message}")]
pub struct BaseIriError {
    base: String,
    message: String,
}

impl Minter {
    /// A minter under `base`, which must be an absolute IRI ending in `/` (document IRIs take
    /// `#char=` fragments, so the base cannot hold one).
    pub fn new(base: &str) -> Result<Self, BaseIriError> {
        let fail = |message: &str| BaseIriError {
            base: base.to_string(),
            message: message.to_string(),
        };
        if !base.ends_with('/') || base.contains('#') {
            return Err(fail("it must end with '/' and hold no '#'"));
        }
        NamedNode::new(format!("{base}x")).map_err(|error| fail(&error.to_string()))?;
        Ok(Self {
            base: base.to_string(),
        })
    }

    /// The base IRI.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The IRI a path under the base stands for, encoded as minted IRIs are (`country/chile`,
    /// `doc/seeds/a b.txt` → `<base>doc/seeds/a%20b.txt`).
    pub fn at_path(&self, path: &str) -> String {
        format!("{}{}", self.base, encode_path(path))
    }

    /// The article resource of a document id (also the name of the document's graph).
    pub fn document(&self, id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}doc/{}", self.base, encode_path(id)))
    }

    /// A span of a document's text; `[0, len)` of the whole text is its `nif:Context`.
    pub fn span(&self, document: &NamedNode, start: usize, end: usize) -> NamedNode {
        NamedNode::new_unchecked(format!("{}#char={start},{end}", document.as_str()))
    }

    /// A claim of a document, named by a digest of what it states.
    pub fn claim(&self, document: &NamedNode, digest: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}#claim-{digest}", document.as_str()))
    }

    /// A value node (an amount or a quantity) of a document, named by a digest of what states it.
    pub fn value_node(&self, document: &NamedNode, digest: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}#value-{digest}", document.as_str()))
    }

    /// An entity of a class with a slug.
    pub fn entity(&self, class: EntityClass, slug: &str) -> NamedNode {
        let path = match class {
            EntityClass::Country => "country",
            EntityClass::Organisation => "organisation",
            EntityClass::Official | EntityClass::Person => "person",
            EntityClass::Agreement => "agreement",
            EntityClass::Place => "place",
        };
        NamedNode::new_unchecked(format!("{}{path}/{slug}", self.base))
    }

    /// A post: its title within an organisation or country slug.
    pub fn post(&self, title: &str, within: Option<&str>) -> NamedNode {
        let slug = match within {
            Some(within) => format!("{}--{within}", slugify(title)),
            None => slugify(title),
        };
        NamedNode::new_unchecked(format!("{}post/{slug}", self.base))
    }

    /// The graph of resolved entities.
    pub fn entities_graph(&self) -> NamedNode {
        NamedNode::new_unchecked(format!("{}graph/entities", self.base))
    }

    /// The graph of build records.
    pub fn provenance_graph(&self) -> NamedNode {
        NamedNode::new_unchecked(format!("{}graph/provenance", self.base))
    }

    /// A build activity, named by a digest of its inputs.
    pub fn build(&self, digest: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}build/{digest}", self.base))
    }

    /// The software agent of this dealgraph version.
    pub fn agent(&self, version: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}agent/dealgraph-{}", self.base, slugify(version)))
    }
}

/// Lower-case letters and digits (any script) joined by single hyphens.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push('_');
    }
    slug
}

/// Percent-encodes everything but unreserved characters, `/` and letters of any script.
fn encode_path(id: &str) -> String {
    let mut encoded = String::new();
    for c in id.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/') {
            encoded.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mints_stable_readable_iris() {
        let minter = Minter::new("http://ex.org/").expect("valid base");
        assert_eq!(slugify("Zoë  Ångström’s!"), "zoë-ångström-s");
        assert_eq!(
            minter.document("seeds/a b#1.txt").as_str(),
            "http://ex.org/doc/seeds/a%20b%231.txt"
        );
        assert_eq!(
            minter.entity(EntityClass::Country, "chile").as_str(),
            "http://ex.org/country/chile"
        );
        assert!(Minter::new("not an iri/").is_err());
        assert!(Minter::new("http://ex.org").is_err());
    }
}
