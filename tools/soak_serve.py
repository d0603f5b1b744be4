#!/usr/bin/env python3
"""A soak and fault run of `dealgraph serve`: many requests of every kind, faults among them.

    python3 tools/soak_serve.py --dealgraph target/release/dealgraph [--store DIR]
        [--requests 500000] [--workers 16] [--slow-clients 8] [--report-every 100000]

Starts `dealgraph serve` (on the store, or on the seeds without one), picks resources of every
kind from the graph, then sends --requests requests from --workers threads, each request drawn
at random (fixed seed) from this mix (mostly cheap requests, so that half a million of them take
minutes rather than hours on two cores; the heavy ones are a few per cent):
  - the benchmark queries (a point lookup, a 2-hop join, an aggregate, a CONSTRUCT), by GET and POST;
  - malformed queries (400), unacceptable Accept headers (406), oversized bodies (413), an update
    (403), a request head over the limit (431);
  - resource pages in HTML and Turtle (entities, articles, claims, terms), the query page, the
    health check, `/graph.svg` around an entity;
  - clients that disconnect mid-response (a large CONSTRUCT read for a few bytes, then closed).
Alongside, --slow-clients threads hold connections by sending a request head a byte at a time,
each for at most --slow-seconds, then give up (or are dropped by the server first), bounded in
number and time; when --slow-seconds exceeds the server's head time limit by 3 s, the server must
have dropped every one of them. Every well-formed request must get the status it should; the resident memory of
the server is printed every --report-every requests. Last, a burst of aggregate queries is sent,
SIGTERM arrives while they are in flight, and every one of them must still be answered in full
and the server exit 0. Exits non-zero on any failure. Runs only against 127.0.0.1.
"""
from __future__ import annotations

import argparse
import http.client
import json
import pathlib
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

DG = "https://dealgraph.example/ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ORG = "http://www.w3.org/ns/org#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SCHEMA = "https://schema.org/"
JSON_RESULTS = "application/sparql-results+json"


def start_server(binary: str, store: str | None) -> tuple[subprocess.Popen, str]:
    """Starts `dealgraph serve` on a free port; gives the process and its host:port."""
    command = [binary, "serve", "--bind", "127.0.0.1:0"]
    if store:
        command += ["--store", store]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "http://" not in line:
        sys.exit(f"the server did not start: {line!r} {process.stderr.read()}")
    address = line.split("http://")[1].split("/")[0]
    return process, address


def rss_mib(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def sparql(address: str, query: str) -> list[dict]:
    connection = http.client.HTTPConnection(address, timeout=120)
    connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                       headers={"Accept": JSON_RESULTS})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        sys.exit(f"setup query failed ({response.status}): {body[:300]!r}")
    return json.loads(body)["results"]["bindings"]


def sample(address: str, query: str, limit: int = 200) -> list[str]:
    rows = sparql(address, f"{query} LIMIT {limit}")
    return [row["x"]["value"] for row in rows if "x" in row]


