"""``newsflow worker`` whose first table recovery never reads its changelogs (a fault injected for
test_state): Faust's first call to resume the changelog partitions is dropped, so they stay paused and
the recovery waits for records that never come, as seen under load. Run: python -m <this module>."""
from __future__ import annotations

import sys

from faust.transport.consumer import Consumer

from cli.main import main

_resume = Consumer.resume_partitions
_dropped: list = []


def resume_but_not_the_first_changelogs(self, tps):
    tps = set(tps)
    changelogs = {tp for tp in tps if self._is_changelog_tp(tp)}
    if changelogs and not _dropped and self.app.tables.recovery.in_recovery:
        _dropped.append(changelogs)
        print(f"fault injected: changelog partitions left paused: {sorted(map(str, changelogs))}", flush=True)
        tps -= changelogs
    return _resume(self, tps)


Consumer.resume_partitions = resume_but_not_the_first_changelogs

if __name__ == "__main__":
    sys.exit(main(["worker"]))
