"""Event records: the contract consumers read from news.events.

``article_facts(article)`` computes, once per cleaned article, the facts an event needs
(entities, dates, lead sentences, keywords, language); ``EventBuilder.apply`` folds them into
the event's bounded state and returns the full record to publish (schemas/event.v1.json).
``article_facts_cached`` gives the same facts, remembering recent results by content, for a
stream where copies of an article are common.
No Kafka or Faust here: the Faust agent and ``newsflow replay`` both call this code.
"""
from .builder import EventBuilder
from .facts import article_facts, article_facts_cached

__all__ = ["EventBuilder", "article_facts", "article_facts_cached"]
