#!/usr/bin/env bash
# Scale benchmark of building and growing a store (not run in CI): for each corpus size, generates the
# synthetic corpus, extracts it, builds it into a store with `build --extractions`, loads the same
# quads with oxigraph's bulk loader alone (the ceiling, same run), and adds the corpus in batches with
# `add --extractions` (sizes up to ADD_MAX only: `add` re-resolves the corpus per article).
# Usage: tools/bench_growing.sh [SIZE...]   (default 1000 10000); results as Markdown rows on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/dealgraph-target}"
cargo build --release --quiet --bin dealgraph --example gen_corpus --example load_nquads
work="${WORK:-$(mktemp -d)}"
# A private copy of the binaries: a shared target directory may be rebuilt while the benchmark runs.
bin="$work/bin"
mkdir -p "$bin/examples"
cp "$CARGO_TARGET_DIR/release/dealgraph" "$bin/"
cp "$CARGO_TARGET_DIR/release/examples/gen_corpus" "$CARGO_TARGET_DIR/release/examples/load_nquads" "$bin/examples/"
"$bin/dealgraph" add --help > /dev/null
batches="${BATCHES:-10}"
add_max="${ADD_MAX:-1000}"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)

# Runs a command under /usr/bin/time; prints "seconds peak_kib".
timed() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2>> "$work/err"
  cat "$work/time"
}

echo "| articles | step | s | articles/s | text MB/s | quads | quads/KB of text | quads/s | ratio to loader | peak RSS MiB | store MiB |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  corpus="$work/c$n.jsonl"
  "$bin/examples/gen_corpus" --articles "$n" --out "$corpus" > /dev/null
  text_bytes=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1])))" "$corpus")
  read -r s kib < <(timed "$bin/dealgraph" extract "$corpus" -o "$work/x$n.jsonl")
  python3 - "$n" extract "$s" "$kib" "$text_bytes" <<'PY'
import sys
n, step, s, kib, text = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"| {n:,} | {step} | {s:.1f} | {n/s:,.0f} | {text/1e6/s:.2f} | | | | | {kib/1024:.0f} | |")
PY
  rm -rf "$work/db$n"
  read -r s kib < <(timed "$bin/dealgraph" build --extractions "$work/x$n.jsonl" --store "$work/db$n")
  quads=$(awk '/quads/ {print $2}' "$work/out")
  "$bin/dealgraph" export --store "$work/db$n" --format nq -o "$work/q$n.nq"
  rm -rf "$work/load$n"
  read -r ls lkib < <(timed "$bin/examples/load_nquads" "$work/q$n.nq" "$work/load$n")
  store_kib=$(du -sk "$work/db$n" | cut -f1)
  python3 - "$n" "$s" "$kib" "$text_bytes" "$quads" "$ls" "$lkib" "$store_kib" <<'PY'
import sys
n, s, kib, text, quads, ls, lkib, store = sys.argv[1:]
n, s, kib, text, quads, ls, lkib, store = int(n), float(s), int(kib), int(text), int(quads), float(ls), int(lkib), int(store)
ceiling = quads / ls
print(f"| {n:,} | build --extractions | {s:.1f} | {n/s:,.0f} | {text/1e6/s:.2f} | {quads:,} | {quads/(text/1000):.0f} | {quads/s:,.0f} | {quads/s/ceiling:.2f} | {kib/1024:.0f} | {store/1024:.0f} |")
print(f"| {n:,} | bulk loader alone (same quads) | {ls:.1f} | | | {quads:,} | | {ceiling:,.0f} | 1.00 | {lkib/1024:.0f} | |")
PY
  if [ "$n" -le "$add_max" ]; then
    rm -rf "$work/grow$n" "$work/batch$n"-*
    split -n "l/$batches" -d "$work/x$n.jsonl" "$work/batch$n-"
    total=0; peak=0
    for batch in "$work/batch$n"-*; do
      read -r s kib < <(timed "$bin/dealgraph" add --extractions "$batch" --store "$work/grow$n")
      total=$(python3 -c "print($total + $s)"); peak=$(( kib > peak ? kib : peak ))
    done
    gquads=$("$bin/dealgraph" query --store "$work/grow$n" 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }' --format csv | tail -1)
    store_kib=$(du -sk "$work/grow$n" | cut -f1)
    python3 - "$n" "$total" "$peak" "$text_bytes" "$gquads" "$store_kib" "$batches" "$quads" "$ls" <<'PY'
import sys
n, s, kib, text, quads, store, batches, bq, ls = sys.argv[1:]
n, s, kib, text, quads, store, bq, ls = int(n), float(s), int(kib), int(text), int(quads), int(store), int(bq), float(ls)
print(f"| {n:,} | add in {batches} batches | {s:.1f} | {n/s:,.0f} | {text/1e6/s:.2f} | {quads:,} | {quads/(text/1000):.0f} | {quads/s:,.0f} | {quads/s/(bq/ls):.2f} | {kib/1024:.0f} | {store/1024:.0f} |")
PY
  fi
done
