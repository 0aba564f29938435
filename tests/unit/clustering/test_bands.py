"""The band tables against a plain multimap, through growth, wrap-around, tombstones and rebuilds."""
import random

from pipeline.clustering.bands import BandIndex

TOP = (1 << 64) - 1
ABSENT = 1 << 64  # no band value is this


def test_band_index_matches_a_plain_multimap_through_growth_and_removals():
    rng = random.Random(3)
    idx, model = BandIndex(2, cap=8), {}  # model: seq -> its two band values
    pool = [rng.getrandbits(64) for _ in range(300)] + [0, TOP, (1 << 30) - 1]  # both ends of the table
    seq = 0
    for step in range(20_000):
        if model and rng.random() < 0.45:
            s = rng.choice(list(model))
            assert idx.remove(model.pop(s), s)
        else:
            seq += 1
            model[seq] = [rng.choice(pool), rng.choice(pool)]
            idx.add(model[seq], seq)
        if step % 997 == 0 or step == 19_999:
            for v in pool:
                for band in (0, 1):
                    query = [v, ABSENT] if band == 0 else [ABSENT, v]
                    got = idx.members(query)
                    assert sorted(got) == sorted(s for s, vs in model.items() if vs[band] == v)
    assert len(idx) == len(model)
    assert idx.cap > 8  # it grew


def test_members_are_given_band_after_band():
    idx = BandIndex(3)
    idx.add([3, 8, 3], 1)  # the same value in two bands is two different buckets
    idx.add([8, 3, 5], 2)
    assert idx.members([3, 3, 4]) == [1, 2]
    assert idx.members([8, 8, 3]) == [2, 1, 1]
    assert idx.remove([3, 8, 3], 1)
    assert idx.members([8, 8, 3]) == [2]


def test_values_that_share_their_low_bits_stay_apart():
    """The home slot comes from a value's low 30 bits; only whole values match."""
    idx = BandIndex(1)
    a, b = 5, 5 | 1 << 40
    idx.add([a], 1)
    idx.add([b], 2)
    assert idx.members([a]) == [1]
    assert idx.members([b]) == [2]
    assert not idx.remove([a], 2)
    assert idx.remove([b], 2)
    assert idx.members([b]) == []
    assert idx.members([a]) == [1]


def test_removing_what_is_not_there_changes_nothing():
    idx = BandIndex(1)
    idx.add([5], 1)
    assert not idx.remove([5], 2)
    assert not idx.remove([6], 1)
    assert idx.members([5]) == [1]
    assert idx.remove([5], 1)
    assert idx.members([5]) == []
    assert len(idx) == 0


def test_arrival_numbers_past_32_bits_come_back_whole_even_across_a_rebuild():
    idx = BandIndex(1, cap=8)
    base = (1 << 32) - 5
    for s in range(base, base + 8):  # past 0.6 of 8 slots: the table is laid out again
        idx.add([7], s)
    assert idx.cap > 8
    assert sorted(idx.members([7])) == list(range(base, base + 8))
    assert idx.remove([7], base + 4)
    assert sorted(idx.members([7])) == [base + i for i in (0, 1, 2, 3, 5, 6, 7)]


def test_a_crowded_slot_range_keeps_every_entry_reachable():
    """Values whose home is the table's last slot run past its end and wrap to slot 0; removals in
    the middle of the run leave the rest reachable."""
    idx = BandIndex(1, cap=16)
    top = (1 << 30) - 1
    for s in range(1, 9):
        idx.add([top - s % 2], s)
    assert sorted(idx.members([top])) == [2, 4, 6, 8]
    assert sorted(idx.members([top - 1])) == [1, 3, 5, 7]
    for s in (2, 3, 8):
        assert idx.remove([top - s % 2], s)
    assert sorted(idx.members([top])) == [4, 6]
    assert sorted(idx.members([top - 1])) == [1, 5, 7]
