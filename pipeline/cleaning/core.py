"""clean() and aclean(): one RawArticle in, one CleanedArticle out (or a Rejected with a reason)."""
from __future__ import annotations

import atexit
import dataclasses
import itertools
import re
import threading
import time
from typing import Any, Callable
from urllib.parse import urlsplit

from schemas.models import Rejected, RawArticle

from ..scripts import WIDE_SCRIPT
from ..times import in_future, normalise_published
from .config import CleaningConfig
from .extract import HtmlExtractor
from .glued_text import glued_page
from .memory import BoilerplateMemory
from .model import CleanedArticle
from .normalize import (c0_count, control_ratio, detect_language, language_tag, normalise_inline, normalise_text,
                        repair_declared_charset, repair_utf8_mojibake, strip_controls, strip_markdown,
                        strip_markup, unify_line_breaks)
from .page_text import article_lines, rejoin_wrapped
from .related_list import drop_related_headlines, drop_repeated_captions
from .reader_header import reader_header
from .rules import Rules
from .teaser_list import MONTH
from .urls import canonical_url
from .url_headline import BROKEN_OFF, names_headline, slug_words

STAGE = "clean"
_WORDS = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")


def text_length(text: str) -> int:
    """Length for the size limits of a body: a character of Chinese, Japanese or Korean counts
    twice, so a brief in those scripts is not judged too short by a rule sized for Latin text."""
    if text.isascii():
        return len(text)
    return 2 * len(text) - len(WIDE_SCRIPT.sub("", text))


def _has_words(text: str, needed: int) -> bool:
    """Whether ``text`` holds ``needed`` words (as word_count counts them), reading no further."""
    if WIDE_SCRIPT.search(text):
        return word_count(text) >= needed
    words = (run for run in _WORDS.finditer(text) if _LETTER.search(run.group()))
    return sum(1 for _ in itertools.islice(words, needed)) >= needed


def word_count(text: str) -> float:
    """Words for the brief rule: runs of word characters with a letter in them (not "2005"), and half
    a word for each Chinese, Japanese or Korean character, which are written without spaces."""
    wide = len(WIDE_SCRIPT.findall(text))
    if wide:
        text = WIDE_SCRIPT.sub(" ", text)
    return wide / 2 + sum(1 for run in _WORDS.findall(text) if _LETTER.search(run))


_WEB_ADDRESS = re.compile(r"(?i)\bwww\.|://")
_ADDRESS = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S*")  # a whole web address: no words of a brief
_HEADLINE_END = re.compile(r"[.:;,!\u3002\uff01\u2026]['\")\u201d\u2019]?$")
_BROKEN_OFF = re.compile(BROKEN_OFF)  # how a line broken off inside a sentence ends or opens
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\u2013\u2014\u00b7•»]|-|::)\s+")
# a date in a line: "July 28, 2004", "28 July 2004", "Dec. 19", "2013-09-14", "14/09/2013", and in the
# languages whose dates pipeline/times.py reads: "12 de março de 2024", "12. März 2024", "12 марта 2024"
_FOREIGN_MONTH = ("(?:januar[iy]?|februar[iy]?|märz|maart|mai|mei|juni|juli|augustus|oktober|dezember|janvier|"
                  "février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|"
                  "abril|mayo|junio|julio|agosto|se[pt]tiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|"
                  "maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho|setembro|"
                  "outubro|novembro|dezembro|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|"
                  "ноября|декабря)")
_DATE_IN_LINE = re.compile(rf"(?i)\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?![a-z])"
                           r"|\b(?:19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}\s?[/.]\s?\d{1,2}\s?[/.]\s?(?:19|20)?\d\d\b"
                           rf"|\b\d{{1,2}}\.?\s+(?:de\s+)?{_FOREIGN_MONTH}(?!\w)|\d{{4}}年\d{{1,2}}月\d{{1,2}}日")
# the start of a whole HTML document (after an XML declaration or comments)
# (a comment's body cannot hold "-->", so each text has one parse: no backtracking across comments)
_HTML_DOCUMENT = re.compile(r"\s*(?:<\?xml[^<>]*>\s*)?(?:<!--(?:[^-]|-(?!->))*-->\s*)*<(?:!doctype\s+html|html)\b", re.I)
DATELINE_HEAD_LINES = 4
TITLE_SEARCH_LINES = 4  # a text's headline is its first line the rules keep (after a dateline, a menu, a prompt)
TITLE_LEAD_LINES = 8  # ... that is about the text below it, when one is: shares words with these lines,
TITLE_LEAD_CHARS = 1500  # ... and characters
TITLE_SHARED_WORDS = 2
TITLE_STEM_CHARS = 4
TITLE_MIN_WORDS_UNRELATED = 3  # ... else the first, when it has this many words (and to be about the text)

