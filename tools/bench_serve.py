#!/usr/bin/env python3
"""Speed of `dealgraph serve` against the Oxigraph server on the same graph (not run in CI).

Usage (from the repository root, after `cargo build --release`):

    cargo install oxigraph-cli --locked          # the reference server, binary `oxigraph` (~16 min)
    apt-get install wrk                          # the load generator
    python3 tools/bench_serve.py [--quads 1000000] [--seconds 5] [--runs 3] [--work DIR]
                                 [--baseline OLD_DEALGRAPH] [--queries point,2-hop] [--connections 1,8]

What it does:
  1. writes a generated graph shaped like dealgraph's (countries, officials holding posts, agreements
     with parties in an entities graph; claims in one graph per article) of about --quads quads, plus
     the seed articles' graph (`dealgraph export --format nq`), as one N-Quads file;
  2. loads it once with `oxigraph load` into a RocksDB store and copies that store, so each server
     opens its own identical copy;
  3. starts `oxigraph serve --union-default-graph` and `dealgraph serve --store` (each server pinned
     to core 0, wrk to core 1 with taskset) and runs the same four queries (a point lookup, a 2-hop
     join, an aggregate, a CONSTRUCT) by GET at 1, 8 and 64 connections, --runs times, alternating
     the servers (--queries and --connections measure fewer cells, for more runs of one cell);
     before each measurement it waits until no server is using the CPU, so that the queries one
     server's clients left behind at 64 connections do not slow the next server measured;
  4. prints, per query and connection count, the median requests per second and p99 latency of each
     server and their ratios (dealgraph / Oxigraph), then the resident memory of `dealgraph serve`
     before and after two rounds of at least 100,000 requests.
With --baseline, another dealgraph binary (an earlier build) is served too, on a third copy of the
store, in the same rotation, and its ratios to Oxigraph are printed beside the new ones: a before
and after measured under the same conditions.
Targets: throughput ratio >= 0.9, p99 ratio <= 1.2, memory flat.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

BASE = "https://dealgraph.example/id/"
DG = "https://dealgraph.example/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
XSD = "http://www.w3.org/2001/XMLSchema#"

QUERIES = {
    "point": f"SELECT ?label WHERE {{ <{BASE}person/p12345> <{RDFS}label> ?label }}",
    "2-hop": (
        f"SELECT ?name ?post WHERE {{ ?person <{ORG}holds> ?p . ?p <{ORG}postIn> <{BASE}country/c7> ;"
        f" <{RDFS}label> ?post . ?person <{RDFS}label> ?name }}"
    ),
    "aggregate": (
        f"SELECT ?country (COUNT(?agreement) AS ?n) WHERE {{ ?agreement <{DG}party> ?country }}"
        " GROUP BY ?country ORDER BY DESC(?n) LIMIT 10"
    ),
    "construct": (
        f"CONSTRUCT {{ ?claim ?p ?o }} WHERE {{ ?claim <{RDF}subject> <{BASE}person/p4242> ; ?p ?o }}"
    ),
}
ACCEPT = {
    "point": "application/sparql-results+json",
    "2-hop": "application/sparql-results+json",
    "aggregate": "application/sparql-results+json",
    "construct": "application/n-triples",
}


def generate(path: pathlib.Path, quads: int, seeds_nq: str) -> int:
    """Writes the generated graph and the seeds' graph; gives the number of lines written."""
    countries, people, agreements = 200, 20_000, 10_000
    documents = 1_000
    entities = f"<{BASE}graph/entities>"
    written = 0
    with path.open("w", encoding="utf-8") as out:

        def quad(s: str, p: str, o: str, g: str) -> None:
            nonlocal written
            out.write(f"{s} {p} {o} {g} .\n")
            written += 1

        a, label = f"<{RDF}type>", f"<{RDFS}label>"
        for c in range(countries):
            country = f"<{BASE}country/c{c}>"
            quad(country, a, f"<{DG}Country>", entities)
            quad(country, label, f'"Country {c}"', entities)
        for n in range(people):
            person, post = f"<{BASE}person/p{n}>", f"<{BASE}post/p{n}>"
            quad(person, a, f"<{DG}Official>", entities)
            quad(person, label, f'"Person {n}"', entities)
            quad(person, f"<{ORG}holds>", post, entities)
            quad(post, label, f'"Minister {n % 50}"', entities)
            quad(post, f"<{ORG}postIn>", f"<{BASE}country/c{n % countries}>", entities)
        for n in range(agreements):
            agreement = f"<{BASE}agreement/a{n}>"
            quad(agreement, a, f"<{DG}Agreement>", entities)
            quad(agreement, label, f'"Agreement {n}"', entities)
            quad(agreement, f"<{DG}party>", f"<{BASE}country/c{n % countries}>", entities)
            quad(agreement, f"<{DG}party>", f"<{BASE}country/c{(n * 7 + 3) % countries}>", entities)
        per_claim = 8
        claims_per_document = max(1, -(-(quads - written) // (documents * per_claim)))
        for d in range(documents):
            document = f"<{BASE}doc/gen/{d}.txt>"
            for k in range(claims_per_document):
                claim = f"<{BASE}doc/gen/{d}.txt#claim-{k}>"
                person = (d * claims_per_document + k) % people
                quad(claim, a, f"<{DG}Claim>", document)
                quad(claim, f"<{RDF}subject>", f"<{BASE}person/p{person}>", document)
                quad(claim, f"<{RDF}predicate>", f"<{ORG}holds>", document)
                quad(claim, f"<{RDF}object>", f"<{BASE}post/p{person}>", document)
                quad(claim, f"<{PROV}wasDerivedFrom>", document, document)
                quad(claim, f"<{DG}claimSentence>", f"<{BASE}doc/gen/{d}.txt#char={k * 100},{k * 100 + 90}>", document)
                quad(claim, f"<{DG}confidence>", f'"0.9"^^<{XSD}decimal>', document)
                quad(f"<{BASE}doc/gen/{d}.txt#char={k * 100},{k * 100 + 90}>", f"<{NIF}anchorOf>", f'"Sentence {k} of article {d}."', document)
        out.write(seeds_nq)
        written += seeds_nq.count("\n")
    return written


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen) -> None:
    deadline = time.time() + 120
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server exited: {process.args}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"no answer from {url}")


