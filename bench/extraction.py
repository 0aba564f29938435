"""Article-body extraction benchmark: Newsflow's cleaning stage against plain trafilatura.

Data: the scrapinghub article-extraction-benchmark (181 news pages, html/*.html.gz, and
ground-truth.json {id: {articleBody, url}}), by default at ../shared/data/extraction relative to
the repository root; pages beside ground-truth.json are read too (as in tests/fixtures/extraction).

Metric (as in shared/data/README.md): per page, token precision / recall / F1 over lower-cased
``\\w+`` tokens taken as multisets, against ``articleBody``; macro-averaged over pages. A page that
Newsflow rejects counts as an empty prediction. Throughput: documents per second over the same
pages, timed one document at a time, alternating the systems page by page so that load from other
processes on the machine hits both alike.

Systems:
  newsflow   clean(RawArticle(html=..., url=...)) through an HtmlExtractor worker process
             (the production path, with its per-document time limit and the pipe round trip)
  inline     the same cleaning with extraction in this process (workers=0): shows the pool overhead
  plain      trafilatura.extract(html) with its defaults

    .venv/bin/python bench/extraction.py [--data DIR] [--limit N] [--no-inline] [--worst K]
    .venv/bin/python bench/extraction.py --page-text [--markdown] [--glued] [--data DIR] [--limit N]

--markdown and --glued change the scraped text of --page-text, so they are refused without it
(they do not imply it: the plain HTML benchmark is never swapped for another one silently).
"""
from __future__ import annotations

import argparse
import collections
import difflib
import gzip
import json
import logging
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from bench.args import non_negative_int, positive_int, require_path  # noqa: E402
from pipeline.cleaning import BoilerplateMemory, CleaningConfig, HtmlExtractor, clean  # noqa: E402
from schemas.models import RawArticle, Rejected  # noqa: E402

TOKEN = re.compile(r"\w+")


