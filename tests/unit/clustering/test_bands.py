"""The band table against a plain dict-of-sets model, through growth, wrap-around and removals."""
import random

from pipeline.clustering.bands import BandIndex


def _members(idx: BandIndex, fold: int, newest: int) -> list[int]:
    return sorted(q for _, q in idx.members([fold], newest))


def test_band_index_matches_a_plain_multimap_through_growth_and_removals():
    rng = random.Random(3)
    idx, model = BandIndex(cap=8), {}
    folds = [rng.getrandbits(30) for _ in range(300)] + [0, (1 << 30) - 1]  # both ends of the table
    seq = 0
    for step in range(20_000):
        if model and rng.random() < 0.45:
            fold, s = rng.choice(list(model))
            assert idx.remove([fold], s) == 1
            del model[(fold, s)]
        else:
            seq += 1
            fold = rng.choice(folds)
            idx.add([fold], seq)
            model[(fold, seq)] = True
        if step % 997 == 0:
            for f in folds:
                assert _members(idx, f, seq) == sorted(s for g, s in model if g == f)
    assert len(idx) == len(model)
    assert idx.cap > 8  # it grew
    for f in folds:
        assert _members(idx, f, seq) == sorted(s for g, s in model if g == f)


def test_members_are_given_per_fold_in_the_order_asked():
    idx = BandIndex()
    idx.add([3, 8, 3], 1)  # an article whose first and third bands fold alike
    idx.add([8, 5], 2)
    assert sorted(idx.members([8, 3, 4], 2)) == [(0, 1), (0, 2), (1, 1)]
    assert idx.remove([3, 3, 3], 1) == 2


def test_removing_what_is_not_there_changes_nothing():
    idx = BandIndex()
    idx.add([5], 1)
    assert idx.remove([5], 2) == 0
    assert idx.remove([6], 1) == 0
    assert _members(idx, 5, 1) == [1]
    assert idx.remove([5], 1) == 1
    assert _members(idx, 5, 1) == []
    assert len(idx) == 0


def test_an_article_filed_twice_under_one_fold_is_a_member_once():
    idx = BandIndex()
    idx.add([9, 9], 4)
    idx.add([9], 5)
    assert _members(idx, 9, 5) == [4, 5]
    assert idx.remove([9], 4) == 1
    assert _members(idx, 9, 5) == [4, 5]


def test_arrival_numbers_past_32_bits_come_back_whole():
    idx = BandIndex()
    base = (1 << 32) - 3  # the low 32 bits wrap between these arrivals
    for s in range(base, base + 6):
        idx.add([7], s)
    assert _members(idx, 7, base + 5) == list(range(base, base + 6))
    assert idx.remove([7], base + 4) == 1
    assert _members(idx, 7, base + 5) == [base, base + 1, base + 2, base + 3, base + 5]


def test_a_crowded_slot_range_keeps_every_entry_reachable():
    """Folds that all land on the table's last slots run past its end and wrap to slot 0."""
    idx = BandIndex(cap=16)
    top = (1 << 30) - 1
    for s in range(1, 9):
        idx.add([top - s % 2], s)
    assert _members(idx, top, 8) == [2, 4, 6, 8]
    assert _members(idx, top - 1, 8) == [1, 3, 5, 7]
    for s in (2, 3, 8):
        assert idx.remove([top - s % 2], s) == 1
    assert _members(idx, top, 8) == [4, 6]
    assert _members(idx, top - 1, 8) == [1, 5, 7]
