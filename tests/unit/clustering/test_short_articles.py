"""Short articles: a feed's headline and summary, or a headline alone, clustered with the
short-article model (``ClusterParams.short_*``)."""
from __future__ import annotations

from pipeline.clustering import ClusterDoc, StoryClusterer

LOHAN_1 = ClusterDoc(id="lohan-1", source="a", title="Lindsay Lohan checks into Betty Ford Center",
                     text="Lindsay Lohan has checked into the Betty Ford Center in Rancho Mirage to begin a "
                          "court-ordered 90-day rehab stay, her lawyer said on Friday.")
LOHAN_2 = ClusterDoc(id="lohan-2", source="b", title="Lohan enters rehab at Betty Ford clinic",
                     text="Actress Lindsay Lohan arrived at the Betty Ford clinic in California on Friday to start "
                          "her court-ordered treatment.")
REID = ClusterDoc(id="reid-1", source="c", title="Tara Reid checks into Promises rehab",
                  text="Actress Tara Reid has entered the Promises Treatment Center in Malibu, her publicist said "
                       "on Tuesday.")


def headline(doc: ClusterDoc, **kw) -> ClusterDoc:
    return ClusterDoc(id=kw.get("id", doc.id), source=kw.get("source", doc.source), title=doc.title, text="")


def test_briefs_are_scored_by_the_short_model(params):
    assert params.short_words > 0 and len(params.short_weights) == len(params.weights)
    c = StoryClusterer(params)
    assert c.assign(LOHAN_1).relation == "new"
    second = c.assign(LOHAN_2)
    assert second.relation == "story" and second.event_id == c.assign(LOHAN_1).event_id
    assert c.assign(REID).relation == "new"
    # the same briefs with the short model's threshold out of reach: each is an event of its own
    strict = StoryClusterer(params.replace(short_threshold=1.01))
    assert {strict.assign(d).event_id for d in (LOHAN_1, LOHAN_2)} == {strict.assign(LOHAN_1).event_id,
                                                                        strict.assign(LOHAN_2).event_id}
    assert strict.assign(LOHAN_2).relation == "new"


def test_headlines_alone_are_neither_copies_of_each_other_nor_one_event(params):
    c = StoryClusterer(params)
    first, other = c.assign(headline(LOHAN_1)), c.assign(headline(REID))
    assert other.relation == "new" and other.event_id != first.event_id
    # the same headline from another outlet is a copy
    again = c.assign(headline(LOHAN_1, id="lohan-1-wire", source="wire"))
    assert again.relation == "exact" and again.event_id == first.event_id


def test_without_short_weights_the_long_model_decides(params):
    # parameters of one's own that set the word bound but fit no short model
    c = StoryClusterer(params.replace(short_weights=[], short_threshold=1.01))
    first = c.assign(LOHAN_1)
    assert c.assign(LOHAN_2).event_id == first.event_id


# briefs of unrelated stories that share one common word (found joined as one story by a QA pass)
ONE_WORD_APART = [
    ("The minister resigned over the budget dispute", "A new budget app for students"),
    ("Apple unveils new iPhone with better camera", "Apple harvest down sharply in Kent orchards"),
    ("Storm closes schools across Scotland today", "Schools report rise in pupil absences this year"),
]


def test_briefs_that_share_one_common_word_stay_apart(params):
    for first, second in ONE_WORD_APART:
        c = StoryClusterer(params)
        a = c.assign(ClusterDoc(id="a", source="x", text=first))
        b = c.assign(ClusterDoc(id="b", source="y", text=second))
        assert b.relation == "new" and b.event_id != a.event_id, (first, second)
    # the gate is what keeps them apart: without it the short model joins the budget briefs
    loose = StoryClusterer(params.replace(short_min_shared=0))
    a = loose.assign(ClusterDoc(id="a", source="x", text=ONE_WORD_APART[0][0]))
    assert loose.assign(ClusterDoc(id="b", source="y", text=ONE_WORD_APART[0][1])).event_id == a.event_id


def test_briefs_of_one_story_that_share_its_names_still_join(params):
    c = StoryClusterer(params)
    first = c.assign(ClusterDoc(id="p1", source="x", text="Putin arrives in Beijing for talks with Xi Jinping"))
    second = c.assign(ClusterDoc(id="p2", source="y", text="Xi Jinping welcomes Putin to Beijing for two days of talks"))
    assert second.relation in ("story", "near") and second.event_id == first.event_id
