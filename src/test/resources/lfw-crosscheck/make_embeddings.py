#!/usr/bin/env python3
"""Writes embeddings.json: a small synthetic face set in gallery_eval.py's format for the Java cross-check
(LfwCrossCheckTest). 64 evaluation persons (SHA-1 of the name starts with 0-3) with 3 to 12 images each and 3
training persons (ignored by both evaluators); 16-d person centres N(0, 1), images = centre + N(0, 0.95^2),
rounded to 5 decimals, so that the figures sit mid-range. Then, in this folder:

    python3 make_embeddings.py
    python3 ../../../../../shared/eval/gallery_eval.py --embeddings embeddings.json --threshold 4.5 \
        --out gallery_eval.json
"""
import hashlib
import json

import numpy as np


def is_eval(name):
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[0] in "0123"


rng = np.random.default_rng(2024)
names = [n for n in ("Person_%03d" % i for i in range(1000)) if is_eval(n)][:64]
names += [n for n in ("Trainee_%03d" % i for i in range(1000)) if not is_eval(n)][:3]
table = {}
for p, name in enumerate(names):
    centre = rng.normal(size=16)
    for i in range(3 + p % 10):
        v = centre + rng.normal(scale=0.95, size=16)
        table["%s/%s_%04d.jpg" % (name, name, i + 1)] = [round(float(x), 5) for x in v]
with open("embeddings.json", "w") as f:
    json.dump({"embeddings": table, "meta": {"generator": "make_embeddings.py"}}, f)
print(len(table), "embeddings of", len(names), "persons")