_DEFAULT_EXTRACTORS: dict[tuple, HtmlExtractor] = {}
_DEFAULT_LOCK = threading.Lock()


def _reject(reason: str, detail: str) -> Rejected:
    return Rejected(reason, detail, stage=STAGE)


def default_extractor(config: CleaningConfig) -> HtmlExtractor:
    """A process-wide extractor for callers that do not bring their own (closed at exit)."""
    key = (config.extract_timeout_s, config.extractor_workers, config.favor_precision, config.include_comments,
           config.include_tables, config.fallback_min_chars, config.fallback_gain, config.fast_first,
           config.full_pass_below_chars)
    with _DEFAULT_LOCK:
        extractor = _DEFAULT_EXTRACTORS.get(key)
        if extractor is None:
            extractor = _DEFAULT_EXTRACTORS[key] = HtmlExtractor(config)
        return extractor


@atexit.register
def _close_default_extractors() -> None:
    with _DEFAULT_LOCK:
        for extractor in _DEFAULT_EXTRACTORS.values():
            extractor.close()
        _DEFAULT_EXTRACTORS.clear()


def _decode_bytes(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from trafilatura.utils import decode_file  # charset from <meta>, else detection
        return decode_file(data)


def _check_input(value: Any, limit: int, cfg: CleaningConfig, what: str) -> tuple[str, list[str]]:
    """The document as a clean str, or Rejected: empty, too_large, binary, invalid_input."""
    flags: list[str] = []
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value)
        if len(value) > limit:
            raise _reject("too_large", f"the {what} is {len(value)} bytes, over the {limit}-byte limit")
        value = _decode_bytes(value)
        flags.append("decoded_bytes")
    if not isinstance(value, str):
        raise _reject("invalid_input", f"the {what} is a {type(value).__name__}, not text")
    if len(value) > limit:  # at least one byte a character: over, without encoding 50 MB
        raise _reject("too_large", f"the {what} is {len(value)} characters, so at least {len(value)} UTF-8 bytes,"
                      f" over the {limit}-byte limit")
    utf8 = value.encode("utf-8", "surrogatepass")
    if len(utf8) > limit:
        raise _reject("too_large", f"the {what} is {len(utf8)} bytes, over the {limit}-byte limit")
    if not value.strip():
        raise _reject("empty", f"the {what} is empty")
    controls, replacements = control_ratio(value)
    if controls > cfg.binary_control_ratio:
        raise _reject("binary", f"{controls:.0%} of the {what} is control characters: binary data, not text")
    if replacements > cfg.binary_replacement_ratio:
        raise _reject("binary", f"{replacements:.0%} of the {what} is undecodable (U+FFFD): binary data, not text")
    if c0_count(utf8):
        value = strip_controls(unify_line_breaks(value), c1=False)
        flags.append("control_chars_removed")
    if what == "HTML":
        repaired = repair_declared_charset(value)
        if repaired is not None:
            value = repaired
            flags.append("charset_repaired")
        elif cfg.fix_mojibake:
            repaired = repair_utf8_mojibake(value, None if "control_chars_removed" in flags else utf8)
            if repaired is not None:
                value = repaired
                flags.append("mojibake_repaired")
    if not value.strip():
        raise _reject("empty", f"the {what} is empty")
    return value, flags


def _key(text: str | None) -> list[str]:
    return _WORDS.findall(text.casefold()) if text else []


def _similar(line: str, others: list[list[str]], threshold: float) -> bool:
    words = _key(line)
    if not words or len(line) > 300:
        return False
    for other in others:
        if not other:
            continue
        if words == other:
            return True
        a, b = set(words), set(other)
        if len(a & b) / len(a | b) >= threshold:
            return True
    return False


