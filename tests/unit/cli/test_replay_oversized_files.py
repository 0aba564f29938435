"""`newsflow replay` of a file over the size limit: one too_large row, as `ingest files` rejects it."""
import argparse

import orjson

from cli.replay_cmd import cmd_replay
from schemas.models import MAX_RAW_BYTES_DEFAULT


def test_an_oversized_json_file_is_one_too_large_row_not_its_first_bytes_replayed(tmp_path, capsys):
    """The files reader now keeps such a file's first bytes for its dead letter; replay must not hand
    them to the core as the file's record, which would call the cut JSON invalid."""
    record = orjson.dumps({"id": "big", "source": "s", "text": "word " * (MAX_RAW_BYTES_DEFAULT // 5 + 1000)})
    path = tmp_path / "big.json"
    path.write_bytes(record)
    args = argparse.Namespace(inputs=[str(path)], events=None, rows=False, window_days=None, no_progress=True)
    assert cmd_replay(args) == 0
    (row,) = (orjson.loads(line) for line in capsys.readouterr().out.splitlines())
    assert row["error"] == {"reason": "too_large", "stage": "connector",
                            "detail": f"{path}: more than {MAX_RAW_BYTES_DEFAULT} bytes"}
