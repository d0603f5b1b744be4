#!/usr/bin/env python3
"""Build schema/reference/countries.tsv from the pycountry and countryinfo packages.

Usage (from the repository root):

    pip install pycountry==26.2.16 countryinfo==1.0.1
    python3 tools/build_countries.py

Inputs
  * pycountry  : databases/iso3166-1.json (ISO 3166-1: name, official_name,
                 common_name, alpha_2, alpha_3) and its gettext translations
                 (locales/*/LC_MESSAGES/iso3166-1.mo), used only to recognise
                 non-English spellings.
  * countryinfo: data/*.json (name, altSpellings, demonym, ISO, population).
  * schema/reference/country_aliases_extra.tsv: a few team-added common English
                 forms the datasets lack (code, alias, kind).

Output: schema/reference/countries.tsv, UTF-8, tab separated, LF line ends,
sorted by code, header `code alpha3 name aliases demonyms`.  The output only
depends on the package data and the extras file, so reruns are byte-identical.
See schema/reference/README.md for the rules; each rule is also commented below.
"""

from __future__ import annotations

import gettext
import json
import re
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

import countryinfo
import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "schema" / "reference" / "countries.tsv"
EXTRA = ROOT / "schema" / "reference" / "country_aliases_extra.tsv"

PYCOUNTRY_DIR = Path(pycountry.__file__).resolve().parent
COUNTRYINFO_DIR = Path(countryinfo.__file__).resolve().parent

# Kosovo has no ISO 3166-1 entry; XK / XKX are the user-assigned codes used by
# the EU, IMF and others.  Taken from countryinfo when it has an XK entry,
# otherwise this fallback name is used (aliases/demonyms come from the extras).
KOSOVO = {"alpha_2": "XK", "alpha_3": "XKX", "name": "Kosovo"}

# countryinfo 1.0.1 still carries names that were replaced by a formal rename
# of the country; for these the ISO (pycountry) short name is used as `name`
# and the old countryinfo name is kept as an alias.  Keyed by alpha-2.
RENAMED = {
    "MK": "2019 rename: Republic of Macedonia -> North Macedonia",
    "SZ": "2018 rename: Swaziland -> Eswatini",
}

# --- all-caps code filters -------------------------------------------------
# countryinfo's altSpellings list the ISO alpha-2 and alpha-3 codes.  An
# all-caps alias of 2-3 letters is kept only if it appears in altSpellings AND
# is not in the stop list below: codes that are ordinary English words, US
# state postal codes, or common abbreviations in running news text (units,
# titles, companies, Roman numerals ...).  "US" and "UK" are deliberately NOT
# in the list: they are the key abbreviations.  "GB" is dropped (gigabyte;
# "UK", "Britain" cover the country).
CODE_STOP_2 = {
    # English words
    "AM", "AN", "AS", "AT", "BE", "BY", "DO", "GO", "HE", "HI", "IN", "IS",
    "IT", "ME", "MY", "NO", "OF", "ON", "OR", "SO", "TO", "UP", "WE", "YE",
    "AW", "AX", "EH", "UM",
    # US state postal codes that are also ISO alpha-2 codes of other places
    "AL", "AR", "AZ", "CA", "CO", "DE", "GA", "ID", "IL", "KY", "LA", "MA",
    "MD", "MN", "MO", "MS", "MT", "NC", "NE", "PA", "SC", "SD", "TN", "VA",
    # common abbreviations in news text
    "AD", "AG", "AI", "AU", "BA", "BO", "BS", "CC", "CD", "CF", "CM", "CU",
    "CV", "DJ", "DM", "EC", "EG", "ER", "ES", "ET", "FM", "GB", "GE", "GF", "GG",
    "GI", "GM", "GP", "GQ", "GS", "HM", "HR", "IE", "IM", "IO", "IQ", "IR",
    "KG", "KM", "KW", "LB", "LT", "MC", "MG", "ML", "MM", "MP", "MR", "MW",
    "NA", "NI", "PE", "PG", "PH", "PL", "PM", "PR", "PS", "QA", "RE", "SE",
    "SJ", "SR", "SS", "ST", "TD", "TM", "TV", "VC", "VI",
}
CODE_STOP_3 = {
    # English words
    "AGO", "AND", "ARE", "ARM", "BEN", "BRA", "CAN", "COD", "COG", "COL",
    "CUB", "DOM", "FIN", "GAB", "GIN", "GUM", "GUY", "HUN", "JAM", "KEN",
    "LIE", "LUX", "MAC", "MAR", "NOR", "PAN", "PER", "POL", "PRY", "SEN",
    "SUR", "TON", "TUN", "VAT",
    # common abbreviations / acronyms in news text
    "AIA", "ALA", "ASM", "ATA", "ATF", "BLM", "BTN", "CAF", "COM", "DJI",
    "ESP", "EST", "ETH", "GEO", "HMD", "IND", "IOT", "IRL", "MDA", "MMR",
    "NAM", "NER", "NIC", "PRI", "SGS", "SSD", "STP", "TLS",
}
# Dotted forms ("U.S.") are added for every kept all-caps 3-letter alias, but
# for 2-letter ones only for these: other dotted pairs collide with personal
# initials (J.P., T.J., B.B.) and company suffixes (S.A., B.V., S.L.).
DOTTED_2 = {"US", "UK"}

