#!/usr/bin/env python3
"""Writes a synthetic CycloneDX 1.6 JSON SBOM for the end-to-end scan benchmark.

    gen_sbom.py OUT.json N_COMPONENTS [N_SUPPLIERS]

Components are libraries nested up to four levels (every tenth has children),
with purls, hashes and properties; suppliers are drawn (Zipf-like) from a pool
of N_SUPPLIERS invented company names plus a few real ICT vendors that the
curated registry lists (so that screening finds something); about 30% of the
components name no supplier. Deterministic for given arguments.
"""
import json
import random
import sys

LISTED = [
    "Hangzhou Hikvision Digital Technology Co., Ltd.",
    "Zhejiang Dahua Technology Co., Ltd.",
    "Huawei Technologies Co., Ltd.",
    "ZTE Corporation",
    "Kaspersky Lab, Inc.",
]
SYLLABLES = ["nor", "vak", "tel", "sys", "ion", "gra", "lum", "ber", "cod", "ex", "ari", "mon",
             "zen", "pol", "kri", "sta", "fen", "dor", "qua", "lix", "tur", "bel", "wen", "ost"]
FORMS = ["GmbH", "Ltd", "Inc.", "S.A.", "AB", "Oy", "B.V.", "LLC", "K.K.", "S.r.l."]


def company(rng):
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{name} {rng.choice(['Software', 'Systems', 'Labs', 'Digital', 'Data'])} {rng.choice(FORMS)}"


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    n_suppliers = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    rng = random.Random(20250601)
    pool = [company(rng) for _ in range(n_suppliers)] + LISTED
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(pool))]
    made = 0

    def component(depth):
        nonlocal made
        made += 1
        i = made
        c = {
            "type": "library",
            "bom-ref": f"c{i}",
            "name": f"lib-{i}-ünïcode",
            "version": f"{i % 7}.{i % 13}.{i % 5}",
            "purl": f"pkg:generic/acme/lib-{i}@{i % 7}.{i % 13}",
            "hashes": [{"alg": "SHA-256", "content": f"{i:064x}"}],
            "properties": [{"name": "build", "value": f"b{i % 97}"}],
        }
        if rng.random() > 0.3:
            c["supplier"] = {"name": rng.choices(pool, weights)[0]}
        if depth < 4 and i % 10 == 0 and made < n:
            kids = []
            for _ in range(rng.randint(1, 4)):
                if made >= n:
                    break
                kids.append(component(depth + 1))
            c["components"] = kids
        return c

    comps = []
    while made < n:
        comps.append(component(0))
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
           "serialNumber": "urn:uuid:00000000-0000-4000-8000-000000000001",
           "metadata": {"component": {"type": "application", "name": "synthetic", "bom-ref": "root"}},
           "components": comps}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(bom, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
