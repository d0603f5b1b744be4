"""SPARQLWrapper, a SPARQL client not written here, against a running `dealgraph serve`.

Usage: sparql_client.py ENDPOINT. Runs SELECT (JSON, XML, CSV; GET and POST), ASK, CONSTRUCT (parsed
into an rdflib graph) and a malformed query, asserting each answer; exits non-zero on the first
failure and prints one line per check otherwise.
"""
import sys
import xml.dom.minidom

from SPARQLWrapper import CSV, JSON, POST, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

ENDPOINT = sys.argv[1]
OFFICIALS = """
PREFIX dg: <https://dealgraph.example/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name WHERE { ?person a dg:Official ; rdfs:label ?name } ORDER BY ?name
"""


def client(query, return_format, method=None):
    sparql = SPARQLWrapper(ENDPOINT)
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    if method:
        sparql.setMethod(method)
    return sparql.query().convert()


def names(results):
    return [row["name"]["value"] for row in results["results"]["bindings"]]


def check(condition, message):
    if not condition:
        sys.exit(f"FAILED: {message}")
    print(f"ok: {message}")


got = names(client(OFFICIALS, JSON))
check("Peter Hummelgaard" in got, f"SELECT in JSON over GET lists the officials ({len(got)})")

check(names(client(OFFICIALS, JSON, POST)) == got, "SELECT in JSON over POST gives the same rows")

document = client(OFFICIALS, XML)
check(isinstance(document, xml.dom.minidom.Document), "SELECT in XML parses as an XML document")
literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
check(literals == got, "the XML rows equal the JSON rows")

csv = client(OFFICIALS, CSV).decode("utf-8")
check(csv.splitlines()[0] == "name" and "Peter Hummelgaard" in csv, "SELECT in CSV")

ask = client(
    'PREFIX dg: <https://dealgraph.example/ns#> ASK { ?k dg:iso3166Alpha2 "XK" }', JSON
)
check(ask["boolean"] is True, "ASK in JSON is true")

graph = client(
    """PREFIX dg: <https://dealgraph.example/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a dg:Country ; rdfs:label ?l }""",
    XML,
)
labels = {str(o) for o in graph.objects()}
check(len(graph) > 5 and "Kosovo" in labels, f"CONSTRUCT as RDF/XML into an rdflib graph ({len(graph)} triples)")

try:
    client("SELECT * WHERE {", JSON)
    check(False, "a malformed query is refused")
except QueryBadFormed as error:
    check("syntax" in str(error).lower(), "a malformed query is refused with 400 and the parser's message")
