"""Params files kept elsewhere than the shipped one (bench --params, a refit's --out)."""
from __future__ import annotations

import shutil

import pytest

from pipeline.clustering import ClusterParams
from pipeline.clustering.params import DEFAULT_PARAMS


def _weights(p: ClusterParams) -> tuple:
    table = p.ensure_idf()
    return table.n_docs, len(table.df)


def test_a_params_file_copied_without_its_word_table_weighs_words_as_the_shipped_one(tmp_path):
    """A copy of params.json alone in another folder weighed every word alike (no df.json beside it),
    and bench/clustering.py --params gave other figures for the same weights, saying nothing."""
    copy = tmp_path / "params.json"
    shutil.copy(DEFAULT_PARAMS, copy)
    assert _weights(ClusterParams.load(copy)) == _weights(ClusterParams.load())
    assert _weights(ClusterParams.load())[1] > 1000


def test_a_word_table_named_but_found_nowhere_is_an_error(tmp_path):
    copy = tmp_path / "params.json"
    copy.write_bytes(DEFAULT_PARAMS.read_bytes().replace(b'"df.json"', b'"elsewhere.json"'))
    with pytest.raises(FileNotFoundError, match="elsewhere.json"):
        ClusterParams.load(copy)