def scores(predicted: str | None, reference: str) -> tuple[float, float, float]:
    pred = collections.Counter(TOKEN.findall((predicted or "").lower()))
    ref = collections.Counter(TOKEN.findall(reference.lower()))
    overlap = sum((pred & ref).values())
    p = overlap / sum(pred.values()) if pred else 0.0
    r = overlap / sum(ref.values()) if ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(data: Path, limit: int | None) -> list[tuple[str, str, str, str]]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    folder = data / "html" if (data / "html").is_dir() else data  # the pages in html/, or beside it (tests/fixtures)
    pages = []
    for page_id in sorted(truth)[: limit or None]:
        raw = gzip.decompress((folder / f"{page_id}.html.gz").read_bytes())
        pages.append((page_id, raw.decode("utf-8", errors="replace"), truth[page_id]["url"] or "",
                      truth[page_id]["articleBody"]))
    return pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction")
    ap.add_argument("--limit", type=positive_int, default=None, help="first N pages only")
    ap.add_argument("--no-inline", action="store_true", help="skip the in-process run (pool overhead)")
    ap.add_argument("--worst", type=non_negative_int, default=0, help="list the K pages where Newsflow's F1 is lowest")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    ap.add_argument("--page-text", action="store_true",
                    help="raw scraped text instead of HTML: each page's visible text (bench/visible_text.py) "
                         "through Newsflow's cleaning, against the same text as it is and against jusText")
    ap.add_argument("--markdown", action="store_true",
                    help="with --page-text: each page as Markdown (links, images, headings, bullets), as the "
                         "scrapers that feed language models write it")
    ap.add_argument("--glued", action="store_true",
                    help="with --page-text: the visible text with its line breaks lost (every run of whitespace "
                         "one space), as BeautifulSoup's get_text(' ', strip=True) gives it")
    args = ap.parse_args(argv)
    for flag in ("markdown", "glued"):
        if getattr(args, flag) and not args.page_text:
            ap.error(f"--{flag} needs --page-text (it changes the scraped text that --page-text benchmarks)")
    require_path(ap, "--data", args.data, "ground-truth.json")
    try:
        pages = load(args.data, args.limit)
    except (OSError, ValueError) as exc:
        ap.error(f"--data: {exc}")
    except (KeyError, TypeError) as exc:
        ap.error(f"--data: a page of {args.data / 'ground-truth.json'} lacks its {exc} (articleBody, url)")
    if not pages:
        ap.error(f"--data: no pages in {args.data / 'ground-truth.json'}")
    if args.page_text:
        return page_text_main(args, pages)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)

    config = CleaningConfig()
    systems = ["newsflow", "plain"] + ([] if args.no_inline else ["inline"])
    extractors = {"newsflow": HtmlExtractor(config, workers=1)}
    if "inline" in systems:
        extractors["inline"] = HtmlExtractor(config, workers=0)
    memories = {name: BoilerplateMemory({}, config) for name in extractors}
    # warm-up outside the clock: worker start, imports, the language model, regex compilation
    warm = RawArticle(id="warm-up", source="warm-up", html=pages[0][1], url=pages[0][2])
    for name, extractor in extractors.items():
        try:
            clean(warm, extractor=extractor, config=config)
        except Rejected:
            pass
    trafilatura.extract(pages[0][1])

    results = {name: [] for name in systems}
    seconds = {name: 0.0 for name in systems}
    rejected = {name: collections.Counter() for name in systems}
    for page_id, html, url, body in pages:
        for name in systems:
            start = time.perf_counter()
            if name == "plain":
                text = trafilatura.extract(html)
            else:
                raw = RawArticle(id=page_id, source=re.sub(r"^www\.", "", url.split("/")[2]) if "//" in url else "?",
                                 html=html, url=url or None)
                try:
                    text = clean(raw, memory=memories[name], extractor=extractors[name], config=config).text
                except Rejected as exc:
                    text = None
                    rejected[name][exc.reason] += 1
            seconds[name] += time.perf_counter() - start
            results[name].append((page_id, scores(text, body)))
    for extractor in extractors.values():
        extractor.close()

    n = len(pages)
    summary = {}
    for name in systems:
        per = [s for _, s in results[name]]
        summary[name] = {
            "precision": statistics.fmean(s[0] for s in per), "recall": statistics.fmean(s[1] for s in per),
            "f1": statistics.fmean(s[2] for s in per), "docs_per_s": n / seconds[name],
            "ms_per_doc": 1000 * seconds[name] / n, "rejected": dict(rejected[name]),
        }
    print(f"article-body extraction, {n} pages from {args.data}")
    print(f"{'system':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'docs/s':>8} {'ms/doc':>7}  rejected")
    for name in systems:
        s = summary[name]
        print(f"{name:<10} {s['precision']:>9.4f} {s['recall']:>7.4f} {s['f1']:>7.4f} {s['docs_per_s']:>8.1f} "
              f"{s['ms_per_doc']:>7.1f}  {sum(s['rejected'].values())} {s['rejected'] or ''}")
    nf, plain = summary["newsflow"], summary["plain"]
    ratio = {"f1": nf["f1"] / plain["f1"], "throughput": nf["docs_per_s"] / plain["docs_per_s"]}
    print(f"newsflow / plain: F1 x{ratio['f1']:.3f} ({nf['f1'] - plain['f1']:+.4f}), "
          f"throughput x{ratio['throughput']:.3f}")
    if "inline" in summary:
        overhead = nf["ms_per_doc"] - summary["inline"]["ms_per_doc"]
        print(f"worker-process overhead: {overhead:+.1f} ms/doc "
              f"(newsflow {nf['ms_per_doc']:.1f} vs inline {summary['inline']['ms_per_doc']:.1f})")
    if args.worst:
        print("\nlowest Newsflow F1 (plain trafilatura's beside it):")
        plain_by_id = dict(results["plain"])
        for page_id, s in sorted(results["newsflow"], key=lambda item: item[1][2])[: args.worst]:
            p = plain_by_id[page_id]
            print(f"  {page_id[:12]}  P {s[0]:.3f} R {s[1]:.3f} F1 {s[2]:.3f}   plain F1 {p[2]:.3f}")
    if args.json:
        args.json.write_text(json.dumps({"pages": n, "systems": summary, "ratio": ratio}, indent=2))
    return 0


def _justext_lines(text: str) -> str:
    """jusText's paragraph classifier over the text's lines (each line one paragraph, no links), with
    the stop list of the language py3langid finds: the usual library answer for text without markup."""
    import html as html_escape

    import justext

    from pipeline.cleaning.normalize import detect_language
    from pipeline.languages import _JUSTEXT_LANGUAGES

    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    page = "<html><body>" + "".join(f"<p>{html_escape.escape(line)}</p>" for line in lines) + "</body></html>"
    stoplist = justext.get_stoplist(_JUSTEXT_LANGUAGES.get(detect_language(text) or "", "English"))
    return "\n".join(p.text for p in justext.justext(page.encode("utf-8"), stoplist) if not p.is_boilerplate)