def _strip_site_from_title(title: str | None, site_name: str | None, host: str | None) -> str | None:
    """'Headline - Site Name' -> 'Headline' when the part cut off names the site."""
    if not title:
        return title
    if site_name and len(site_name.strip()) >= 3:
        # the site's whole name first: a name with a tagline ("LinkNaija | Nigeria's popular news
        # platform: Headline") would otherwise lose only the part the address names
        name = re.escape(site_name.strip())
        whole = re.fullmatch(rf"(?is){name}\s*(?:[:|\u2013\u2014\u00b7•»]|-|::)\s+(.+)"
                             rf"|(.+?)\s+(?:[|\u2013\u2014\u00b7•»]|-|::|:)\s*{name}", title.strip())
        if whole is not None:
            return (whole.group(1) or whole.group(2)).strip()
    names = {"".join(_key(site_name))} if site_name else set()
    if host:
        parts = host.split(".")
        names.update({"".join(_key(host)), "".join(_key(".".join(parts[-2:]))), parts[-2] if len(parts) > 1 else ""})
    names.discard("")
    if not names:
        return title
    separators = list(_TITLE_SEPARATORS.finditer(title))
    # the site's name may hold a separator of its own ("Remember 80/90 - Memorabilia anni 80/90"):
    # every tail after a separator is tried, the shortest first, then every head
    for sep in reversed(separators):
        if "".join(_key(title[sep.end():])) in names and title[:sep.start()].strip():
            return title[:sep.start()].strip()
    for sep in separators:
        if "".join(_key(title[:sep.start()])) in names and title[sep.end():].strip():
            return title[sep.end():].strip()
    return title


def _removed_dateline(head: list[str], kept: list[str]) -> str | None:
    """The first line at the top that the rules removed and that names a date ("July 28, 2004",
    "Posted: 14/09/2013 13:26"). The body is better without it, but it is often the only date an
    extracted text carries: the clusterer reads it as a date the article names."""
    kept_set = set(kept[:DATELINE_HEAD_LINES + 2])
    for line in head:
        if line not in kept_set and len(line) <= 160 and _DATE_IN_LINE.search(line):
            return line
    return None


def _headline_like(line: str) -> bool:
    """Short, not ending as a sentence, nor broken off inside one (on an article or a conjunction, or
    opening on a word in lower case: "Veteran Nollywood actress, Kate Henshaw, who in 2008, won the"),
    and without a web address: a line that names one is a product box ("RRP: £23.99 More info:
    www.clymer.co.uk") or a credit, not a headline."""
    return 0 < len(line) <= 200 and len(line.split()) <= 25 and not _HEADLINE_END.search(line) \
        and _BROKEN_OFF.search(line) is None and _WEB_ADDRESS.search(line) is None


SCRIPT_LANGUAGE_MIN_LETTERS = 6


def _in_a_telling_script(sample: str) -> bool:
    """Whether a text too short for the language model's usual minimum is written, four letters in
    five at least, in a script that narrows the language down: Chinese, Japanese, Korean, Arabic,
    Hebrew, Thai, Greek, Devanagari and the like. A headline of 20 Chinese characters says as much
    as 40 Latin ones, and left without a language it had no word splitting, no stop words and none
    of the clustering's care for scripts without capitals (languages.UNCASED_SCRIPT). Latin and Cyrillic
    headlines that short stay undecided: many languages share those scripts ("Пожар на складе в
    Москве" reads as Bulgarian)."""
    letters = [c for c in sample if c.isalpha()]
    if len(letters) < SCRIPT_LANGUAGE_MIN_LETTERS:
        return False
    telling = sum(1 for c in letters if c >= "\u0370" and not "\u0400" <= c <= "\u052f")
    return telling * 5 >= len(letters) * 4


def _stems(text: str) -> set[str]:
    """The words of four letters or more, cut to their first four ("kills" and "killed" are one)."""
    return {word[:TITLE_STEM_CHARS] for word in _WORDS.findall(text.casefold()) if len(word) >= TITLE_STEM_CHARS}


def _about_the_text(line: str, below: str, host: str | None = None) -> bool:
    """Whether a headline-like line of three words or more shares two of its words (of four letters
    or more, by their first four) with the text below it, or all of them when it has fewer; words of
    the site's own name, as its address spells it ("detroitnews"), do not count: a byline ("Detroit
    News wire services") repeats them. A site's banner ("Welcome to The Detroit News's EUROPEAN UNION
    EXPERIENCE"), a button ("Learn More") or a section's name ("Healthcare", which a text about
    health shares) is not about the text."""
    if WIDE_SCRIPT.search(line):  # written without spaces: words are not found by spaces
        return True
    words = _stems(line)
    if host:
        site = host.removeprefix("www.").rsplit(".", 1)[0]
        words = {word for word in words if word not in site}
    return len(line.split()) >= TITLE_MIN_WORDS_UNRELATED and bool(words) \
        and len(words & _stems(below)) >= min(TITLE_SHARED_WORDS, len(words))


