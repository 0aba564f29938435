"""The article inside the visible text of a whole page.

A scraper that keeps a page's text but drops its markup hands over everything around the article
too: the menu one item per line, teaser headlines, bylines of other stories, footer links, cookie
notices. With no markup left, what marks the article is prose: long lines that read as sentences,
one after another. The article is taken to be the run of lines where prose outweighs the rest most
(the maximum-sum run, with prose counted by its length and every other line against it), which
cuts the menus above and the footers and teaser lists below while keeping short lines that sit
between paragraphs (subheadings, quotes, a photo credit). Readers' comments are prose too: the run
ends before a comment-section heading ("12 Comments") that follows the article.

This only runs on text that reads as a page: at least ``MIN_LINES`` lines, at least half of them
not prose, or any text that carries a site's furniture of several kinds by name (:func:`looks_like_page`:
a menu, "Skip to content" / "Sign in" / a cookie notice, a copyright footer, a "Related articles"
tail), which is how a short page is told from a short article. An article's own text rarely looks
like that; on the scrapinghub benchmark's ground-truth bodies given as text, 13 of 181 do (listicles,
tables, reviews), against 175 of the 181 pages' own text (docs/cleaning.md, "Whole-page text").
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..scripts import WIDE_SCRIPT
from .teaser_list import content_words, teaser_list_start
from .url_headline import headline_at, names_headline, slug_words

MIN_LINES = 30  # fewer lines than this is never taken for a whole page
MIN_FURNITURE_SHARE = 0.5  # ... nor is text of which fewer lines than this are not prose
FURNITURE_WEIGHT = 2.0  # a line that is not prose counts against the run by twice its length
FURNITURE_FLOOR = 20  # ... and by at least this many characters, however short
HEADLINE_LOOKBACK = 20  # lines above the article searched for its headline
FAR_HEADLINE_LOOKBACK = 40  # ... and further up, for a line that shares FAR_MIN_SHARED words and half its own
FAR_MIN_SHARED = 3
FAR_MIN_WORDS = 5  # ... and has this many words: a menu item ("Weight Loss Tips") shares a blog's words too
NAMED_HEADLINE_LOOKBACK = 40  # ... for the line its address names
LEAD_LINES = 5  # ... and that shares at least MIN_SHARED words with the article's first lines
MIN_SHARED = 2
WRAPPED_WORDS = 6  # a line of this many words that runs on into the next is part of one sentence
COMMENTS_AFTER = 500  # characters of prose above a comment-section heading that make it one
REPEAT_MIN_CHARS = 40  # a prose line this long that repeats an earlier one adds nothing to the run
MIN_LIST_ITEMS = 4  # lines of one separator that carry the article on past its run, unannounced
MIN_ITEM_WORDS = 4  # ... with this many words on average
LIST_HEADING_WORDS = 6  # a line of at most this many words over such a list is its heading
MIN_PROSE_BELOW = 400  # characters of prose a run below the page's headline needs to replace one above it
HEADLINE_START_WORDS = 4  # a run that starts above the headline starts at it when the address names it by this many words
MENU_RUN = 3  # lines in a row of at most MENU_ITEM_WORDS words each, above the first prose line: a site's menu
MENU_ITEM_WORDS = 3
CONTROL_MAX_CHARS = 40  # a line naming a control ("Sign in", "Skip to main content") is no longer
COOKIE_MAX_CHARS = 300  # ... a cookie notice no longer than this
FOOTER_LINES = 4  # a copyright line among the last lines, below the last prose line: a site's footer

# the heading of a comment section, in the languages whose furniture the rules know
_COMMENTS = re.compile(r"(?i)\s*[\[(]?\s*(?:\d+\s+)?(?:(?:top|best|latest|newest|most recent|top rated|readers'?) )?"
                       r"(?:comments?|responses?|replies|leave a (?:comment|reply)|"
                       r"join the (?:conversation|discussion)|discussion|kommentare?|commentaires?|comentarios?|"
                       r"commenti|comentários|reacties|комментарии|コメント)\s*(?:\(\d+\))?\s*[\])]?\s*[:.]?\s*$")
# "34 responses to “Title”", "12 thoughts on “Title”": a comment section that names the post, prose or not
_COMMENTS_ON = re.compile(r"(?i)\s*\d+\s+(?:comments?|responses?|replies|thoughts|reactions)\s+(?:to|on)\s+[\"“„«'‘]")
# the heading of a fact check's sources or of its notes on itself, which close it
_SOURCES = re.compile(r"(?i)\s*(?:our )?sources\s*:?\s*|\s*about this (?:statement|article|rating|fact[- ]check)\s*:?\s*")
_CAPITAL = "[A-ZÀ-ÖØ-ÞА-ЯЁ]"  # a name's first letter ("Émile", "Иван"), in the Latin and Cyrillic scripts
# the heading over the author's biography ("About Brigit Katz", "Über Moritz Bachmann", "About the
# author"), which closes the article as well: a name of two or three capitalised words, or the author
_ABOUT_AUTHOR = re.compile(
    r"\s*(?i:about|über|à propos de|sobre|acerca de)\s+(?:(?i:the author|den autor|die autorin|l'auteur|"
    r"(?:el|o) autor|a autora)|{C}[\w'’.-]+(?:\s+{C}[\w'’.-]+){{1,2}})\s*:?\s*".format(C=_CAPITAL))
# the author's biography itself: "Julius is an LA Entertainment Reporter for Fox News.", "Molly Wood
# (@mollywood) is an Ideas contributor at WIRED and ...", "Anna Schmidt ist Redakteurin im Ressort
# Politik", "Jean Dupont est journaliste au service politique": prose, but not the article's; counted as
# furniture, so that it ends the run, and a reporter named so inside the article costs one line's length
_BIO_ROLES = (  # "<name> is a ... reporter", in each language whose furniture the rules know
    r"(?:is|was)\s+(?:an?|the)\s+(?:[\w,&'’-]+\s+){0,5}?(?:(?:staff |senior |contributing |freelance )?(?:writer|"
    r"reporter|journalist|editor|correspondent|columnist|contributor|producer|photographer|blogger))s?",
    r"(?:ist|war)\s+(?:(?:ein|eine|der|die)\s+)?(?:[\w,&'’-]+\s+){0,4}?\w*(?:redakteur|journalist|korrespondent|"
    r"reporter|autor|kolumnist|fotograf)(?:in)?",
    r"(?:est|était)\s+(?:(?:un|une|le|la)\s+)?(?:[\w,&'’-]+\s+){0,3}?(?:journaliste|rédact(?:eur|rice)|"
    r"correspondante?|reporter|chroniqueu(?:r|se)|éditorialiste)",
    r"(?:es|era)\s+(?:(?:un|una|el|la)\s+)?(?:[\w,&'’-]+\s+){0,3}?(?:periodista|redactora?|corresponsal|"
    r"reportera?|columnista)",
    r"(?:è|era)\s+(?:(?:un|una|il|la|lo)\s+)?(?:[\w,&'’-]+\s+){0,3}?(?:giornalista|redattore|redattrice|"
    r"corrispondente|inviat[oa]|editorialista)",
    r"(?:é|era)\s+(?:(?:um|uma|o|a)\s+)?(?:[\w,&'’-]+\s+){0,3}?(?:jornalista|repórter|correspondente|"
    r"redatora?|colunista)",
    r"[—–-]\s+(?:(?:[\w-]+\s+){0,2}?(?:журналист|корреспондент|обозреватель|редактор))",
)
_AUTHOR_BIO = re.compile(
    rf"\s*(?:{_CAPITAL}[\w'’.-]*\s+){{0,3}}{_CAPITAL}[\w'’.-]+(?:\s+\([^()]{{1,60}}\))?,?\s+"
    rf"(?i:{'|'.join(f'(?:{role})' for role in _BIO_ROLES)})\b")
# what a site puts around every article, by name: a skip link, the sign-in and search boxes, the menu
# button, a cookie notice and its buttons; in English and in the languages whose furniture the rules know
_CHROME = re.compile(
    r"(?i)\s*(?:skip (?:to |navigation)(?:the )?(?:main )?(?:content|navigation|menu|search)?|"
    r"(?:sign|log) ?(?:in|up|out)(?:\s*(?:/|\||or|and)\s*(?:sign ?up|register|subscribe))?|register|my account|"
    r"(?:main |open |close |toggle )?(?:menu|navigation)|search(?: for)?|subscribe(?: now)?|"
    r"(?:accept|allow|reject|decline|refuse)(?: all)?(?: cookies)?|manage (?:cookies|preferences|consent|settings)|"
    r"cookie (?:settings|policy|preferences|consent)|"
    r"anmelden|einloggen|registrieren|suche|menü|mein konto|abonnieren|alle akzeptieren|cookie-einstellungen|"
    r"se connecter|connexion|s'inscrire|rechercher|s'abonner|mon compte|tout accepter|gérer les cookies|"
    r"iniciar sesión|regístrate|registrarse|buscar|menú|suscríbete|mi cuenta|aceptar todo|"
    r"accedi|registrati|cerca|abbonati|il mio account|accetta tutto|"
    r"entrar|cadastre-se|pesquisar|assine|minha conta|aceitar todos|inloggen|zoeken|abonneren|"
    r"войти|вход|регистрация|поиск|меню|подписаться|личный кабинет|ログイン|会員登録|新規登録|検索|メニュー)"
    r"\s*[.!…]*\s*$")
_COOKIE_NOTICE = re.compile(r"(?i)\b(?:uses?|using) cookies\b")
# the footer's copyright notice
_COPYRIGHT = re.compile(r"(?i)\s*(?:©|\(c\)|copyright\b).{0,160}|.{0,160}\b(?:all rights reserved|alle rechte "
                        r"vorbehalten|tous droits réservés|todos los derechos reservados|tutti i diritti riservati|"
                        r"todos os direitos reservados|все права защищены)\b.{0,80}")
# the marker over a list of other stories
_RELATED = re.compile(
    r"(?i)\s*(?:related|more|most (?:read|popular|viewed|shared)|read (?:more|next|also)|also read|"
    r"you (?:may|might) also (?:like|enjoy)|recommended(?: for you)?|trending(?: now)?|top stories|latest|"
    r"more (?:from|in|on) .{1,40}|don.?t miss|editor.s picks?|"
    r"mehr zum thema|das könnte sie (?:auch )?interessieren|ähnliche artikel|(?:à )?lire aussi|sur le même sujet|"
    r"noticias relacionadas|te puede interesar|potrebbe interessarti|leggi anche|leia também|você pode gostar|"
    r"lees ook|похожие (?:материалы|новости|статьи)|читайте также|по теме|関連記事|関連ニュース|あわせて読みたい|"
    r"人気記事(?:ランキング)?)"
    r"(?: (?:articles|stories|news|posts|content|links|coverage|reading|videos))?\s*[:.…|]*\s*$")
_BULLET = re.compile(r"\s*[-•·*]\s+")
_WIDE_RUN = re.compile(f"(?:{WIDE_SCRIPT.pattern})+")
_MENU_LINE = re.compile(r"[^|•·]{1,30}(?:[|•·][^|•·]{1,30}){3,}")
_SENTENCE_END = re.compile(r"[.!?:;\"'”»)…。！？」』]\s*$")
_STATEMENT_END = re.compile(r"[.!?…。！？]['\"”’»)]*\s*$")
_SEPARATOR = re.compile(r" (?:--|[-–—|]) |: |, ")
_NUMBER = re.compile(r"[\d.,:%/+\-–]+")
# a numbered or bulleted item of four words or more: a list in the article more often than a menu
_LIST_ITEM = re.compile(r"\s*(?:\d{1,2}[.)]|[•·\-–*])\s+\S+(?:\s+\S+){3,}")


def is_prose(line: str) -> bool:
    """A line that reads as running text: eight words or more that end as a sentence does, or fifteen
    words or more (in Chinese, Japanese and Korean, which need no spaces: 20 characters that end a
    sentence, or 60)."""
    wide = len(WIDE_SCRIPT.findall(line))
    if wide >= 20:
        return wide >= 60 or _SENTENCE_END.search(line) is not None
    words = len(line.split())
    return words >= 15 or (words >= 8 and _SENTENCE_END.search(line) is not None)


def _neutral(line: str) -> bool:
    """A table row (mostly numbers) or a list item: not prose, but not furniture either."""
    tokens = line.split()
    if len(tokens) >= 3 and sum(_NUMBER.fullmatch(t) is not None for t in tokens) >= 0.4 * len(tokens):
        return True
    return _LIST_ITEM.match(line) is not None


def _headline_like(line: str) -> bool:
    words = _word_count(line)
    return 3 <= words <= 25 and len(line) <= 200 and not _SENTENCE_END.search(line)


def _word_count(line: str) -> float:
    """Words split by spaces, a character of Chinese, Japanese or Korean counting half a word: those
    scripts write a headline without spaces ("政府、新たな子育て支援策を閣議決定" is one run)."""
    wide = len(WIDE_SCRIPT.findall(line))
    return len(WIDE_SCRIPT.sub(" ", line).split()) + wide / 2 if wide else len(line.split())


def _content_words(text: str) -> set[str]:
    """The words a headline shares with its lead; in scripts written without spaces, each pair of
    neighbouring characters ("支援", "援策"), since a run of them is a whole clause, not a word."""
    words = content_words(text, 4)
    if not WIDE_SCRIPT.search(text):
        return words
    pairs = {run[i:i + 2] for run in _WIDE_RUN.findall(text) for i in range(len(run) - 1)}
    return {word for word in words if not WIDE_SCRIPT.search(word)} | pairs


def article_lines(lines: list[str], kept: Callable[[str], bool] = bool, url: str | None = None) -> list[str] | None:
    """The article's lines when the text reads as a whole page: the maximum-sum run, opened by its
    headline; None when the text does not read as a page, or has no prose at all. ``url``, the
    page's address, helps find the run when its words name the headline (:mod:`.url_headline`).

    The headline is the nearest line the address names (:func:`.url_headline.names_headline`) that
    ``kept`` does not reject, among the run's first line and the ``NAMED_HEADLINE_LOOKBACK`` lines
    above it. Failing that, it is the line among the first line of the page (where a scraper puts the
    page's title) and the ``HEADLINE_LOOKBACK`` lines above the run that is headline-like, that ``kept``
    does not reject (the cleaning passes its rules: not a byline, a date, a share button) and that
    shares most words with the run's first ``LEAD_LINES`` lines (``MIN_SHARED`` at least, and a
    third of its own), or, up to ``FAR_HEADLINE_LOOKBACK`` lines above the run (past a share panel),
    a line of ``FAR_MIN_WORDS`` words that shares ``FAR_MIN_SHARED`` words and half its own:
    what stands above an article is as often a section menu or a teaser as its headline. Nothing
    else above the run is kept (byline, share buttons, captions, dateline): keeping those lines
    merged more unrelated pages of the benchmark (docs/cleaning.md)."""
    span = _run(lines, url, kept)
    if span is None:
        return None
    start, end = span
    slug = slug_words(url)
    for index in range(start, max(-1, start - 1 - NAMED_HEADLINE_LOOKBACK), -1) if slug else ():
        # the nearest line the address names is the headline, even when the lead words it otherwise
        # ("New York man pleads guilty to threatening to kill Rep. Ilhan Omar" over "Patrick W.
        # Carlineo Jr., 55, faces up to 10 years in prison"); nearer than a breadcrumb trail
        # ("Home Holidays Homemade Spiced Honey Pear Jam") that repeats it. The run may open with it.
        if names_headline(lines[index], slug) and kept(lines[index]):
            return [lines[index], *lines[start:end]] if index < start else lines[start:end]
    lead = _content_words(" ".join(lines[start:start + LEAD_LINES]))
    best, best_shared = None, MIN_SHARED - 1
    for index in [*range(start - 1, max(-1, start - 1 - FAR_HEADLINE_LOOKBACK), -1), 0]:
        if index >= start or not _headline_like(lines[index]):
            continue
        words = _content_words(lines[index])
        shared = len(words & lead)
        far = start - index > HEADLINE_LOOKBACK and index > 0
        if far and (shared < FAR_MIN_SHARED or 2 * shared < len(words) or len(lines[index].split()) < FAR_MIN_WORDS):
            continue
        if shared > best_shared and 3 * shared >= len(words) and kept(lines[index]):
            best, best_shared = index, shared
    if best is None:
        return lines[start:end]
    return [lines[best], *lines[start:end]]


def _run(lines: list[str], url: str | None = None, kept: Callable[[str], bool] = bool) -> tuple[int, int] | None:
    """``(start, end)`` of the maximum-sum run of lines, or None (not a page, or no prose). Under
    ``MIN_LINES`` lines, a prose line that ``kept`` rejects (a cookie notice) counts as furniture. When
    the run ends above the page's headline (found by the words of ``url``, its address: a footer of
    legal text can outweigh a short report cut by a table), the run is looked for below it; when it
    starts above the headline, it starts at the headline."""
    if len(lines) < MIN_LINES:
        if not _may_carry_a_site(lines):
            return None
        prose = _prose_lines(lines)
        if not looks_like_page(lines, prose):
            return None
        # a prose line that the rules remove (a cookie notice) is furniture: in a short page there is
        # too little article around it to outweigh it
        prose = [p and kept(line) for p, line in zip(prose, lines)]
        if not any(prose):
            return None
    else:
        prose = _prose_lines(lines)
        if not any(prose) or (prose.count(False) < MIN_FURNITURE_SHARE * len(lines)
                              and not looks_like_page(lines, prose)):
            return None
    start, end = _span(lines, prose)
    slug = slug_words(url)
    headline = headline_at(lines, slug) if slug else None
    if headline is not None and end <= headline:
        below = _span(lines[headline:], prose[headline:])
        if sum(len(lines[i]) for i in range(headline + below[0], headline + below[1]) if prose[i]) >= MIN_PROSE_BELOW:
            start, end = headline + below[0], headline + below[1]
    elif headline is not None and start < headline < end and _may_be_headline(lines[headline]) \
            and len(slug) >= HEADLINE_START_WORDS:
        start = headline  # nor does it start above it: teasers with summaries above the headline go
    teasers = teaser_list_start(lines, start, end, prose)
    return start, end if teasers is None else teasers


def looks_like_page(lines: list[str], prose: list[bool] | None = None) -> bool:
    """Whether a text plainly is a page's visible text, not an article, however few its lines: it
    carries what a site puts around an article, of two kinds or more with the site's own controls
    among them, or of three kinds. The kinds: a menu (``MENU_RUN`` lines in a row of one to three
    words, or one line of four items between bars, above the first prose line), the site's controls
    named ("Skip to content", "Sign in", "Search", a cookie notice, "Accept all"), a copyright notice
    among the last ``FOOTER_LINES`` lines below the last prose line, a "Related articles" marker below
    the last prose line. An article's own text, a brief or a list-style article has none of these, or
    one (a copyright line at the end, a list of one-word items). ``prose``: :func:`_prose_lines`, if
    the caller has it."""
    prose = _prose_lines(lines) if prose is None else prose
    if not any(prose):
        return False
    first = prose.index(True)
    last = len(lines) - 1 - prose[::-1].index(True)
    menu = chrome = footer = related = False
    streak = 0
    for index, line in enumerate(lines):
        if prose[index]:
            streak = 0
        else:
            item = _BULLET.sub("", line, count=1) if _BULLET.match(line) else line
            short = len(item.split()) <= MENU_ITEM_WORDS and not _STATEMENT_END.search(item)
            streak = streak + 1 if short else 0
            if index < first and (streak >= MENU_RUN or _MENU_LINE.fullmatch(item)):
                menu = True
        if not chrome and _control(line):
            chrome = True
        if index > last:
            if index >= len(lines) - FOOTER_LINES and _COPYRIGHT.fullmatch(line):
                footer = True
            if _RELATED.fullmatch(line):
                related = True
    kinds = menu + chrome + footer + related
    return kinds >= 3 or (chrome and kinds >= 2)


def _control(line: str) -> bool:
    """A line that names one of the site's own controls, or a cookie notice; a menu's item too, bullet
    and all ("- Sign in": Markdown writes a menu as a list)."""
    if _BULLET.match(line):
        line = _BULLET.sub("", line, count=1)
    if len(line) <= CONTROL_MAX_CHARS and _CHROME.fullmatch(line):
        return True
    return (len(line) <= COOKIE_MAX_CHARS and ("ookie" in line or "OOKIE" in line)
            and _COOKIE_NOTICE.search(line) is not None)


def _may_carry_a_site(lines: list[str]) -> bool:
    """A cheap screen for :func:`looks_like_page`, which needs a menu or the site's controls: a line
    that names a control, or ``MENU_RUN`` short lines in a row (most articles have neither)."""
    streak = 0
    for line in lines:
        if len(line) <= CONTROL_MAX_CHARS and len(line.split()) <= MENU_ITEM_WORDS + 1:
            streak += 1
            if streak >= MENU_RUN or _control(line):
                return True
        else:
            streak = 0
            if _control(line) or ("|" in line or "•" in line or "·" in line) and _MENU_LINE.fullmatch(line):
                return True
    return False


def _may_be_headline(line: str) -> bool:
    """A line that can be a headline: 25 words at most, not ending as a sentence (a closing quote may
    end it: 'Coach: "We needed to win this game"')."""
    return len(line.split()) <= 25 and _STATEMENT_END.search(line) is None


def _span(lines: list[str], prose: list[bool]) -> tuple[int, int]:
    """The maximum-sum run, ended before the readers' comments, with a list that closes it. A prose line
    that repeats an earlier one counts for nothing: pages that carry their article twice (a hidden
    print or AMP copy, a teaser of it) would otherwise take in the furniture between the copies."""
    repeated = _repeated(lines, prose)
    closing = _comments_start(lines, prose)
    best_start, best_end = best_run([
        0.0 if repeated[index] else float(len(line)) if prose[index] else 0.0 if _neutral(line)
        else -FURNITURE_WEIGHT * max(len(line), FURNITURE_FLOOR)
        for index, line in enumerate(lines[:closing])])
    best_start, best_end = _with_closing_list(lines, prose, best_start, best_end)
    return best_start, min(best_end, max(closing, best_start + 1))  # nothing below the comments or the sources


def _with_closing_list(lines: list[str], prose: list[bool], best_start: int, best_end: int) -> tuple[int, int]:
    """The run with the table or list that closes the article, announced ("Tour dates:") or not."""
    while best_end < len(lines) and not prose[best_end] and _neutral(lines[best_end]):
        best_end += 1  # a table or list that closes the article
    # "Tour dates:" announces a list (at the run's end, or just after it): its items follow, each of
    # one shape with a digit or a separator ("June 9 -- Arena, City"), two at least ("Tags:" and a
    # few plain words is not such a list)
    intro = best_end - 1 if lines[best_end - 1].rstrip().endswith(":") else best_end
    if intro < len(lines) - 2 and lines[intro].rstrip().endswith(":"):
        shape, end = _item_shape(lines[intro + 1]), intro + 1
        while shape != (False, None) and end < len(lines) and not prose[end] and _item_shape(lines[end]) == shape:
            end += 1
        if end - intro > 2:
            return best_start, end
        return best_start, best_end
    return best_start, _unannounced_list_end(lines, best_end)


def _repeated(lines: list[str], prose: list[bool]) -> list[bool]:
    """Which prose lines of ``REPEAT_MIN_CHARS`` or more repeat an earlier line word for word."""
    seen: set[str] = set()
    repeated = [False] * len(lines)
    for index, line in enumerate(lines):
        if prose[index] and len(line) >= REPEAT_MIN_CHARS:
            repeated[index] = line in seen
            seen.add(line)
    return repeated


def _unannounced_list_end(lines: list[str], end: int) -> int:
    """Where a list that closes the article without a colon to announce it ends (``end`` if none):
    ``MIN_LIST_ITEMS`` lines or more right after the run, or after a short heading ("Tour Dates",
    "Qualified teams"), that use the same separator ("June 9 – City @ Venue", "Q: ...", "England
    (Group A): 10th appearance") and average ``MIN_ITEM_WORDS`` words. Items may read as prose (an
    interview's answers). A menu's items seldom share a separator, and those that do are shorter
    ("iOS 13: Maps")."""
    for first in (end, end + 1):
        if first >= len(lines) or (first > end and len(lines[end].split()) > LIST_HEADING_WORDS):
            break
        separator = _item_shape(lines[first])[1]
        if separator is None:
            continue
        stop = first
        while stop < len(lines) and _item_shape(lines[stop])[1] == separator:
            stop += 1
        items = lines[first:stop]
        if len(items) >= MIN_LIST_ITEMS and sum(len(item.split()) for item in items) >= MIN_ITEM_WORDS * len(items):
            return stop
    return end


def best_run(scores: list[float]) -> tuple[int, int]:
    """``(start, end)`` of the run of items whose scores have the highest sum ((0, 0) if none is positive)."""
    best = run = 0.0
    start = best_start = best_end = 0
    for index, score in enumerate(scores):
        if run <= 0.0:
            run, start = score, index
        else:
            run += score
        if run > best:
            best, best_start, best_end = run, start, index + 1
    return best_start, best_end


def _prose_lines(lines: list[str]) -> list[bool]:
    """Which lines are prose. A sentence broken over lines (a line of ``WRAPPED_WORDS`` words or more
    that does not end one, then a line that opens in lower case: text wrapped at 70 characters, a
    <br> in every line) is judged whole, and each of its lines is what the whole is."""
    prose = [False] * len(lines)
    start = 0
    for index in range(len(lines)):
        last = index + 1 == len(lines)
        if (last or _SENTENCE_END.search(lines[index]) or not lines[index + 1][:1].islower()
                or len(lines[index].split()) < WRAPPED_WORDS):
            if index == start:
                prose[index] = is_prose(lines[index])
            else:
                whole = is_prose(" ".join(lines[start:index + 1]))
                prose[start:index + 1] = [whole] * (index + 1 - start)
            start = index + 1
    for index, line in enumerate(lines):
        if prose[index] and _AUTHOR_BIO.match(line):
            prose[index] = False
    return prose


def rejoin_wrapped(lines: list[str]) -> list[str]:
    """The lines with each sentence broken over several (a line of ``WRAPPED_WORDS`` words or more that
    does not end one, then a line that opens in lower case: text wrapped at 70 characters, a <br> in
    every line) made one line again, as :func:`_prose_lines` reads them: a paragraph of the article
    is one block, not a fragment ending "... has taken" over one opening "to her Instagram page"."""
    out: list[str] = []
    for line in lines:
        if out and line[:1].islower() and not _SENTENCE_END.search(out[-1]) \
                and len(out[-1].split()) >= WRAPPED_WORDS:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _comments_start(lines: list[str], prose: list[bool]) -> int:
    """Where the readers' comments begin: the first comment-section heading ("12 Comments", "Join the
    conversation", or one that names the post: "34 responses to “...”") with ``COMMENTS_AFTER``
    characters of prose above it (a "Comments" button in the toolbar above the article has less),
    else the end. Nothing below it is the article: the
    comments are prose too, and often more of it. A fact check's list of its sources ends the
    article the same way ("Sources:", "About this statement")."""
    seen = 0
    for index, line in enumerate(lines):
        if seen >= COMMENTS_AFTER and _COMMENTS_ON.match(line):
            return index
        if prose[index]:
            seen += len(line)
        elif seen >= COMMENTS_AFTER and (_COMMENTS.match(line) or _SOURCES.fullmatch(line)
                                         or _ABOUT_AUTHOR.fullmatch(line)):
            return index
    return len(lines)


def _item_shape(line: str) -> tuple[bool, str | None]:
    """Whether a list item has a digit, and the first separator it uses."""
    separator = _SEPARATOR.search(line)
    return any(c.isdigit() for c in line), separator.group(0) if separator else None
