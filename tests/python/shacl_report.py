"""Runs pyshacl on a data graph and prints its violations as sorted JSON.

Usage: shacl_report.py DATA_FILE DATA_FORMAT SHAPES.ttl
Prints a JSON list of [focus, path, component] triples (path "" when absent), sorted.
"""
import json
import sys

from pyshacl import validate
from rdflib import Graph, Namespace, URIRef

SH = Namespace("http://www.w3.org/ns/shacl#")


def main() -> int:
    data_path, data_format, shapes_path = sys.argv[1], sys.argv[2], sys.argv[3]
    data = Graph()
    data.parse(data_path, format=data_format)
    shapes = Graph()
    shapes.parse(shapes_path, format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
    results = set()
    for result in report.subjects(predicate=URIRef(str(SH) + "focusNode")):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        component = report.value(result, SH.sourceConstraintComponent)
        results.add((str(focus), str(path) if path is not None else "", str(component)))
    print(json.dumps(sorted(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
