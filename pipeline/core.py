"""The pipeline's two stages as plain objects over mutable mappings: no Kafka, no Faust.

The Faust agents (``pipeline.app``) hand these stages Faust tables as their stores; ``newsflow
replay`` hands them dicts. Either way the same code decides what an article becomes.

* :class:`CleanStage`: raw message bytes -> cleaned article dict (or a Rejected).
* :class:`ClusterStage`: cleaned article dict -> article record with its membership, and the
  event record to publish (or None when nothing changed).
"""
from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from schemas.models import RawArticle, Rejected, utcnow_iso

from .cleaning import BoilerplateMemory, CleanedArticle, CleaningConfig, HtmlExtractor, aclean, clean
from .clustering import ClusterDoc, ClusterParams, StoryClusterer
from .clustering.clusterer import features_for
from .clustering.prepared import FeaturesMismatch, decode_features, encode_features, fingerprint
from .events import EventBuilder, article_facts_cached
from .events.facts import FACTS_VERSION, facts_well_formed
from .settings import Settings
from .stores import AtomicBatch
from .times import in_future, parse_published

log = logging.getLogger("newsflow.core")
MAX_ID_CHARS = 512  # as news.raw's schema caps an id
# fields of a cleaned article that are text or null (schemas/article.v1.json)
_TEXT_OR_NULL = ("url", "canonical_url", "title", "author", "published", "fetched_at", "site_name", "language",
                 "dateline")


def cleaning_config(settings: Settings) -> CleaningConfig:
    return CleaningConfig(max_html_bytes=settings.max_html_bytes, extract_timeout_s=settings.extract_timeout_s,
                          extractor_workers=settings.extract_workers)


class CleanStage:
    """Decode, validate and clean one raw message; learned boilerplate lives in ``memory_store``.

    The cleaned record also carries the work the clustering stage needs that depends on the article
    alone (``PREPARED_FIELDS``): this stage scales with the partitions of news.raw, the clustering
    stage only with the languages of the stream."""

    def __init__(self, settings: Settings, memory_store: MutableMapping[str, Any], *,
                 extractor: HtmlExtractor | None = None, cluster_params: ClusterParams | None = None):
        self.settings = settings
        self.config = cleaning_config(settings)
        self.memory = BoilerplateMemory(memory_store)
        self.extractor = extractor
        self.cluster_params = cluster_params or ClusterParams.load()

    def decode(self, value: bytes | None) -> RawArticle:
        return RawArticle.from_json(value, max_bytes=self.settings.max_raw_bytes)

    def clean(self, raw: RawArticle) -> dict[str, Any]:
        article = clean(raw, memory=self.memory, extractor=self.extractor, config=self.config)
        return self.prepare(article_record(article))

    async def aclean(self, raw: RawArticle) -> dict[str, Any]:
        article = await aclean(raw, memory=self.memory, extractor=self.extractor, config=self.config)
        return self.prepare(article_record(article))

    def prepare(self, record: dict[str, Any]) -> dict[str, Any]:
        """Add the article's event facts and clustering features to its cleaned record."""
        facts = article_facts_cached(record)
        p = self.cluster_params
        record["facts"] = facts
        record["cluster_features"] = encode_features(features_for(cluster_doc(record, facts), p), fingerprint(p))
        return record


# Fields of a cleaned record that only the clustering stage reads; news.articles does not carry them.
PREPARED_FIELDS = ("facts", "cluster_features")


def article_record(article: CleanedArticle) -> dict[str, Any]:
    record = article.to_dict()
    record["schema_version"] = 1
    return record


def routing_key(article: dict[str, Any]) -> str:
    """Key of news.cleaned: articles in one language meet in one clustering partition."""
    return (article.get("language") or "und").lower()


@dataclass
class ClusterResult:
    article: dict[str, Any]            # the news.articles record (cleaned article + membership)
    event: dict[str, Any] | None       # the news.events record to publish (None: unchanged)
    redelivered: bool = False          # the article was already a member: nothing changed
    evicted: list[str] = field(default_factory=list)
    # where the clustering features came from: "upstream" (the cleaned record's), or "computed" here
    # because the record had none ("absent"), was made under other params ("mismatch") or is broken
    # ("invalid")
    features: str = "upstream"


