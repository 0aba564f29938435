#!/usr/bin/env python
"""Calibrate the word weights of non-English articles (pipeline/clustering/idf.py ARTICLE_TOKENS).

A non-English word is weighed from its wordfreq frequency f as 1 - ln(1 - exp(-f * L)), capped at
the document-frequency table's maximum. L (tokens per article) is set where English frequencies
best reproduce the shipped English table, over the words both know: then a German article's words
weigh what English ones of the same rarity weigh, on the scale the score's weights were fitted on.
Deterministic; prints the error per L and the best one.

    .venv/bin/python bench/frequency_idf.py
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
import wordfreq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.args import positive_int_list  # noqa: E402
from pipeline.clustering import ClusterParams  # noqa: E402
from pipeline.clustering.idf import ARTICLE_TOKENS  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lengths", type=positive_int_list, default="100,200,300,400,500,600,700,1000,1500,2000",
                    help="comma list of tokens per article (positive integers) to try")
    args = ap.parse_args(argv)
    table = ClusterParams.load().ensure_idf()
    freq = wordfreq.get_frequency_dict("en", "small")
    words = [w for w in table.df if w in freq]
    shipped = np.array([table.idf(w) for w in words])
    f = np.array([freq[w] for w in words])
    print(f"{len(words):,} of the table's {len(table.df):,} words are in wordfreq's English list; "
          f"cap {table.max_idf:.2f}")
    best = None
    for length in args.lengths:
        share = -np.expm1(-f * length)
        est = np.minimum(table.max_idf, 1.0 - np.log(share))
        err = est - shipped
        rmse = math.sqrt(float((err ** 2).mean()))
        print(f"  L {length:5d}  RMSE {rmse:.3f}  mean error {err.mean():+.3f}  "
              f"correlation {np.corrcoef(est, shipped)[0, 1]:.3f}")
        if best is None or rmse < best[0]:
            best = (rmse, length)
    print(f"best L {best[1]} (RMSE {best[0]:.3f}); shipped ARTICLE_TOKENS {ARTICLE_TOKENS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
