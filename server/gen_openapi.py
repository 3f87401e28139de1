#!/usr/bin/python3
"""Build step: docs/openapi.yaml -> a C file defining `openapi_json` (compact JSON), so the
server answers /openapi.json from memory and the YAML stays the one source of the contract."""
import json
import sys

import yaml


def main():
    src, version = sys.argv[1], sys.argv[2]
    try:
        with open(src, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except FileNotFoundError:
        doc = {"openapi": "3.1.0", "info": {"title": "corpusd", "version": version}, "paths": {}}
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    print("/* generated from docs/openapi.yaml by server/gen_openapi.py */")
    print('#include "server/openapi.h"')
    print("const char openapi_json[] =")
    for i in range(0, len(text), 80):
        chunk = text[i:i + 80].replace("\\", "\\\\").replace('"', '\\"')
        chunk = chunk.replace("?", "\\?")  # no trigraphs under -std=c11
        print('    "' + chunk + '"')
    print(";")


main()