def rss_kib(pid: int) -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_ticks(pid: int) -> int:
    """The user and system CPU time a process has used so far, in clock ticks."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def settle(pids: list[int]) -> None:
    """Waits until no server is still using the CPU: after wrk stops, a server may go on evaluating
    the queries its 64 clients left behind, and that would slow whichever server is measured next
    on the same core. Quiet means at most one clock tick in each of two 100 ms windows in a row."""
    deadline = time.time() + 60
    quiet_windows = 0
    before = sum(cpu_ticks(pid) for pid in pids)
    while quiet_windows < 2 and time.time() < deadline:
        time.sleep(0.1)
        now = sum(cpu_ticks(pid) for pid in pids)
        quiet_windows = quiet_windows + 1 if now - before <= 1 else 0
        before = now


def to_ms(value: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value)
    if not found:
        sys.exit(f"unreadable wrk latency {value!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1e3, "m": 6e4, "h": 3.6e6}[unit]


def wrk(url: str, accept: str, connections: int, seconds: int) -> tuple[float, float, int]:
    """Runs wrk pinned to core 1; gives requests per second, p99 in ms and the requests made."""
    output = subprocess.run(
        ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", f"Accept: {accept}", url],
        check=True, capture_output=True, text=True,
    ).stdout
    if "Non-2xx" in output:
        sys.exit(f"errors from {url}:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    # The latency distribution's own line ("     99%    4.20ms"), not a stdev column ending in 99%.
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    made = int(re.search(r"(\d+) requests in", output).group(1))
    return rate, p99, made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/dealgraph-bench-serve")
    parser.add_argument("--dealgraph", default=os.environ.get("DEALGRAPH", "target/release/dealgraph"))
    parser.add_argument("--oxigraph", default=shutil.which("oxigraph") or "oxigraph")
    parser.add_argument("--baseline", help="an earlier dealgraph binary to measure beside --dealgraph")
    parser.add_argument("--queries", default=",".join(QUERIES), help="which of the four queries, by name")
    parser.add_argument("--connections", default="1,8,64", help="which connection counts")
    args = parser.parse_args()
    queries = args.queries.split(",")
    unknown = [query for query in queries if query not in QUERIES]
    if unknown:
        sys.exit(f"unknown queries {unknown}: choose from {', '.join(QUERIES)}")
    connection_counts = [int(count) for count in args.connections.split(",")]

    work = pathlib.Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    seeds = subprocess.run([args.dealgraph, "export", "--format", "nq"], check=True,
                           capture_output=True, text=True).stdout
    data = work / "graph.nq"
    lines = generate(data, args.quads, seeds)
    print(f"graph: {lines} quads ({args.quads} generated + the seeds) in {data}")
    started = time.time()
    subprocess.run([args.oxigraph, "load", "--location", str(work / "oxigraph.db"), "--file", str(data)],
                   check=True, capture_output=True)
    names = ("oxigraph", "dealgraph", "baseline") if args.baseline else ("oxigraph", "dealgraph")
    for name in names[1:]:
        shutil.copytree(work / "oxigraph.db", work / f"{name}.db")
    print(f"loaded with oxigraph load in {time.time() - started:.1f} s; store copied for dealgraph")

    servers = {}
    for name in names:
        port = free_port()
        if name == "oxigraph":
            command = [args.oxigraph, "serve", "--location", str(work / "oxigraph.db"),
                       "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
        else:
            binary = args.dealgraph if name == "dealgraph" else args.baseline
            command = [binary, "serve", "--store", str(work / f"{name}.db"),
                       "--bind", f"127.0.0.1:{port}"]
        process = subprocess.Popen(["taskset", "-c", "0", *command],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers[name] = (process, f"http://127.0.0.1:{port}/query")
        wait_ready(servers[name][1] + "?query=" + urllib.parse.quote("ASK {}"), process)

    results: dict[tuple[str, str, int], list[tuple[float, float]]] = {}
    try:
        for run in range(args.runs):
            # Each server goes first in turn (with two, the order alternates).
            order = names[run % len(names):] + names[:run % len(names)]
            for query in queries:
                for connections in connection_counts:
                    for name in order:
                        settle([process.pid for process, _ in servers.values()])
                        url = servers[name][1] + "?query=" + urllib.parse.quote(QUERIES[query])
                        rate, p99, _ = wrk(url, ACCEPT[query], connections, args.seconds)
                        results.setdefault((name, query, connections), []).append((rate, p99))
                        print(f"run {run + 1} {name:9} {query:9} c={connections:<2} {rate:9.1f} req/s  p99 {p99:8.2f} ms",
                              flush=True)

        for name in names[1:]:
            print(f"\n{name}: median of runs | oxigraph req/s | {name} req/s | ratio | oxigraph p99 ms | "
                  f"{name} p99 ms | ratio")
            print("---|---|---|---|---|---|---")
            for query in queries:
                for connections in connection_counts:
                    ox = results[("oxigraph", query, connections)]
                    dg = results[(name, query, connections)]
                    ox_rate, dg_rate = statistics.median(r for r, _ in ox), statistics.median(r for r, _ in dg)
                    ox_p99, dg_p99 = statistics.median(p for _, p in ox), statistics.median(p for _, p in dg)
                    print(f"{query} c={connections} | {ox_rate:.0f} | {dg_rate:.0f} | {dg_rate / ox_rate:.2f} | "
                          f"{ox_p99:.2f} | {dg_p99:.2f} | {dg_p99 / ox_p99:.2f}")

        process, url = servers["dealgraph"]
        point = url + "?query=" + urllib.parse.quote(QUERIES["point"])
        before = rss_kib(process.pid)
        sizes = [before]
        for _ in range(2):
            made = 0
            while made < 100_000:
                made += wrk(point, ACCEPT["point"], 8, 10)[2]
            sizes.append(rss_kib(process.pid))
        print(f"\ndealgraph serve resident memory: {' -> '.join(f'{s / 1024:.1f} MiB' for s in sizes)}"
              " (start, after >=100k point lookups, after >=100k more)")
    finally:
        for process, _ in servers.values():
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