def page_headlines(html: str) -> list[str]:
    """What the page's HTML itself gives as its headline: its <title>, og:title and every <h1>."""
    from bench.visible_text import parse_page

    tree = parse_page(html)
    if tree is None:
        return []
    found = [tree.findtext(".//title") or "", *tree.xpath("//meta[@property='og:title']/@content"),
             *(h1.text_content() for h1 in tree.iter("h1"))]
    return [" ".join(text.split()).casefold() for text in found if text and text.strip()]


def title_verdict(title: str | None, headlines: list[str]) -> str:
    """"headline" when the title is one of the page's own (or held in one, as a <title> holds it with
    the site's name), "none" when there is no title, else "other": a teaser, a caption, a line of the
    site's furniture."""
    if not title:
        return "none"
    title = " ".join(title.split()).casefold()
    for headline in headlines:
        if title in headline or difflib.SequenceMatcher(None, title, headline).ratio() >= 0.8:
            return "headline"
    return "other"


def page_text_main(args, pages) -> int:
    """Raw scraped text: the cleaning on each page's whole visible text, the baselines beside it."""
    from bench.visible_text import visible_text

    config = CleaningConfig()
    systems = ("newsflow", "as is", "justext")
    results = {name: [] for name in systems}
    seconds = {name: 0.0 for name in systems}
    trimmed = rejected = 0
    titles: collections.Counter[str] = collections.Counter()
    urls: dict[str, str] = {}
    for page_id, html, url, body in pages:
        text = visible_text(html, markdown=args.markdown)
        if args.glued:
            text = " ".join(text.split())
        for name in systems:
            start = time.perf_counter()
            if name == "newsflow":
                raw = RawArticle(id=page_id, source="page:" + page_id, text=text, url=url or None)
                try:
                    article = clean(raw, memory=BoilerplateMemory({}, config), config=config)
                    got = article.text
                    trimmed += "page_text_trimmed" in article.flags
                    titles[title_verdict(article.title, page_headlines(html))] += 1
                except Rejected:
                    got, rejected = None, rejected + 1
            elif name == "as is":
                got = text
            else:
                got = _justext_lines(text)
            seconds[name] += time.perf_counter() - start
            results[name].append(scores(got, body))
        urls[page_id] = url
    n = len(pages)
    form = ("Markdown" if args.markdown else "visible text") + (", line breaks lost" if args.glued else "")
    print(f"article body from raw scraped text (each page's {form}), {n} pages from {args.data}")
    print(f"{'system':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'ms/doc':>7}")
    summary = {}
    for name in systems:
        p, r, f = (statistics.fmean(s[i] for s in results[name]) for i in range(3))
        summary[name] = {"precision": p, "recall": r, "f1": f, "ms_per_doc": 1000 * seconds[name] / n}
        print(f"{name:<10} {p:>9.4f} {r:>7.4f} {f:>7.4f} {1000 * seconds[name] / n:>7.1f}")
    nf = summary["newsflow"]["f1"]
    print(f"newsflow / as is: F1 x{nf / summary['as is']['f1']:.3f}; newsflow / justext: F1 "
          f"x{nf / summary['justext']['f1']:.3f}; trimmed as a page: {trimmed} of {n}; rejected: {rejected}")
    print(f"title: the page's own headline (its <title>, og:title or an <h1>) {titles['headline']}, another "
          f"line {titles['other']}, none {titles['none']}")
    if args.worst:
        print("\nlowest Newsflow F1 (the text as it is beside it):")
        ranked = sorted(zip(urls, results["newsflow"], results["as is"]), key=lambda item: item[1][2])
        for page_id, s, as_is in ranked[: args.worst]:
            print(f"  {page_id[:12]}  P {s[0]:.3f} R {s[1]:.3f} F1 {s[2]:.3f}   as is F1 {as_is[2]:.3f}  {urls[page_id]}")
    if args.json:
        args.json.write_text(json.dumps({"pages": n, "page_text": summary, "trimmed": trimmed, "titles": dict(titles)},
                                        indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