# A demonym shared by several entries (e.g. "French" for France and Reunion,
# "Indian" for India and the British Indian Ocean Territory) is kept only for
# entries whose population is at least this share of the most populous one.
DEMONYM_SHARE = 0.05

CAPS_RE = re.compile(r"^[A-Z]{2,4}$")
WORD_SPLIT = re.compile(r"[\s,()\-/]+")
INVERTED_RE = re.compile(r"^(?P<head>[^,]+), (?P<tail>.*\bof(?: the)?)$", re.IGNORECASE)


def fold(s: str) -> str:
    """Strip Latin diacritics: 'Côte d'Ivoire' -> 'Cote d'Ivoire'."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def clean(s: str) -> str:
    s = " ".join(s.replace("\t", " ").replace("\n", " ").split())
    # The Rust side handles a leading article ("the Netherlands"), so forms are
    # stored without it.
    if s[:4].lower() == "the " and len(s) > 4:
        s = s[4:]
    return s


def uninvert(s: str) -> str:
    """ISO inverted forms: 'Korea, Republic of' -> 'Republic of Korea'."""
    m = INVERTED_RE.match(s)
    if not m:
        return s
    return clean(f"{m.group('tail')} {m.group('head')}")


def awkward(s: str) -> bool:
    return "," in s or "(" in s


def load_pycountry() -> list[dict]:
    with open(PYCOUNTRY_DIR / "databases" / "iso3166-1.json", encoding="utf-8") as f:
        return json.load(f)["3166-1"]


def load_countryinfo() -> dict[str, list[dict]]:
    """alpha-2 -> countryinfo records, in file-name order (some codes have 2)."""
    by_code: dict[str, list[dict]] = {}
    for path in sorted((COUNTRYINFO_DIR / "data").glob("*.json"), key=lambda p: p.name):
        with open(path, encoding="utf-8") as f:
            rec = json.load(f)
        code = (rec.get("ISO") or {}).get("alpha2")
        if code:
            by_code.setdefault(code.upper(), []).append(rec)
    return by_code


def foreign_forms(english: list[str]) -> set[str]:
    """Folded, lower-cased translations of the ISO names into other languages."""
    out: set[str] = set()
    locales = sorted(p.name for p in (PYCOUNTRY_DIR / "locales").iterdir() if p.is_dir())
    for loc in locales:
        if loc == "en" or loc.startswith("en_"):
            continue
        try:
            tr = gettext.translation("iso3166-1", localedir=str(PYCOUNTRY_DIR / "locales"), languages=[loc])
        except OSError:
            continue
        for s in english:
            t = tr.gettext(s)
            if t != s:
                out.add(fold(t).lower())
    return out


def load_extras() -> list[tuple[str, str, str]]:
    rows = []
    with open(EXTRA, encoding="utf-8") as f:
        lines = [ln.rstrip("\n") for ln in f]
    header_seen = False
    for ln in lines:
        if not ln.strip() or ln.startswith("#"):
            continue
        cols = ln.split("\t")
        if not header_seen:
            if cols != ["code", "alias", "kind"]:
                sys.exit(f"{EXTRA}: bad header {cols!r}")
            header_seen = True
            continue
        if len(cols) != 3 or cols[2] not in ("alias", "demonym"):
            sys.exit(f"{EXTRA}: bad line {ln!r}")
        rows.append((cols[0].strip().upper(), cols[1].strip(), cols[2]))
    return rows


def dedup(seq):
    seen = set()
    out = []
    for x in seq:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def main() -> None:
    pc = load_pycountry()
    ci = load_countryinfo()
    extras = load_extras()
    pc_codes = {e["alpha_2"] for e in pc}

    entries = [dict(e) for e in pc]
    if "XK" not in pc_codes:
        kos = dict(KOSOVO)
        if "XK" in ci:
            kos["alpha_3"] = ci["XK"][0].get("ISO", {}).get("alpha3") or kos["alpha_3"]
        entries.append(kos)
    codes = {e["alpha_2"] for e in entries}
    for code in {c for c, _, _ in extras} - codes:
        sys.exit(f"{EXTRA}: unknown code {code}")

    # English forms: every pycountry English form plus countryinfo's `name`.
    english: list[str] = []
    for e in entries:
        english += [e.get(k) for k in ("name", "official_name", "common_name") if e.get(k)]
        english += [r["name"] for r in ci.get(e["alpha_2"], []) if r.get("name")]
    english_exact = set(english) | {clean(s) for s in english} | {uninvert(clean(s)) for s in english}
    english_folded = {fold(s).lower() for s in english}
    english_folded |= {fold(uninvert(clean(s))).lower() for s in english}
    # English vocabulary: every word used in those forms (folded, lower case).
    vocab = {w for s in english for w in WORD_SPLIT.split(fold(s).lower()) if w}
    foreign = foreign_forms([e[k] for e in pc for k in ("name", "official_name", "common_name") if e.get(k)])

    def english_looking(s: str) -> bool:
        """Rule for countryinfo altSpellings: keep a spelling only if every
        word is in the English vocabulary of the ISO/countryinfo English names
        (or is an all-caps code such as "DR"), and it is not a pycountry
        translation of a country name into another language (unless it is
        also an English form).  A spelling with non-ASCII letters is kept
        only if it is itself one of the English forms ('Côte d'Ivoire').
        Drops e.g. 'Danmark', 'Belgique', 'Island' (Iceland), 'Zhongguo',
        'Pākistān', 'República de Chile' and all non-Latin script."""
        if not s.isascii() and s not in english_exact:
            return False
        words = [w for w in WORD_SPLIT.split(s) if w]
        if not words:
            return False
        for w in words:
            if CAPS_RE.match(w):
                continue
            if fold(w).lower() not in vocab:
                return False
        f = fold(s).lower()
        return not (f in foreign and f not in english_folded)

    rows = []
    raw_demonyms: dict[str, list[str]] = {}
    population: dict[str, int] = {}
    for e in entries:
        code = e["alpha_2"]
        recs = ci.get(code, [])
        population[code] = max([int(r.get("population") or 0) for r in recs] or [0])

        # ---- name ---------------------------------------------------------
        ci_names = dedup(clean(r["name"]) for r in recs if r.get("name"))
        candidates = []
        if code in RENAMED:
            candidates.append(e.get("common_name") or e["name"])
        candidates += ci_names
        candidates += [e.get("common_name"), e.get("name")]
        candidates = [clean(c) for c in candidates if c]
        name = next((c for c in candidates if not awkward(c)), None)
        if name is None:
            # Both datasets' short names are awkward ('Virgin Islands, U.S.',
            # 'Saint Martin (French part)'): use the shortest non-awkward English
            # form (official name, English altSpellings, names with the
            # parenthetical removed); if there is none, the first candidate.
            fallback = [e.get("official_name") or ""]
            fallback += [clean(a) for r in recs for a in (r.get("altSpellings") or [])
                         if isinstance(a, str) and not CAPS_RE.match(clean(a)) and english_looking(clean(a))]
            fallback += [" ".join(re.sub(r"\([^)]*\)", " ", c).split()) for c in candidates]
            fallback = [clean(f) for f in fallback if f and not awkward(f)]
            name = min(fallback, key=lambda f: (len(f), f)) if fallback else candidates[0]

        # ---- aliases ------------------------------------------------------
        sources: list[tuple[str, bool]] = []  # (form, is_altSpelling)
        for k in ("name", "official_name", "common_name"):
            if e.get(k):
                sources.append((e[k], False))
        sources += [(r["name"], False) for r in recs if r.get("name")]
        for r in recs:
            sources += [(s, True) for s in (r.get("altSpellings") or []) if isinstance(s, str)]
        sources += [(a, False) for c, a, kind in extras if c == code and kind == "alias"]

        aliases: list[str] = []
        for raw, is_alt in sources:
            form = clean(raw)
            if not form:
                continue
            if CAPS_RE.match(form) and len(form) <= 3:
                # bare codes / abbreviations: only from altSpellings or extras
                stop = CODE_STOP_2 if len(form) == 2 else CODE_STOP_3
                if form in stop:
                    continue
                aliases.append(form)
                if len(form) == 3 or form in DOTTED_2:
                    aliases.append(".".join(form) + ".")
                continue
            if is_alt and not english_looking(form):
                continue
            form = uninvert(form)
            variants = [form]
            # 'Cocos (Keeling) Islands' -> 'Cocos Islands'
            if "(" in form:
                variants.append(" ".join(re.sub(r"\([^)]*\)", " ", form).split()))
            # 'Saint Lucia' -> 'St. Lucia', 'St Lucia'
            for v in list(variants):
                if v.startswith("Saint "):
                    variants += ["St. " + v[6:], "St " + v[6:]]
            # 'Côte d'Ivoire' -> 'Cote d'Ivoire'
            variants += [fold(v) for v in list(variants)]
            aliases += variants

        rows.append({"code": code, "alpha3": e["alpha_3"], "name": name, "aliases": aliases})

        # ---- demonyms -----------------------------------------------------
        dem: list[str] = []
        for r in recs:
            d = r.get("demonym")
            vals = d if isinstance(d, list) else [d]
            for v in vals:
                if isinstance(v, str):
                    dem += [x.strip() for x in re.split(r"[/,]", v)]
        dem += [a for c, a, kind in extras if c == code and kind == "demonym"]
        raw_demonyms[code] = dedup(clean(x) for x in dem if x and x.strip())

    # Shared demonyms: keep only for entries with >= DEMONYM_SHARE of the
    # population of the most populous entry sharing it (extras always kept).
    extra_dem = {(c, a) for c, a, kind in extras if kind == "demonym"}
    holders: dict[str, list[str]] = {}
    for code, ds in raw_demonyms.items():
        for d in ds:
            holders.setdefault(d, []).append(code)
    for row in rows:
        code = row["code"]
        kept = []
        for d in raw_demonyms[code]:
            top = max(population[c] for c in holders[d])
            if (code, d) in extra_dem or len(holders[d]) == 1 or population[code] >= DEMONYM_SHARE * top:
                kept.append(d)
        # a demonym identical to the name ('Djibouti') adds nothing
        row["demonyms"] = [d for d in kept if d != row["name"]]

    for row in rows:
        dems = set(row["demonyms"])
        row["aliases"] = [
            a for a in dedup(row["aliases"])
            if a != row["name"]
            and a not in dems                      # 'Togolese' is a demonym
            and len(a) > 1 and not a.isdigit()     # single letters, pure digits
        ]

    rows.sort(key=lambda r: r["code"])
    out_lines = ["code\talpha3\tname\taliases\tdemonyms"]
    for r in rows:
        fields = [r["code"], r["alpha3"], r["name"], "|".join(r["aliases"]), "|".join(r["demonyms"])]
        for f in fields:
            if "\t" in f or "\n" in f or "\r" in f:
                sys.exit(f"field with tab/newline in {r['code']}: {f!r}")
        for a in r["aliases"] + r["demonyms"]:
            if not a.strip() or "|" in a:
                sys.exit(f"bad alias/demonym in {r['code']}: {a!r}")
        out_lines.append("\t".join(fields))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out_lines) + "\n")

    versions = {p: metadata.version(p) for p in ("pycountry", "countryinfo")}
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} rows "
          f"(pycountry {versions['pycountry']}, countryinfo {versions['countryinfo']})", file=sys.stderr)


if __name__ == "__main__":
    main()