class ClusterStage:
    """Assign a cleaned article to an event and keep that event's record up to date.

    ``cluster_store`` holds the clusterer's durable state and ``event_store`` one state dict per
    event id; both may be Faust tables. A redelivered article changes neither and returns the
    current record again, so a crash between a state write and the publish is repaired by the
    redelivery instead of losing the record.
    """

    def __init__(self, settings: Settings, cluster_store: MutableMapping[str, Any],
                 event_store: MutableMapping[str, Any], params: ClusterParams | None = None,
                 restore: bool = True, journal: MutableMapping[str, Any] | None = None):
        params = (params or ClusterParams.load()).replace(window_seconds=settings.window_seconds,
                                                          max_articles=settings.window_max_articles)
        # An article's writes to both stores reach the changelog as one batch (see AtomicBatch).
        self.batch = AtomicBatch({} if journal is None else journal, clusters=cluster_store, events=event_store)
        if restore:
            self.batch.recover()
        cluster_view = self.batch.views["clusters"]
        self.clusterer = StoryClusterer.restore(params, cluster_view) if restore else StoryClusterer(params, cluster_view)
        self.events = self.batch.views["events"]
        self.builder = EventBuilder()

    @staticmethod
    def decode(value: bytes | None) -> dict[str, Any]:
        """A news.cleaned record, or Rejected: the topic is internal, but whatever else writes to it
        must end as a dead letter with a reason, not as a failure of the stream."""
        if not value:  # a tombstone or an empty value: as the cleaning's decode names it
            raise Rejected("empty", "the message has no value", stage="cluster")
        try:
            record = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise Rejected("invalid_json", f"not a JSON cleaned article: {exc}", stage="cluster") from None
        if not isinstance(record, dict) or not isinstance(record.get("id"), str) or not record["id"]:
            raise Rejected("schema", "a cleaned article is a JSON object with a non-empty string id", stage="cluster")
        if len(record["id"]) > MAX_ID_CHARS:
            raise Rejected("schema", f"the id is {len(record['id'])} characters, over {MAX_ID_CHARS}", stage="cluster")
        if not isinstance(record.get("text"), str) or not isinstance(record.get("source"), str):
            raise Rejected("schema", "a cleaned article has a string text and source", stage="cluster",
                           article_id=record["id"])
        # what news.articles and the event records carry on must hold the types their schemas name: a
        # wrong one would fail every later version of the event it joins, not this message alone
        wrong = [name for name in _TEXT_OR_NULL if not isinstance(record.get(name), (str, type(None)))]
        if record.get("schema_version", 1) != 1:
            wrong.append("schema_version")
        flags = record.get("flags")
        if flags is not None and not (isinstance(flags, list) and all(isinstance(f, str) for f in flags)):
            wrong.append("flags")
        published = record.get("published")
        if isinstance(published, str) and parse_published(published) is None:
            wrong.append("published")
        if wrong:
            raise Rejected("schema", f"a cleaned article's {', '.join(wrong)} must be as schemas/article.v1.json "
                           "says (text or null; flags a list of text; schema_version 1; published ISO 8601)",
                           stage="cluster", article_id=record["id"], source=record["source"])
        if in_future(published, time.time()):
            # as the cleaning does: one article dated 2099 would move the window's clock past every other
            record = {**record, "published": None, "flags": [*(flags or []), "published_in_future"]}
            record.pop("cluster_features", None)  # they carry that time
        return record

    def process(self, article: dict[str, Any], now: str | None = None) -> ClusterResult:
        try:
            return self._process(article, now or utcnow_iso())
        finally:
            # even after a failure: the clusterer's in-memory index has moved on, the store must follow
            self.batch.commit()

    def _process(self, article: dict[str, Any], now: str) -> ClusterResult:
        facts = article.get("facts")
        if not (isinstance(facts, dict) and facts.get("v") == FACTS_VERSION and facts_well_formed(facts)):
            # copies of one article are common in a stream; the clusterer reads the same facts
            facts = article_facts_cached(article)
        known = self.clusterer.knows(article["id"])
        features, source = self._upstream_features(article)
        if known:
            self._check_redelivery(article, facts, features)
        if features is None:
            assignment = self.clusterer.assign(cluster_doc(article, facts))
        else:
            assignment = self.clusterer.assign_features(article["id"], features)
        record = {k: v for k, v in article.items() if k not in PREPARED_FIELDS}
        record.update(event_id=assignment.event_id, relation=assignment.relation,
                      duplicate_of=assignment.duplicate_of, similarity=_round(assignment.similarity))
        for event_id in assignment.evicted:
            self.events.pop(event_id, None)
        state = self.events.get(assignment.event_id)
        if known and state is not None:
            # a redelivery, however long ago it was first seen: the event's own member list is
            # bounded, so in a large event it may no longer name the article
            return ClusterResult(record, self.builder.record(state), redelivered=True, evicted=list(assignment.evicted),
                                 features=source)
        # an id the window has evicted may be listed in a live event: the builder tells a
        # redelivery from another article under the same id by the member it lists
        new_state, event = self.builder.apply(state, _Member(record), facts, assignment, now, reused_id=not known)
        if event is None:
            current = self.builder.record(state) if state is not None else None
            return ClusterResult(record, current, redelivered=True, evicted=list(assignment.evicted), features=source)
        self.events[assignment.event_id] = new_state
        return ClusterResult(record, event, evicted=list(assignment.evicted), features=source)

    def _check_redelivery(self, article: dict[str, Any], facts: dict, features) -> None:
        """An id already in the window is a redelivery only if it carries the same text: a different
        article under a reused id (two files named story.txt) must not vanish as a redelivery."""
        if features is None:
            features = features_for(cluster_doc(article, facts), self.clusterer.p)
        if not self.clusterer.same_text(article["id"], features):
            raise Rejected("duplicate_id", f"id {article['id']!r} already names a different article in the "
                           "clustering window: give each article its own id", stage="cluster",
                           article_id=article["id"])

    def _upstream_features(self, article: dict[str, Any]):
        """(the features the cleaning stage computed, "upstream"), or (None, why they cannot be used)."""
        value = article.get("cluster_features")
        if value is None:
            return None, "absent"
        try:
            return decode_features(value, fingerprint(self.clusterer.p)), "upstream"
        except FeaturesMismatch:
            return None, "mismatch"
        except ValueError:
            return None, "invalid"

    def window_size(self) -> int:
        return self.clusterer.window_size()

    def event_count(self) -> int:
        return self.clusterer.event_count()