def _text_headline(lines: list[str], kept: Callable[[str], str | None], host: str | None = None,
                   slug: frozenset[str] = frozenset()) -> tuple[int, str, set[int]] | None:
    """Where a text's headline is, the headline as the rules leave it, and the lines passed over above
    it: among the text's first ``TITLE_SEARCH_LINES`` lines, above its first line of prose, the lines
    that the rules keep (``kept`` gives such a line as they leave it, else None) and that read like a
    headline; the first of them that is about the text below it (:func:`_about_the_text`) or that the
    text's address names (``slug``: a headline may end in "!" there), the ones before it passed over;
    else the first of them, when it has ``TITLE_MIN_WORDS_UNRELATED`` words."""
    candidates: list[tuple[int, str]] = []
    for index in range(min(TITLE_SEARCH_LINES, len(lines) - 1)):
        line = kept(lines[index])
        if not line:
            continue
        if slug and names_headline(line, slug) and _WEB_ADDRESS.search(line) is None:
            return index, line, {i for i, _ in candidates}
        if not _headline_like(line):
            break
        if _about_the_text(line, "\n".join(lines[index + 1:index + 1 + TITLE_LEAD_LINES])[:TITLE_LEAD_CHARS], host):
            return index, line, {i for i, _ in candidates}
        candidates.append((index, line))
    # none is about the text: the first, unless it is a word or two (a section's name, "Healthcare")
    return (*candidates[0], set()) if candidates and len(candidates[0][1].split()) >= TITLE_MIN_WORDS_UNRELATED else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def _finish(raw: RawArticle, body: str, meta: dict[str, Any], flags: list[str], cfg: CleaningConfig,
            memory: BoilerplateMemory | None) -> CleanedArticle:
    rules = Rules.load(cfg.rules_path)
    fix = cfg.fix_mojibake
    url = raw.url or meta.get("url")
    host = _host(url)
    site_name = normalise_inline(meta.get("sitename"), fix_mojibake=fix)
    # one ISO 8601 form for every later stage; a raw time that cannot be read gives way to the page's own
    # and a time days ahead of now is dropped too (flagged), as is such a fetched_at
    now = time.time()
    published = normalise_published(raw.published)
    if raw.published and published is None:
        flags.append("published_unreadable")
    elif in_future(published, now):
        flags.append("published_in_future")
        published = None
    if published is None:
        published = normalise_published(meta.get("date"))
        if in_future(published, now):
            published = None
    fetched_at = raw.fetched_at
    if in_future(fetched_at, now):
        flags.append("fetched_at_in_future")
        fetched_at = None

    if raw.html is None:
        unmarked = strip_markup(body)
        if unmarked is not None:
            body = unmarked
            flags.append("markup_removed")
        plain = strip_markdown(body)
        if plain is not None:
            body = plain
            flags.append("markdown_removed")
    text = normalise_text(body, fix_mojibake=fix)
    lines = [line for line in text.split("\n") if line]
    glued_headline = None
    if raw.html is None:  # a whole page's visible text: the article's lines, from its headline
        article = article_lines(lines, lambda line: bool(rules.clean_lines([line], host=host, published=published)[0]),
                                url=url)
        if article is not None:
            lines = article
            flags.append("page_text_trimmed")
        else:  # ... or one whose line breaks were lost: the article's run of words, and its headline
            glued = glued_page(text, url)
            if glued is not None:
                lines = [line for line in glued[0].split("\n") if line]
                glued_headline = glued[1]
                flags.append("page_text_trimmed")

    title = normalise_inline(raw.title, fix_mojibake=fix)
    page_title = normalise_inline(meta.get("title"), fix_mojibake=fix)
    if not title and page_title:
        title = _strip_site_from_title(page_title, site_name, host)
    if not title and glued_headline:
        title = normalise_inline(glued_headline)
        flags.append("title_from_text")
    if not title and raw.html is None and len(lines) > 1:
        # The headline opens the text, after lines the rules remove whole (a dateline such as
        # "Thursday, December 11, 2008", or "UPDATED: ..."), which stay for the dateline pass.
        # Headline-like lines above it that are not about the text (a site's banner, a "Learn More"
        # button) go with it: they are neither the headline nor the article; one that names a date
        # stays for the dateline pass.
        found = _text_headline(lines, lambda line: next(iter(rules.clean_lines([line], host=host, published=published)[0]), None),
                               host, slug_words(url))
        if found is not None:
            index, title, passed = found
            lines = [line for i, line in enumerate(lines[:index])
                     if i not in passed or _DATE_IN_LINE.search(line)] + lines[index + 1:]
            flags.append("title_from_text")
    # The headline is the title, not a line of the body: any of the first three lines that repeats it
    # goes (a headline-like line with a looser match, as sites vary their headlines a little). So does
    # a headline-like standfirst at the top that repeats the page's description; a first paragraph
    # that repeats it is kept, as many sites use their lede as the description.
    heading = normalise_inline(meta.get("heading"), fix_mojibake=fix)  # the page's own <h1>, when it differs
    title_keys = [_key(t) for t in {title, page_title, heading} if t]
    description_key = [_key(meta.get("description"))] if meta.get("description") else []
    top: list[str] = []
    for index, line in enumerate(lines[:3]):
        headline_like = _headline_like(line) and len(line) <= 160
        if _similar(line, title_keys, 0.6 if headline_like else 0.8):
            continue
        if index < 2 and headline_like and _similar(line, description_key, 0.8):
            continue
        top.append(line)
    lines = top + lines[3:]

    before_rules = " ".join(lines[:40])
    head = lines[:DATELINE_HEAD_LINES]
    lines, hits = rules.clean_lines(lines, host=host, published=published)
    dateline = _removed_dateline(head, lines)
    if hits:
        flags.append("boilerplate_removed")
    if memory is not None and lines:
        lines, learned = memory.filter(raw.source, raw.id, lines)
        if learned:
            flags.append("learned_boilerplate_removed")
    lines = drop_related_headlines(drop_repeated_captions(lines))
    text = "\n\n".join(rejoin_wrapped(lines))

    if len(text) < cfg.min_text_chars and text_length(text) < cfg.min_text_chars:
        wall = rules.wall(" ".join(filter(None, [title, before_rules])))
        # Sent as text, a headline and a sentence or two is a brief (a feed's summary, a wire item,
        # a title-only dataset row). From a page, so little text is a failed extraction, a gallery
        # or a video shell; so it is from a whole page's text cut down to a few lines.
        if (not wall and raw.html is None and "page_text_trimmed" not in flags
                and word_count(_ADDRESS.sub(" ", f"{title or ''} {text}")) >= cfg.brief_min_words):
            flags.append("brief")
            if not text:  # no body, or one that only repeated the headline
                flags.append("headline_only")
        else:
            detail = f"{wall.replace('_', ' ')}" if wall else "too little text"
            raise _reject("not_article", f"{detail}: {len(text)} characters of body after cleaning")
    if not _has_words(f"{title or ''} {text}", cfg.brief_min_words):
        # a run of dots, dashes, digits or invisible marks is no article of any length, and its
        # exact-copy key (its words) would be that of every other such text
        raise _reject("not_article", f"no text to read: {len(text)} characters of body without "
                      f"{cfg.brief_min_words} words in them")
    if len(text) < cfg.wall_max_chars:
        # judged on what is left: a short article whose footer the rules removed ("Cookie settings",
        # "Subscribe") is still an article; a wall keeps its prompt, or leaves too little text (above)
        wall = rules.wall(" ".join(filter(None, [title, text])))
        if wall:
            raise _reject("not_article", f"{wall.replace('_', ' ')} ({len(text)} characters of body)")
    if len(text) < cfg.short_text_chars and text_length(text) < cfg.short_text_chars:
        flags.append("short_text")
    if not title:
        flags.append("no_title")

    language = None
    sample = text or title or ""  # a headline-only item has its headline to tell its language by
    if cfg.detect_language and len(sample) >= cfg.language_min_chars:
        language = detect_language(sample, min_chars=cfg.language_min_chars)
    elif cfg.detect_language and _in_a_telling_script(sample):
        language = detect_language(sample, min_chars=SCRIPT_LANGUAGE_MIN_LETTERS)
    if language is None:
        language = language_tag(raw.language) or language_tag(meta.get("html_lang"))
    else:
        flags.append("language_detected")

    author = normalise_inline(meta.get("author"), fix_mojibake=fix)
    return CleanedArticle(
        id=raw.id, source=raw.source, url=raw.url, canonical_url=canonical_url(url, rules.tracking_params),
        title=title, text=text, author=author, published=published, fetched_at=fetched_at,
        site_name=site_name, language=language, flags=flags, dateline=dateline)