class Mix:
    """The requests of the run, each with the statuses it may get."""

    def __init__(self, address: str):
        self.entities = sample(address, f"SELECT DISTINCT ?x WHERE {{ ?x a ?c FILTER(?c IN "
                                        f"(<{DG}Official>, <{DG}Organisation>, <{DG}Agreement>)) }}")
        self.articles = sample(address, f"SELECT ?x WHERE {{ ?x a <{SCHEMA}NewsArticle> }}")
        self.claims = sample(address, f"SELECT ?x WHERE {{ ?x a <{DG}Claim> }}", 100)
        self.terms = [f"{DG}Agreement", f"{DG}party", f"{DG}mentionedIn"]
        self.countries = sample(address, f"SELECT ?x WHERE {{ ?x a <{DG}Country> }}", 50)
        if not (self.entities and self.articles and self.countries):
            sys.exit("the graph has no entities, articles or countries to ask about")

    def queries(self, rng: random.Random) -> dict[str, str]:
        entity = rng.choice(self.entities)
        country = rng.choice(self.countries)
        return {
            "point": f"SELECT ?label WHERE {{ <{entity}> <{RDFS}label> ?label }}",
            "2-hop": (f"SELECT ?name ?post WHERE {{ ?person <{ORG}holds> ?p . ?p <{ORG}postIn> <{country}> ;"
                      f" <{RDFS}label> ?post . ?person <{RDFS}label> ?name }}"),
            "aggregate": (f"SELECT ?country (COUNT(?agreement) AS ?n) WHERE {{ ?agreement <{DG}party> ?country }}"
                          " GROUP BY ?country ORDER BY DESC(?n) LIMIT 10"),
            "construct": f"CONSTRUCT {{ ?claim ?p ?o }} WHERE {{ ?claim <{RDF}subject> <{entity}> ; ?p ?o }}",
        }

    def pick(self, rng: random.Random) -> tuple[str, str, str, dict, bytes | None, set[int]]:
        """(kind, method, path, headers, body, allowed statuses) of one request."""
        roll = rng.random()
        queries = self.queries(rng)
        if roll < 0.45:
            # Cheap lookups most of the time, the heavier join, aggregate and CONSTRUCT now and then.
            name = rng.choices(list(queries), weights=[70, 25, 3, 2])[0]
            accept = "application/n-triples" if name == "construct" else JSON_RESULTS
            if rng.random() < 0.5:
                return (name, "GET", "/sparql?" + urllib.parse.urlencode({"query": queries[name]}),
                        {"Accept": accept}, None, {200})
            return (name + " POST", "POST", "/sparql",
                    {"Accept": accept, "Content-Type": "application/sparql-query"},
                    queries[name].encode(), {200})
        if roll < 0.55:
            broken = rng.choice(["SELECT ?x WHERE { ?x", "SELEC * WHERE {}", "SELECT * WHERE { ?s nope:p ?o }",
                                 "ASK { ?s ?p }}", "\u00ff\u0000garbage"])
            return ("malformed", "GET", "/sparql?" + urllib.parse.urlencode({"query": broken}), {}, None, {400})
        if roll < 0.62:
            return ("not acceptable", "GET", "/sparql?" + urllib.parse.urlencode({"query": queries["point"]}),
                    {"Accept": rng.choice(["image/png", "application/x-nothing", "text/nope;q=1"])}, None, {406})
        if roll < 0.63:
            body = b"query=" + b"x" * (1_100_000 + rng.randrange(100_000))
            return ("oversized body", "POST", "/sparql",
                    {"Content-Type": "application/x-www-form-urlencoded"}, body, {413})
        if roll < 0.64:
            return ("update", "POST", "/sparql", {"Content-Type": "application/sparql-update"},
                    b"INSERT DATA { <http://a> <http://b> <http://c> }", {403})
        if roll < 0.65:
            return ("head too large", "GET", "/sparql?query=" + "x" * 70_000, {}, None, {431, 414})
        if roll < 0.85:
            # A country's page lists thousands of claims on a large store: one page in fifty.
            pool = self.countries if rng.random() < 0.02 else self.entities + self.articles + self.claims + self.terms
            iri = rng.choice(pool)
            # An HTML page takes seconds on a store of a million quads (its claims query; issue 23
            # is the pages' speed), so one resource request in a hundred asks for HTML.
            accept = "text/html" if rng.random() < 0.01 else "text/turtle"
            return ("resource " + accept, "GET", "/resource?" + urllib.parse.urlencode({"iri": iri}),
                    {"Accept": accept}, None, {200})
        if roll < 0.995:
            return ("page", "GET", rng.choice(["/", "/?example=officials", "/health", "/assets/style.css"]),
                    {}, None, {200})
        if roll < 0.997:
            entity = rng.choice(self.countries)
            return ("graph.svg", "GET", "/graph.svg?" + urllib.parse.urlencode({"focus": entity, "depth": 1}),
                    {}, None, {200})
        return ("disconnect", "GET", "/sparql?" + urllib.parse.urlencode(
            {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20000"}),
            {"Accept": "application/n-triples"}, None, set())


class Tally:
    """Counts of the run, shared by the threads."""

    def __init__(self, total: int):
        self.lock = threading.Lock()
        self.total = total
        self.started = 0
        self.done = 0
        self.by_kind: dict[str, int] = {}
        self.failures: list[str] = []

    def claim(self) -> bool:
        with self.lock:
            if self.started >= self.total:
                return False
            self.started += 1
            return True

    def record(self, kind: str, failure: str | None) -> int:
        with self.lock:
            self.done += 1
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
            if failure and len(self.failures) < 1000:
                self.failures.append(failure)
                if len(self.failures) <= 10:
                    print(f"failure: {failure}", file=sys.stderr, flush=True)
            return self.done


def disconnect_mid_response(address: str, path: str, headers: dict) -> None:
    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        lines = [f"GET {path} HTTP/1.1", f"Host: {address}"] + [f"{k}: {v}" for k, v in headers.items()]
        raw.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        raw.recv(1024)
        # Closed with unread data: the kernel resets the connection under the server.
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def worker(address: str, mix: Mix, tally: Tally, seed: int, report, timeout: float) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(address, timeout=timeout)
    while tally.claim():
        kind, method, path, headers, body, allowed = mix.pick(rng)
        failure = None
        try:
            if kind == "disconnect":
                disconnect_mid_response(address, path, headers)
            else:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status not in allowed:
                    failure = f"{kind}: {method} {path[:120]} gave {response.status}, wanted {sorted(allowed)}"
                if response.will_close or response.status >= 400:
                    connection.close()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            # The server may close a connection whose oversized body or head it refused.
            if kind not in ("oversized body", "head too large"):
                failure = f"{kind}: {method} {path[:120]}: {error!r}"
        done = tally.record(kind, failure)
        report(done)
    connection.close()


def slow_client(address: str, seconds: float, stop: threading.Event, outcome: list) -> None:
    """Holds a connection by sending a request head a byte every 0.5 s, for at most `seconds`."""
    host, port = address.rsplit(":", 1)
    head = f"GET /health HTTP/1.1\r\nHost: {address}\r\nX-Slow: " + "z" * 200
    started = time.monotonic()
    try:
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            for byte in head.encode():
                if stop.is_set() or time.monotonic() - started > seconds:
                    outcome.append(("gave up", time.monotonic() - started))
                    return
                raw.sendall(bytes([byte]))
                time.sleep(0.5)
            outcome.append(("sent whole head", time.monotonic() - started))
    except OSError:
        outcome.append(("dropped by the server", time.monotonic() - started))


def sigterm_under_load(address: str, process: subprocess.Popen, mix: Mix, burst: int) -> list[str]:
    """Sends `burst` aggregate queries, SIGTERM while they are in flight; all must be answered."""
    failures: list[str] = []
    answered = []
    query = mix.queries(random.Random(1))["aggregate"]

    def one() -> None:
        connection = http.client.HTTPConnection(address, timeout=120)
        try:
            connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                               headers={"Accept": JSON_RESULTS})
            response = connection.getresponse()
            body = response.read()
            json.loads(body)
            answered.append(response.status)
        except (OSError, http.client.HTTPException, ValueError) as error:
            failures.append(f"in flight at SIGTERM: {error!r}")

    threads = [threading.Thread(target=one) for _ in range(burst)]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    for thread in threads:
        thread.join()
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        failures.append("the server did not exit within 60 s of SIGTERM")
        return failures
    if code != 0:
        failures.append(f"the server exited {code} after SIGTERM")
    if any(status != 200 for status in answered):
        failures.append(f"in flight at SIGTERM: statuses {sorted(set(answered))}")
    print(f"SIGTERM with {burst} queries in flight: {answered.count(200)} answered 200, "
          f"exit code {code}", flush=True)
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dealgraph", required=True)
    parser.add_argument("--store")
    parser.add_argument("--requests", type=int, default=500_000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--slow-clients", type=int, default=8)
    parser.add_argument("--slow-seconds", type=float, default=30.0)
    parser.add_argument("--report-every", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a request may take")
    parser.add_argument("--burst", type=int, default=16, help="queries in flight at SIGTERM")
    parser.add_argument("--header-timeout", type=float, default=10.0,
                        help="the server's time limit for a request head, in seconds")
    arguments = parser.parse_args()

    process, address = start_server(arguments.dealgraph, arguments.store)
    try:
        mix = Mix(address)
        print(f"serving at {address}; {len(mix.entities)} entities, {len(mix.articles)} articles, "
              f"{len(mix.claims)} claims sampled; rss {rss_mib(process.pid):.0f} MiB", flush=True)
        tally = Tally(arguments.requests)
        started = time.monotonic()
        memory = []

        def report(done: int) -> None:
            if done % arguments.report_every == 0 or done == arguments.requests:
                rss = rss_mib(process.pid)
                memory.append((done, rss))
                elapsed = time.monotonic() - started
                print(f"{done:>9,} requests  {elapsed:7.1f} s  {done / elapsed:7.0f} req/s  "
                      f"rss {rss:7.1f} MiB  failures {len(tally.failures)}", flush=True)

        stop = threading.Event()
        outcomes: list = []
        slow = [threading.Thread(target=slow_client, args=(address, arguments.slow_seconds, stop, outcomes))
                for _ in range(arguments.slow_clients)]
        workers = [threading.Thread(target=worker,
                                    args=(address, mix, tally, seed, report, arguments.timeout))
                   for seed in range(arguments.workers)]
        for thread in slow + workers:
            thread.start()
        for thread in workers:
            thread.join()
        expect_dropped = arguments.slow_seconds > arguments.header_timeout + 3
        if not expect_dropped:
            stop.set()
        for thread in slow:
            thread.join()
        failures = list(tally.failures)
        kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(tally.by_kind.items()))
        print(f"requests by kind: {kinds}")
        held = sorted(outcomes, key=lambda o: o[1])
        print("slow clients: " + ", ".join(f"{what} after {seconds:.0f} s" for what, seconds in held))
        if expect_dropped:
            for what, seconds in held:
                if what != "dropped by the server" or seconds > arguments.header_timeout + 3:
                    failures.append(f"a slow client {what} after {seconds:.0f} s (the server should "
                                    f"drop it after {arguments.header_timeout:.0f} s)")
        if len(memory) >= 3:
            warm, last = memory[1][1], memory[-1][1]
            print(f"memory after warm-up {warm:.0f} MiB, at the end {last:.0f} MiB ({last / warm:.2f}x)")
        failures += sigterm_under_load(address, process, mix, arguments.burst)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    for failure in failures[:50]:
        print(f"FAILED {failure}")
    print(f"soak: {tally.done - len(tally.failures):,} requests answered as they should be, "
          f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
