"""Wrap clean labelled texts in the site furniture raw scraped text carries (bench/clustering.py --furniture).

ECB+ texts are clean: a title line and paragraphs. Text scraped from real pages also holds each
site's menu, cookie banner, summary prompt, bylines, "READ MORE" links, advertisement labels,
related headlines, share and newsletter prompts, copyright and cookie links, and previous/next
navigation. Each of 12 made-up sites has its own wording of those; a row keeps its URL's site
(rows without a URL get one at random), and the related headlines are other rows' titles, so the
furniture of two unrelated articles of one site shares words, names and headlines. Deterministic
for a seed.
"""
from __future__ import annotations

import random
from urllib.parse import urlsplit

_MENUS = ["Home | World | Politics | Business | Sport | Entertainment | Subscribe",
          "News • Sport • Weather • Culture • Opinion • Video",
          "Latest | US | World | Markets | Tech | Health | Lifestyle | Sign in"]
_BANNERS = ["We use cookies to personalise content and ads and to analyse our traffic. Accept all cookies",
            "This site uses cookies. By continuing to browse you agree to our use of cookies.", None]
_PROMPTS = ["No time to read? Get a summary", "Estimated reading time: 4 minutes", None]
_SHARES = ["Share this article: Facebook Twitter WhatsApp Email", "Share on Facebook | Tweet | Email | Print"]


def _site(i: int, rng: random.Random) -> dict:
    name = f"{rng.choice(['Daily', 'Evening', 'Morning', 'Weekly'])} {rng.choice(['Courier', 'Herald', 'Post', 'Tribune'])} {i}"
    return {
        "name": name,
        "menu": f"{name} | " + rng.choice(_MENUS),
        "banner": rng.choice(_BANNERS),
        "prompt": rng.choice(_PROMPTS),
        "byline": rng.choice([f"By {name} staff", "By Staff Reporter", None]),
        "share": rng.choice(_SHARES),
        "newsletter": f"Sign up for the {name} briefing, the news you need to start your day, delivered to your inbox.",
        "footer": f"© 2026 {name} Media Group. All rights reserved. Terms of use | Privacy policy | Cookie settings",
        "related": rng.choice(["Related stories", "You may also like", "Most read"]),
    }


def _headline(row: dict) -> str:
    line = (row.get("title") or (row.get("text") or "").split("\n", 1)[0]).strip()
    return line.rstrip(".")[:120]


def wrap_rows(rows: list[dict], seed: int = 5) -> list[dict]:
    """Copies of ``rows`` whose text is wrapped in their site's furniture."""
    rng = random.Random(seed)
    sites = [_site(i, rng) for i in range(12)]
    by_host: dict[str, dict] = {}
    out = []
    for row in rows:
        url = row.get("url")
        host = urlsplit(url).hostname if isinstance(url, str) and url else None
        site = by_host.setdefault(host, rng.choice(sites)) if host else rng.choice(sites)
        paragraphs = [p for p in (row.get("text") or "").split("\n") if p.strip()]
        if len(paragraphs) > 3:
            paragraphs.insert(3, "Advertisement")
        if len(paragraphs) > 5:
            paragraphs.insert(5, "READ MORE: " + _headline(rng.choice(rows)))
        others = [_headline(r) for r in rng.sample(rows, 3)]
        text = [site["menu"], site["banner"], site["prompt"], *paragraphs[:1], site["byline"], *paragraphs[1:],
                site["share"], site["related"], *others, site["newsletter"], site["footer"],
                "Previous Article", _headline(rng.choice(rows)), "Next Article", _headline(rng.choice(rows))]
        out.append({**row, "text": "\n".join(line for line in text if line)})
    return out
