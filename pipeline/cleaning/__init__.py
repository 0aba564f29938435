"""The cleaning stage: raw article (HTML or scraped text) -> cleaned article, or Rejected with a reason.

    from pipeline.cleaning import clean, aclean, CleanedArticle, CleaningConfig, BoilerplateMemory, HtmlExtractor

See docs/cleaning.md.
"""
from .config import CleaningConfig
from .core import aclean, clean
from .extract import HtmlExtractor
from .memory import BoilerplateMemory
from .model import CleanedArticle
from .rules import Rules
from .urls import canonical_url

__all__ = ["clean", "aclean", "CleanedArticle", "CleaningConfig", "BoilerplateMemory", "HtmlExtractor",
           "Rules", "canonical_url"]