def _headline_only(raw: RawArticle) -> bool:
    """An empty text under a title: a feed entry or dataset row that carries its headline alone,
    which the brief rule in _finish judges like any short text."""
    return (isinstance(raw.text, str) and not raw.text.strip()
            and isinstance(raw.title, str) and bool(raw.title.strip()))


def _prepare(raw: RawArticle, cfg: CleaningConfig) -> tuple[str | None, str | None, list[str]]:
    if raw.html is not None and raw.text is not None:
        raise _reject("invalid_input", "a raw article carries exactly one of html or text (it has both)")
    if raw.html is not None:
        html, flags = _check_input(raw.html, cfg.max_html_bytes, cfg, "HTML")
        return html, None, flags
    if raw.text is not None:
        if _headline_only(raw):
            return None, "", []
        text, flags = _check_input(raw.text, cfg.max_text_bytes, cfg, "text")
        return None, text, flags
    raise _reject("empty", "the raw article has neither html nor text")


def _meta_from_raw(raw: RawArticle) -> dict[str, Any]:
    extra = raw.meta or {}
    return {"author": extra.get("author"), "sitename": extra.get("site_name")}


def _finish_text(raw: RawArticle, text: str, flags: list[str], cfg: CleaningConfig,
                 memory: BoilerplateMemory | None) -> CleanedArticle:
    """A text article; a reader service's header above it ("Title:", "URL Source:", "Published Time:",
    "Markdown Content:") gives the page's title, URL and date, as a page's metadata does (flag
    reader_header_read)."""
    meta = _meta_from_raw(raw)
    header = reader_header(text)
    if header is not None:
        fields, text = header
        meta.update(fields)
        flags.append("reader_header_read")
        if raw.url is None and fields.get("url", "").startswith(("http://", "https://")):
            raw = dataclasses.replace(raw, url=fields["url"])
    return _finish(raw, text, meta, flags, cfg, memory)


