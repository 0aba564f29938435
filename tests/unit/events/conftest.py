"""Helpers of the event-facts tests."""
from pipeline.events import article_facts, ner


def tagged(text: str, title: str | None = None):
    """(people, organisations, places) the tagger finds in a text."""
    e = ner.extract(title, text)
    return e.people, e.organisations, e.places


def english_facts(text: str, title: str | None = None, published: str | None = None) -> dict:
    """The facts of an English text, as the cleaning stage computes them."""
    return article_facts({"title": title, "text": text, "published": published, "language": "en"})


def fact_names(f: dict, kind: str) -> set[str]:
    """The names of one kind of entity ("people", "organisations", "places") in the facts."""
    return {name for name, _n, _aliases in f["entities"][kind]}
