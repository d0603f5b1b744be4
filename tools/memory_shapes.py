#!/usr/bin/env python3
"""Peak memory of `dealgraph build` on repetitive inputs against ordinary prose of the same size.

Not run in CI. For each shape and size, writes one input (a single document, or for `jsonl` one JSON
Lines file of short documents), runs `build` (which keeps no store: it builds into a temporary one)
and `build --store`, and reads the peak
resident memory of that one child from the kernel (os.wait4). Prints a Markdown table: peak MiB and
the ratio to ordinary prose of the same size, measured in the same run.

    python3 tools/memory_shapes.py --dealgraph target/release/dealgraph \
        --gen-corpus target/release/examples/gen_corpus [--sizes 1 5 20] [--shapes prose agreements] [--modes memory store]

`prose` is the synthetic corpus of `examples/gen_corpus.rs` (varied news prose about deals) joined
into one document; the other shapes repeat one English construction until the size is reached:
`agreements` the same sentence (the issue's example), the others with names, numbers and lists
drawn at random so that no two sentences are alike.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def countries():
    """Country names from the reference list, for lists of parties."""
    rows = (ROOT / "schema/reference/countries.tsv").read_text().splitlines()[1:]
    return [row.split("\t")[2] for row in rows]


def capitalised(rng, letters=7):
    """An invented capitalised word (never a real name)."""
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(letters // 2))
    return word.capitalize()


def repeat_to(size, make):
    """Joins sentences from make(i) with spaces until size bytes."""
    parts, total, index = [], 0, 0
    while total < size:
        sentence = make(index)
        parts.append(sentence)
        total += len(sentence.encode()) + 1
        index += 1
    return " ".join(parts)


def prose(size, gen_corpus, work):
    """The synthetic corpus' articles joined into one document of about size bytes."""
    corpus = work / "prose.jsonl"
    articles = max(10, size // 3000)
    subprocess.run([gen_corpus, "--articles", str(articles), "--out", corpus],
                   check=True, stdout=subprocess.DEVNULL)
    texts, total = [], 0
    with open(corpus) as lines:
        for line in lines:
            text = json.loads(line)["text"]
            texts.append(text)
            total += len(text.encode()) + 2
            if total >= size:
                break
    return "\n\n".join(texts)


def agreements(size, _rng):
    return repeat_to(size, lambda i: "Denmark and Kosovo signed an agreement.")


def quotations(size, rng):
    people = [f"{capitalised(rng)} {capitalised(rng, 8)}" for _ in range(50)]
    return repeat_to(size, lambda i: f'"We will keep our word on the {i}th point," said {people[i % 50]}.')


def titles(size, rng):
    people = [f"{capitalised(rng)} {capitalised(rng, 8)}" for _ in range(500)]
    return repeat_to(size, lambda i: f"Prime Minister {rng.choice(people)} met Foreign Minister "
                                     f"{rng.choice(people)} and Interior Minister {rng.choice(people)}.")


def country_lists(size, rng):
    names = countries()

    def listed(_i):
        chosen = rng.sample(names, 20)
        return f"The pact was signed by {', '.join(chosen[:-1])} and {chosen[-1]}."
    return repeat_to(size, listed)


def acronyms(size, rng):
    def body(i):
        words = [capitalised(rng) for _ in range(3)]
        acronym = "".join(word[0] for word in words) + str(i % 10)
        return f"The {words[0]} {words[1]} Council of {words[2]} ({acronym}) met the {acronym} board."
    return repeat_to(size, body)


def no_full_stop(size, rng):
    """One sentence: clauses naming two countries drawn at random, never a full stop."""
    names = countries()
    return repeat_to(size, lambda i: f"and the ministers of {rng.choice(names)} and {rng.choice(names)} "
                                     f"agreed on step {i} of the plan")


SHAPES = {
    "agreements": agreements,
    "quotations": quotations,
    "titles": titles,
    "country-lists": country_lists,
    "acronyms": acronyms,
    "no-full-stop": no_full_stop,
}


def write_input(shape, size, work, gen_corpus):
    """Writes the input of one shape and size; gives its path."""
    rng = random.Random(size)
    if shape == "jsonl":
        path = work / f"{shape}-{size}.jsonl"
        count = size // 200
        with open(path, "w") as out:
            for index in range(count):
                text = (f"Report {index}. Denmark and Kosovo signed an agreement on {index % 28 + 1} May. "
                        f"Minister {capitalised(rng)} {capitalised(rng, 8)} said it would hold.")
                out.write(json.dumps({"id": f"short-{index}", "text": text}) + "\n")
        return path
    path = work / f"{shape}-{size}.txt"
    text = prose(size, gen_corpus, work) if shape == "prose" else SHAPES[shape](size, rng)
    path.write_text(text)
    return path


def peak_of(command):
    """Runs a command; gives (exit code, seconds, peak resident MiB) of that child alone."""
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    child.stderr.close()
    return os.waitstatus_to_exitcode(status), time.monotonic() - started, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dealgraph", required=True)
    parser.add_argument("--gen-corpus", required=True)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1, 5, 20], help="MB")
    parser.add_argument("--shapes", nargs="+", default=["prose", *SHAPES, "jsonl"])
    parser.add_argument("--modes", nargs="+", default=["memory", "store"],
                        help="memory: build without --store; store: build --store")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dealgraph-memory-"))
    limit = str(max(arguments.sizes) * 1_000_000 * 2)
    results = {}
    try:
        for size_mb in arguments.sizes:
            for shape in arguments.shapes:
                path = write_input(shape, size_mb * 1_000_000, work, arguments.gen_corpus)
                for mode in arguments.modes:
                    command = [arguments.dealgraph, "build", str(path), "--max-document-bytes", limit]
                    if mode == "store":
                        store = work / "store"
                        shutil.rmtree(store, ignore_errors=True)
                        command += ["--store", str(store)]
                    code, seconds, peak = peak_of(command)
                    results[(shape, size_mb, mode)] = (code, seconds, peak)
                    print(f"{shape} {size_mb} MB {mode}: exit {code}, {seconds:.1f} s, {peak:.0f} MiB",
                          file=sys.stderr, flush=True)
                path.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| shape | MB | build (no store kept): peak MiB | ratio to prose | s | build --store: peak MiB | ratio to prose | s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for size_mb in arguments.sizes:
        for shape in arguments.shapes:
            cells = []
            for mode in ("memory", "store"):
                if (shape, size_mb, mode) not in results:
                    cells += ["", "", ""]
                    continue
                code, seconds, peak = results[(shape, size_mb, mode)]
                reference = results.get(("prose", size_mb, mode))
                ratio = f"{peak / reference[2]:.2f}" if reference else ""
                failed = "" if code == 0 else f" (exit {code})"
                cells += [f"{peak:,.0f}{failed}", ratio, f"{seconds:.1f}"]
            print(f"| {shape} | {size_mb} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
