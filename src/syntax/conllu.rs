//! CoNLL-U reading and writing with gold tokenisation. A sentence keeps its comments, its words
//! (the ten columns, as read) and, in place, its multiword-token lines (`1-2`) and empty nodes
//! (`8.1`), which are written back unchanged. Reading checks what the parser relies on: word ids
//! count from 1, heads are `_` or in range; an error names the line.

use std::io::{self, BufRead, Write};

/// One word line (an integer id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// FORM.
    pub form: String,
    /// LEMMA.
    pub lemma: String,
    /// UPOS.
    pub upos: String,
    /// XPOS.
    pub xpos: String,
    /// FEATS.
    pub feats: String,
    /// HEAD: 0 for the root, `None` when the column is `_`.
    pub head: Option<usize>,
    /// DEPREL, with its subtype (`nmod:poss`).
    pub deprel: String,
    /// DEPS.
    pub deps: String,
    /// MISC.
    pub misc: String,
}

/// A line of a sentence, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// The word with this index into [`Sentence::words`].
    Word(usize),
    /// A multiword-token or empty-node line, kept as read.
    PassedThrough(String),
}

/// One sentence of a CoNLL-U file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    /// Comment lines (`# text = ...`), without their line ends.
    pub comments: Vec<String>,
    /// The words; word `i` has id `i + 1`.
    pub words: Vec<Word>,
    /// Every line of the sentence after the comments, in file order.
    pub lines: Vec<Line>,
}

impl Sentence {
    /// The forms of the words.
    pub fn forms(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.form.as_str()).collect()
    }

    /// A sentence of words with the given forms and nothing else (`_` in the other columns).
    pub fn from_forms(forms: &[&str]) -> Self {
        let words: Vec<Word> = forms
            .iter()
            .map(|form| Word {
                form: (*form).to_string(),
                lemma: "_".into(),
                upos: "_".into(),
                xpos: "_".into(),
                feats: "_".into(),
                head: None,
                deprel: "_".into(),
                deps: "_".into(),
                misc: "_".into(),
            })
            .collect();
        let lines = (0..words.len()).map(Line::Word).collect();
        Self {
            comments: Vec::new(),
            words,
            lines,
        }
    }
}

/// Why a CoNLL-U file cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConlluError {
    /// The file cannot be read.
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
    /// A line breaks the format.
    #[error("line {line}: {message}")]
    Syntax {
        /// The line number, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// A CoNLL-U error in a named file (its message includes the inner error's, so it has no
/// separate source).
#[derive(Debug, thiserror::Error)]
#[error("{file}: {error}")]
pub struct FileError {
    /// The file.
    pub file: String,
    /// The error.
    pub error: ConlluError,
}

/// Reads every sentence of a CoNLL-U file.
pub fn read_file(path: &std::path::Path) -> Result<Vec<Sentence>, FileError> {
    let named = |error| FileError {
        file: path.display().to_string(),
        error,
    };
    let file = std::fs::File::open(path).map_err(|e| named(e.into()))?;
    read(io::BufReader::new(file)).map_err(named)
}

/// Reads every sentence of CoNLL-U text.
pub fn read(reader: impl BufRead) -> Result<Vec<Sentence>, ConlluError> {
    let mut sentences = Vec::new();
    let mut current = Sentence::default();
    let mut first_line = 1;
    for (index, line) in reader.lines().enumerate() {
        let line = line?;
        let number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.lines.is_empty() || !current.comments.is_empty() {
                finish(std::mem::take(&mut current), first_line, &mut sentences)?;
            }
            first_line = number + 1;
        } else if let Some(comment) = line.strip_prefix('#') {
            if !current.lines.is_empty() {
                return Err(syntax(number, "a comment after the words of a sentence"));
            }
            current.comments.push(format!("#{comment}"));
        } else {
            read_line(line, number, &mut current)?;
        }
    }
    if !current.lines.is_empty() || !current.comments.is_empty() {
        finish(current, first_line, &mut sentences)?;
    }
    Ok(sentences)
}

fn syntax(line: usize, message: impl Into<String>) -> ConlluError {
    ConlluError::Syntax {
        line,
        message: message.into(),
    }
}

