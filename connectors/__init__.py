"""Connectors: producers that put raw articles on news.raw (files, RSS/Atom, web pages, HTTP ingest)."""
