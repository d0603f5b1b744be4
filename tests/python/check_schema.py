"""Validates every line of a dealgraph extraction JSON Lines file against the JSON Schema.

Usage: check_schema.py SCHEMA.json EXTRACTIONS.jsonl
Prints the number of valid lines; exits 1 and prints each error (with its line) if any line fails.
"""
import json
import sys

from jsonschema import Draft202012Validator


def main() -> int:
    schema_path, data_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    failures = 0
    lines = 0
    with open(data_path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            lines += 1
            for error in validator.iter_errors(json.loads(line)):
                failures += 1
                print(f"line {number}: {error.json_path}: {error.message}")
    print(f"{lines} lines checked, {failures} errors")
    return 1 if failures or lines == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
