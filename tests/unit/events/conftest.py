"""Helpers of the event-facts tests."""
from pipeline.events import ner


def tagged(text: str, title: str | None = None):
    """(people, organisations, places) the tagger finds in a text."""
    e = ner.extract(title, text)
    return e.people, e.organisations, e.places
