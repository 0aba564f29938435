"""One article scraped four ways (its HTML, its page's visible text, that text with its line breaks lost,
its page as Markdown) is one article: the offline core folds the copies into the first one's event as
near or exact copies."""
import gzip
from pathlib import Path

import orjson

from pipeline.core import OfflinePipeline
from pipeline.settings import Settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "extraction"
THE_HILL = "156770d676ce79905198e1c8407f81e5ecfb617d9aa44712718707eb7e3b8e38"


def test_a_page_as_html_visible_text_glued_text_and_markdown_is_one_article_four_times():
    html = gzip.decompress((FIXTURES / f"{THE_HILL}.html.gz").read_bytes()).decode("utf-8")
    forms = {"html": html, "text": (FIXTURES / f"{THE_HILL}.visible.txt").read_text(encoding="utf-8"),
             "markdown": (FIXTURES / f"{THE_HILL}.visible.md").read_text(encoding="utf-8")}
    forms["glued"] = " ".join(forms["text"].split())
    core = OfflinePipeline(Settings())
    out = {}
    for name, page in forms.items():
        field = "html" if name == "html" else "text"
        out[name] = core.process(orjson.dumps({"schema_version": 1, "id": f"hill-{name}", "source": f"{name}.example",
                                               field: page}))
    assert out["html"]["relation"] == "new"
    for name in ("text", "markdown", "glued"):
        assert out[name]["event_id"] == out["html"]["event_id"], out[name]
        assert out[name]["relation"] in ("exact", "near"), out[name]
    assert out["text"]["title"] == out["markdown"]["title"] == \
        "South Dakota governor doubles down on 'meth, we're on it' anti-drug campaign"
