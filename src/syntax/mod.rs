//! Syntax: a part-of-speech tagger and a labelled dependency parser trained on Universal
//! Dependencies. It takes sentences already split into words (gold tokenisation, as CoNLL-U gives
//! them) and gives each word a UPOS and XPOS tag, a head and a relation, always a tree with one
//! root word. [`conllu`] reads and writes treebanks; [`score`] scores as the CoNLL 2018 shared
//! task does; [`tagger`] and [`parser`] are the two greedy averaged perceptrons over the hashed
//! features of [`perceptron`]; [`train`] trains both; [`model`] stores them. Analysis is pure
//! computation over a loaded model: the treebanks are never read at run time.

pub mod conllu;
pub mod model;
pub mod parser;
pub mod perceptron;
pub mod score;
pub mod tagger;
pub mod train;

pub use conllu::{Sentence, Word};
pub use model::{Analysis, ModelError, SyntaxModel};
pub use score::Score;