def _from_extraction(raw, result, flags, cfg, memory) -> CleanedArticle:
    if result.get("fallback"):
        flags.append("fallback_extraction")
    extra = _meta_from_raw(raw)
    result = {**{k: v for k, v in extra.items() if v}, **{k: v for k, v in result.items() if v}}
    if not (result.get("text") or "").strip():
        raise _reject("not_article", "no article text found in the page")
    if len(result["text"]) > cfg.max_text_bytes or len(result["text"].encode("utf-8", "surrogatepass")) > cfg.max_text_bytes:
        raise _reject("too_large", f"the page's article text is {len(result['text'].encode('utf-8', 'surrogatepass'))} "
                      f"bytes, over the {cfg.max_text_bytes}-byte limit of a text")
    return _finish(raw, result["text"], result, flags, cfg, memory)


def _page_sent_as_text(raw: RawArticle) -> tuple[RawArticle, list[str]]:
    """A whole HTML document sent as ``text`` is cleaned as the page it is (flag html_given_as_text)."""
    if raw.html is None and isinstance(raw.text, str) and _HTML_DOCUMENT.match(raw.text[:2000]):
        return dataclasses.replace(raw, html=raw.text, text=None), ["html_given_as_text"]
    return raw, []


def clean(raw: RawArticle, *, memory: BoilerplateMemory | None = None, extractor: HtmlExtractor | None = None,
          config: CleaningConfig | None = None) -> CleanedArticle:
    """Clean one raw article; raises Rejected(reason, detail, stage="clean")."""
    cfg = config or (extractor.config if extractor is not None else CleaningConfig())
    raw, given = _page_sent_as_text(raw)
    html, text, flags = _prepare(raw, cfg)
    flags += given
    if html is not None:
        result = (extractor or default_extractor(cfg)).extract(html, raw.url)
        return _from_extraction(raw, result, flags, cfg, memory)
    return _finish_text(raw, text, flags, cfg, memory)


async def aclean(raw: RawArticle, *, memory: BoilerplateMemory | None = None,
                 extractor: HtmlExtractor | None = None, config: CleaningConfig | None = None) -> CleanedArticle:
    """clean() for the event loop: HTML extraction runs in a worker process, awaited on a thread."""
    cfg = config or (extractor.config if extractor is not None else CleaningConfig())
    raw, given = _page_sent_as_text(raw)
    html, text, flags = _prepare(raw, cfg)
    flags += given
    if html is not None:
        result = await (extractor or default_extractor(cfg)).aextract(html, raw.url)
        return _from_extraction(raw, result, flags, cfg, memory)
    return _finish_text(raw, text, flags, cfg, memory)
