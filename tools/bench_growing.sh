#!/usr/bin/env bash
# Scale benchmark of building and growing a store (not run in CI): for each corpus size, generates the
# synthetic corpus, extracts it, builds it into a store with `build --extractions`, loads the same
# quads with oxigraph's bulk loader alone (the ceiling, same run; sizes up to LOADER_MAX only, as the
# N-Quads export and a second store take about 3 GB each per 10,000 articles), and adds the corpus in
# batches with `add --extractions` (sizes up to ADD_MAX only). Each row ends with the 1-minute load
# average when its step ended (the machine may be shared). A size's files are deleted when it is
# done unless KEEP=1.
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
loader_max="${LOADER_MAX:-10000}"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)

# Runs a command under /usr/bin/time; prints "seconds peak_kib load".
timed() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2>> "$work/err"
  echo "$(cat "$work/time") $(cut -d' ' -f1 /proc/loadavg)"
}

echo "| articles | step | s | articles/s | text MB/s | quads | quads/KB of text | quads/s | ratio to loader | peak RSS MiB | store MiB | load |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  corpus="$work/c$n.jsonl"
  "$bin/examples/gen_corpus" --articles "$n" --out "$corpus" > /dev/null
  text_bytes=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1])))" "$corpus")
  read -r s kib load < <(timed "$bin/dealgraph" extract "$corpus" -o "$work/x$n.jsonl")
  python3 - "$n" extract "$s" "$kib" "$text_bytes" "$load" <<'PY'
import sys
n, step, s, kib, text, load = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
print(f"| {n:,} | {step} | {s:.1f} | {n/s:,.0f} | {text/1e6/s:.2f} | | | | | {kib/1024:.0f} | | {load} |")
PY
  rm -rf "$work/db$n"
  read -r s kib bload < <(timed "$bin/dealgraph" build --extractions "$work/x$n.jsonl" --store "$work/db$n")
  quads=$(awk '/quads/ {print $2}' "$work/out")
  store_kib=$(du -sk "$work/db$n" | cut -f1)
  ls=0; lkib=0; lload=""
  if [ "$n" -le "$loader_max" ]; then
    "$bin/dealgraph" export --store "$work/db$n" --format nq -o "$work/q$n.nq"
    rm -rf "$work/load$n"
    read -r ls lkib lload < <(timed "$bin/examples/load_nquads" "$work/q$n.nq" "$work/load$n")
    rm -rf "$work/q$n.nq" "$work/load$n"
  fi
  python3 - "$n" "$s" "$kib" "$text_bytes" "$quads" "$ls" "$lkib" "$store_kib" "$bload" "$lload" <<'PY'
import sys
n, s, kib, text, quads, ls, lkib, store, bload, lload = sys.argv[1:]
n, s, kib, text, quads, ls, lkib, store = int(n), float(s), int(kib), int(text), int(quads), float(ls), int(lkib), int(store)
ratio = f"{quads/s/(quads/ls):.2f}" if ls else "not measured"
print(f"| {n:,} | build --extractions | {s:.1f} | {n/s:,.0f} | {text/1e6/s:.2f} | {quads:,} | {quads/(text/1000):.0f} | {quads/s:,.0f} | {ratio} | {kib/1024:.0f} | {store/1024:.0f} | {bload} |")
if ls:
    print(f"| {n:,} | bulk loader alone (same quads) | {ls:.1f} | | | {quads:,} | | {quads/ls:,.0f} | 1.00 | {lkib/1024:.0f} | | {lload} |")
PY
  if [ "$n" -le "$add_max" ]; then
    rm -rf "$work/grow$n" "$work/batch$n"-*
    split -n "l/$batches" -d "$work/x$n.jsonl" "$work/batch$n-"
    total=0; peak=0
    for batch in "$work/batch$n"-*; do
      read -r s kib aload < <(timed "$bin/dealgraph" add --extractions "$batch" --store "$work/grow$n")
      total=$(python3 -c "print($total + $s)"); peak=$(( kib > peak ? kib : peak ))
    done
    gquads=$("$bin/dealgraph" query --store "$work/grow$n" 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }' --format csv | tail -1)
    store_kib=$(du -sk "$work/grow$n" | cut -f1)
    python3 - "$n" "$total" "$peak" "$text_bytes" "$gquads" "$store_kib" "$batches" "$quads" "$ls" "$aload" <<'PY'
import sys
n, s, kib, text, quads, store, batches, bq, ls, aload = sys.argv[1:]
n, s, kib, text, quads, store, bq, ls = int(n), float(s), int(kib), int(text), int(quads), int(store), int(bq), float(ls)
ratio = f"{quads/s/(bq/ls):.2f}" if ls else "not measured"
print(f"| {n:,} | add in {batches} batches | {s:.1f} | {n/s:,.0f} | {text/1e6/s:.2f} | {quads:,} | {quads/(text/1000):.0f} | {quads/s:,.0f} | {ratio} | {kib/1024:.0f} | {store/1024:.0f} | {aload} |")
PY
  fi
  if [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$corpus" "$work/x$n.jsonl" "$work/db$n" "$work/grow$n" "$work/batch$n"-*
  fi
done
