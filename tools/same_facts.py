#!/usr/bin/env python3
"""Compares two N-Quads exports of dealgraph stores up to the names dealgraph mints, as the
batch-equals-build tests do (tests/growing.rs, `facts_up_to_minted_names`), for stores too large
for the tests: a build, and the same corpus added in batches.

The provenance graph is left out (one build and ten `add` runs record different activities).
Graphs whose lines are the same in both files are equal; in the others and in the entities graph,
each entity IRI is replaced by its set of resolution keys, and claims, posts and values (whose IRIs
are made from entity IRIs) by a digest of what they say. Prints the quads left in one file only and
exits 1 if there are any.

Usage: tools/same_facts.py A.nq B.nq [BASE]   (BASE: the IRI base, default https://dealgraph.example/id/)
"""
import collections
import hashlib
import re
import sys

QUAD = re.compile(r"^(\S+) (\S+) (.*) (\S+) \.$")
RESOLUTION_KEY = "<https://dealgraph.example/ns#resolutionKey>"


def quads(path, wanted=None):
    """(subject, predicate, object, graph) of each quad in a named graph, of `wanted` graphs only."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            match = QUAD.match(line.rstrip("\n"))
            if match and (wanted is None or match.group(4) in wanted):
                yield match.groups()


def graph_digests(path, provenance):
    """Per graph, the sum of its lines' digests (order-free)."""
    digests = collections.Counter()
    for quad in quads(path):
        if quad[3] != provenance:
            digests[quad[3]] += int.from_bytes(hashlib.blake2b(repr(quad).encode(), digest_size=16).digest(), "big")
    return digests


def canonical(path, wanted):
    """The quads of `wanted` graphs with minted names replaced, counted."""
    loaded = list(quads(path, wanted))
    keys = collections.defaultdict(set)
    for subject, predicate, obj, _ in loaded:
        if predicate == RESOLUTION_KEY:
            keys[subject].add(obj)
    renamed = {entity: "K[" + "|".join(sorted(found)) + "]" for entity, found in keys.items()}

    def rename(term):
        return renamed.get(term, term)

    def made_from_entities(term):
        return "#claim-" in term or "/post/" in term or "#value-" in term

    # Claims may name posts and values: three rounds settle names made from names.
    for _ in range(3):
        said = collections.defaultdict(list)
        for subject, predicate, obj, _ in loaded:
            if made_from_entities(subject):
                said[subject].append((predicate, rename(obj)))
        for node, pairs in said.items():
            digest = hashlib.sha1(repr(sorted(pairs)).encode()).hexdigest()[:16]
            renamed[node] = f"N[{digest}]"
    return collections.Counter(
        (rename(subject), predicate, rename(obj), graph) for subject, predicate, obj, graph in loaded
    )


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    first, second = sys.argv[1], sys.argv[2]
    base = sys.argv[3] if len(sys.argv) == 4 else "https://dealgraph.example/id/"
    provenance, entities = f"<{base}graph/provenance>", f"<{base}graph/entities>"
    digests = (graph_digests(first, provenance), graph_digests(second, provenance))
    differing = {g for g in digests[0].keys() | digests[1].keys() if digests[0][g] != digests[1][g]}
    print(f"{len(digests[0])} and {len(digests[1])} graphs besides provenance; {len(differing)} differ line by line")
    wanted = differing | {entities}
    only = (canonical(first, wanted), canonical(second, wanted))
    left, right = only[0] - only[1], only[1] - only[0]
    print(f"after replacing minted names: {sum(left.values())} quads only in {first}, {sum(right.values())} only in {second}")
    for quad in list(left)[:20]:
        print("<", " ".join(quad))
    for quad in list(right)[:20]:
        print(">", " ".join(quad))
    sys.exit(1 if left or right else 0)


if __name__ == "__main__":
    main()