fn read_line(line: &str, number: usize, sentence: &mut Sentence) -> Result<(), ConlluError> {
    let columns: Vec<&str> = line.split('\t').collect();
    if columns.len() != 10 {
        return Err(syntax(
            number,
            format!("{} tab-separated columns, not 10", columns.len()),
        ));
    }
    let id = columns[0];
    if id.contains('-') || id.contains('.') {
        sentence.lines.push(Line::PassedThrough(line.to_string()));
        return Ok(());
    }
    let id: usize = id
        .parse()
        .map_err(|_| syntax(number, format!("the id {id:?} is not a number")))?;
    if id != sentence.words.len() + 1 {
        return Err(syntax(
            number,
            format!(
                "word id {id} where {} was expected",
                sentence.words.len() + 1
            ),
        ));
    }
    let head = match columns[6] {
        "_" => None,
        text => Some(
            text.parse()
                .map_err(|_| syntax(number, format!("the head {text:?} is not a number")))?,
        ),
    };
    sentence.lines.push(Line::Word(sentence.words.len()));
    sentence.words.push(Word {
        form: columns[1].to_string(),
        lemma: columns[2].to_string(),
        upos: columns[3].to_string(),
        xpos: columns[4].to_string(),
        feats: columns[5].to_string(),
        head,
        deprel: columns[7].to_string(),
        deps: columns[8].to_string(),
        misc: columns[9].to_string(),
    });
    Ok(())
}

fn finish(
    sentence: Sentence,
    first_line: usize,
    sentences: &mut Vec<Sentence>,
) -> Result<(), ConlluError> {
    let length = sentence.words.len();
    if length == 0 {
        return Err(syntax(first_line, "a sentence without words"));
    }
    if let Some(word) = sentence
        .words
        .iter()
        .find(|w| w.head.is_some_and(|h| h > length))
    {
        return Err(syntax(
            first_line,
            format!("the head of {:?} is beyond the sentence", word.form),
        ));
    }
    sentences.push(sentence);
    Ok(())
}

/// Writes sentences as CoNLL-U (each followed by a blank line).
pub fn write(mut out: impl Write, sentences: &[Sentence]) -> io::Result<()> {
    for sentence in sentences {
        write_sentence(&mut out, sentence)?;
    }
    Ok(())
}

/// Writes one sentence and the blank line after it.
pub fn write_sentence(out: &mut impl Write, sentence: &Sentence) -> io::Result<()> {
    for comment in &sentence.comments {
        writeln!(out, "{comment}")?;
    }
    for line in &sentence.lines {
        match line {
            Line::PassedThrough(text) => writeln!(out, "{text}")?,
            Line::Word(index) => {
                let w = &sentence.words[*index];
                let head = w.head.map_or_else(|| "_".to_string(), |h| h.to_string());
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    index + 1,
                    w.form,
                    w.lemma,
                    w.upos,
                    w.xpos,
                    w.feats,
                    head,
                    w.deprel,
                    w.deps,
                    w.misc
                )?;
            }
        }
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "# text = I don't know.\n\
1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n\
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
4.1\tknew\t_\t_\t_\t_\t_\t_\t4:conj\t_\n\
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn round_trips_with_multiword_tokens_and_empty_nodes() {
        let sentences = read(EXAMPLE.as_bytes()).expect("reads");
        assert_eq!(sentences.len(), 1);
        assert_eq!(sentences[0].forms(), ["I", "do", "n't", "know", "."]);
        assert_eq!(sentences[0].words[3].head, Some(0));
        let mut written = Vec::new();
        write(&mut written, &sentences).expect("writes");
        assert_eq!(String::from_utf8(written).expect("UTF-8"), EXAMPLE);
    }

    #[test]
    fn names_the_line_of_an_error() {
        let bad = "1\tI\tI\tPRON\tPRP\t_\t0\troot\t_\t_\n3\tx\tx\tX\tX\t_\t1\tdep\t_\t_\n";
        let error = read(bad.as_bytes()).expect_err("a gap in the ids");
        assert!(error.to_string().starts_with("line 2:"), "{error}");
        let short = "1\tI\tI\n";
        assert!(read(short.as_bytes()).is_err());
    }
}