class _Member(dict):
    """An article dict that also answers attribute access (what the event builder reads)."""

    __getattr__ = dict.get


def cluster_doc(article: dict[str, Any], facts: dict | None = None) -> ClusterDoc:
    """The clusterer's view of an article; ``facts`` (article_facts) spare it recomputing them."""
    return ClusterDoc(id=article["id"], title=article.get("title") or "", text=article.get("text") or "",
                      source=article.get("source") or "", url=article.get("url"),
                      canonical_url=article.get("canonical_url"), published=article.get("published"),
                      fetched_at=article.get("fetched_at"), language=article.get("language"), facts=facts,
                      dateline=article.get("dateline"))


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


@dataclass
class ReplayRow:
    """One line of ``newsflow replay`` output."""

    data: dict[str, Any]


class OfflinePipeline:
    """Both stages over in-memory dicts, in input order: what ``newsflow replay`` and the benchmarks run."""

    def __init__(self, settings: Settings | None = None, extractor: HtmlExtractor | None = None):
        self.settings = settings or Settings()
        self.clean_stage = CleanStage(self.settings, {}, extractor=extractor)
        self.cluster_stage = ClusterStage(self.settings, {}, {}, restore=False)
        self.events: dict[str, dict[str, Any]] = {}

    def process(self, value: bytes | str | None) -> dict[str, Any]:
        raw_id = None
        try:
            raw = self.clean_stage.decode(value if not isinstance(value, str) else value.encode())
            raw_id = raw.id
            article = self.clean_stage.clean(raw)
        except Rejected as exc:
            return {"id": raw_id or exc.article_id, "error": {"reason": exc.reason, "detail": exc.detail, "stage": exc.stage}}
        except Exception as exc:  # as the worker does: a bug costs this article, with its reason, not the run
            log.exception("clean stage failed", extra={"id": raw_id})
            return {"id": raw_id, "error": {"reason": "internal", "detail": f"{type(exc).__name__}: {exc}"[:500],
                                            "stage": "clean"}}
        try:
            result = self.cluster_stage.process(article)
        except Rejected as exc:
            return {"id": raw_id, "error": {"reason": exc.reason, "detail": exc.detail, "stage": exc.stage}}
        except Exception as exc:  # noqa: BLE001
            log.exception("cluster stage failed", extra={"id": raw_id})
            return {"id": raw_id, "error": {"reason": "internal", "detail": f"{type(exc).__name__}: {exc}"[:500],
                                            "stage": "cluster"}}
        if result.event is not None:
            self.events[result.event["event_id"]] = result.event
        a = result.article
        return {"id": a["id"], "event_id": a["event_id"], "relation": a["relation"],
                "duplicate_of": a["duplicate_of"], "similarity": a.get("similarity"), "url": a.get("url"),
                "published": a.get("published"), "language": a.get("language"), "flags": a.get("flags") or [],
                "title": a.get("title"), "text": a.get("text"), "redelivered": result.redelivered}


# Written for the warm-up: names, places, a date and enough sentences for every part of the core.
_WARM_UP_TEXT = (
    "Leaders Meet in Geneva to Discuss Water Rights\n"
    "GENEVA, March 3, 2024 - Prime Minister Anna Keller met President Omar Haddad in Geneva on Tuesday "
    "to discuss shared water rights along the river basin.\n"
    "The two leaders agreed to set up a joint commission, officials from both governments said.\n"
    "Keller told reporters the talks had been open and that a second round would follow in Amman in May.\n"
    "Haddad said the agreement would protect farmers in the north during dry summers."
)


def warm_up(settings: Settings) -> float:
    """Run one made-up article through both stages on throwaway state and return the seconds it
    took. The first article loads the language model, lexicons and compiled patterns (about 0.7 s
    here); doing that before the worker reports ready keeps it out of the first real articles'
    latency."""

    import orjson

    started = time.perf_counter()
    OfflinePipeline(settings).process(orjson.dumps({"id": "warm-up", "source": "warm-up", "text": _WARM_UP_TEXT}))
    return time.perf_counter() - started
