"""A page's visible text, as a scraper that keeps the text and drops the markup hands it over.

One line per block element (paragraph, heading, list item, table row, div, ...), inline elements
joined into their line, scripts, styles and other invisible elements left out. The page's
<title> is kept as the first line when ``with_title`` (BeautifulSoup's ``get_text()`` over the
whole document does that; a browser's ``innerText`` of the body does not). ``markdown=True`` gives
the page as the scrapers that feed language models write it instead: links as ``[text](url)``,
images as ``![alt](src)``, headings with ``#``, list items with ``* ``, bold with ``**``. Used by
the benchmarks to give Newsflow raw scraped text of real pages.
"""
from __future__ import annotations

import re

import lxml.html

BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "summary", "table", "td", "th", "tr", "ul",
})
INVISIBLE = "//script|//style|//noscript|//template|//svg|//head|//iframe|//object"
_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")


HEADINGS = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "h5": "##### ", "h6": "###### "}


def parse_page(html: str):
    """The page's element tree, or None: the page is text already, so its UTF-8 is parsed, whatever
    charset its <meta> once declared."""
    try:
        return lxml.html.fromstring(html.encode("utf-8", "replace"), parser=_PARSER)
    except (ValueError, lxml.etree.ParserError):
        return None


def visible_text(html: str, with_title: bool = False, markdown: bool = False) -> str:
    tree = parse_page(html)
    if tree is None:
        return ""
    title = tree.findtext(".//title") if with_title else None
    for element in tree.xpath(INVISIBLE):
        element.drop_tree()
    parts: list[str] = [title or ""]

    def walk(element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        block = tag in BLOCKS
        if block:
            parts.append("\n")
        if markdown:
            if tag == "img":
                parts.append(f"![{element.get('alt') or ''}]({element.get('src') or ''})")
            parts.append(HEADINGS.get(tag, "* " if tag == "li" else ""))
            parts.append({"a": "[", "strong": "**", "b": "**"}.get(tag, ""))
        if tag and element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if markdown and tag in ("a", "strong", "b"):
            parts.append(f"]({element.get('href') or ''})" if tag == "a" else "**")
        if block:
            parts.append("\n")

    walk(tree)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
