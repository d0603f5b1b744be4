"""Parses an RDF file with rdflib and prints how many statements it holds.

Usage: count_rdf.py FILE FORMAT   (FORMAT: nquads, trig, json-ld, turtle, nt, xml)
Dataset formats print the number of quads; triple formats the number of distinct triples.
"""
import sys

from rdflib import Dataset, Graph


def main() -> int:
    path, rdf_format = sys.argv[1], sys.argv[2]
    if rdf_format in ("nquads", "trig", "json-ld"):
        dataset = Dataset()
        dataset.parse(path, format=rdf_format)
        print(sum(1 for _ in dataset.quads((None, None, None, None))))
    else:
        graph = Graph()
        graph.parse(path, format=rdf_format)
        print(len(graph))
    return 0


if __name__ == "__main__":
    sys.exit(main())
