#!/usr/bin/env python3
"""Seeds fuzz/corpus/ for html_ingest, curation_file and serve_request (run from the repository root).

ingest_extract and extraction_lines are seeded by the shell commands of fuzz/README.md.
"""
import glob
import json
import os
import urllib.parse

CORPUS = "fuzz/corpus"


def write(target, name, data):
    os.makedirs(f"{CORPUS}/{target}", exist_ok=True)
    with open(f"{CORPUS}/{target}/{name}", "wb") as file:
        file.write(data if isinstance(data, bytes) else data.encode())


def html_ingest():
    with open("tests/data/articles/andes_ports.html", "rb") as file:
        write("html_ingest", "andes_ports.html", file.read())
    for path in sorted(glob.glob("seeds/*.txt")) + sorted(glob.glob("tests/data/eval/articles/*.txt"))[:4]:
        with open(path, encoding="utf-8") as file:
            lines = file.read().split("\n")
        title, body = lines[0], [line for line in lines[1:] if line.strip()]
        paragraphs = "".join(f"<p>{line}</p>\n" for line in body)
        page = (
            f"<!DOCTYPE html><html><head><title>{title} | News</title>"
            f'<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
            f'<link rel="canonical" href="https://news.example/{os.path.basename(path)}">'
            f"<style>p {{ color: red }}</style><script>var s = '<p>no</p>';</script></head>"
            f"<body><header><nav>Home | World</nav></header><article><h1>{title}</h1>"
            f"<time datetime=\"2024-03-05\">5 March</time>{paragraphs}"
            f"<figure><img src=a.jpg><figcaption>{title}</figcaption></figure>"
            f"<pre>  kept   as is </pre></article><footer>Share this</footer></body></html>"
        )
        write("html_ingest", os.path.basename(path) + ".html", page)


def curation_file():
    with open("examples/curation.json", "rb") as file:
        example = file.read()
    write("curation_file", "example.json", example)
    rules = json.loads(example)
    for key in rules:
        write("curation_file", f"only-{key}.json", json.dumps({key: rules[key]}))
    write("curation_file", "empty.json", "{}")
    write("curation_file", "lists.json", '{"reject": [], "merge": [], "alias": [], "split": []}')
    write("curation_file", "merge-countries.json", json.dumps({
        "merge": [{"names": ["Chile", "Peru", "Bolivia"], "label": "Andes", "class": "Country"}],
        "alias": [{"name": "Chile", "alias": "Peru", "class": "Country"}],
        "reject": [{"name": "United Nations"}],
        "split": [{"name": "Chile", "documents": ["seeds/000_5821b829e4867404.txt"], "label": "Chile (2)"}],
    }))


def request(method, target, accept="", content_type="", body=b""):
    parts = [target.encode(), accept.encode(), content_type.encode(), body]
    return bytes([method]) + b"\xff".join(parts)


def serve_request():
    queries = {}
    for path in sorted(glob.glob("examples/*.rq")):
        with open(path, encoding="utf-8") as file:
            queries[os.path.basename(path)[:-3]] = file.read()
    queries["ask"] = "ASK { ?s ?p ?o }"
    queries["construct"] = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"
    queries["describe"] = "DESCRIBE <https://dealgraph.example/id/country/chile>"
    accepts = ["", "application/sparql-results+json", "text/csv", "text/tab-separated-values",
               "application/sparql-results+xml", "text/turtle", "application/n-triples", "text/html"]
    for index, (name, query) in enumerate(queries.items()):
        accept = accepts[index % len(accepts)]
        encoded = urllib.parse.quote(query, safe="")
        write("serve_request", f"get-{name}", request(0, f"/sparql?query={encoded}", accept))
        write("serve_request", f"post-{name}",
              request(1, "/sparql", accept, "application/sparql-query", query.encode()))
        write("serve_request", f"form-{name}",
              request(1, "/query", accept, "application/x-www-form-urlencoded",
                      f"query={encoded}&default-graph-uri=https%3A%2F%2Fdealgraph.example%2Fid%2Fgraph%2Fentities".encode()))
    base = "https://dealgraph.example/id/"
    for target in [
        "/", "/health", "/assets/style.css", "/assets/app.js", "/assets/nope.js",
        "/graph.svg", "/graph.svg?focus=Chile&depth=1", "/graph.svg?types=country&min-sources=2",
        "/store?default", f"/store?graph={urllib.parse.quote(base + 'graph/entities', safe='')}",
        f"/store?graph={urllib.parse.quote(base + 'doc/seeds/000_5821b829e4867404.txt', safe='')}",
        f"/resource?iri={urllib.parse.quote(base + 'country/chile', safe='')}",
        f"/resource?iri={urllib.parse.quote(base + 'country/chile', safe='')}&format=json",
        "/id/country/chile", "/id/country/peru?format=ttl", "/id/organisation/united-nations",
        "/id/doc/seeds/000_5821b829e4867404.txt", "/id/graph/entities", "/id/person/x",
    ]:
        name = urllib.parse.quote(target, safe="")[:60]
        write("serve_request", f"get-{name}", request(0, target, "text/html"))
        write("serve_request", f"json-{name}", request(0, target, "application/ld+json"))
    write("serve_request", "head-root", request(2, "/"))
    write("serve_request", "put-store", request(3, "/store?default", "", "text/turtle", b"<a> <b> <c> ."))
    write("serve_request", "options-sparql", request(5, "/sparql"))


html_ingest()
curation_file()
serve_request()
