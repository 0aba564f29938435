"""Defects from the review of 2026-12-07: a short page run together whose footer is short, Japanese
text run together, a byline opening a page run together, a closing list of other stories' headlines
with no marker, and furniture that visible text kept (a citation block, comment rules, promotions, an
advertisement label, a row of buttons with a word of its own, a caption under every photo)."""
from __future__ import annotations

from pipeline.cleaning import clean
from pipeline.cleaning.glued_text import glued_article
from schemas.models import RawArticle

MENU = ("Home News World Politics Business Technology Science Health Sports Entertainment Travel Style Video "
        "Opinion Podcasts Weather Newsletters Events Contact Us About Us Advertise Jobs Archive Search Menu")
PROSE = ("The city council voted on Tuesday to expand the bus network along the river, a plan that residents had "
         "debated for more than a year before the final hearing. Supporters said the new routes would cut commutes "
         "for thousands of workers, while critics warned that the cost had been underestimated by the planners. "
         "The mayor said the first buses would run in the spring and that fares would not rise this year. "
         "Officials expect the project to be finished within three years, and they promised regular updates on "
         "the budget as construction begins in the older neighbourhoods near the harbour. ")


def _text(text: str, url: str | None = None, title: str | None = None):
    return clean(RawArticle(id="t", source="example.com", text=text, url=url, title=title))


def test_a_short_page_run_together_is_cut_at_its_comments_though_its_footer_is_short():
    comments = ("Lascia un commento Marco says: I think this is a great idea and it will help a lot of people in the "
                "city who have been waiting for better buses for years now. Giulia says: the buses are always late "
                "anyway and nobody has asked the drivers what they think about the new routes at all. ")
    page = f"{MENU} {PROSE}{PROSE.replace('council', 'board')}{comments}Privacy"
    article = glued_article(page)
    assert article is not None
    assert "council voted on Tuesday" in article and "Newsletters" not in article
    assert "Lascia un commento" not in article and "Giulia says" not in article
    assert "construction begins in the older neighbourhoods" in article


JAPANESE_MENU = ("ホーム ニュース 政治 経済 国際 スポーツ エンタメ 暮らし 科学 地域 特集 動画 写真 天気 "
                 "お問い合わせ サイトマップ プライバシーポリシー 利用規約 会社概要 採用情報 広告掲載 ログイン 会員登録 検索 ") * 3
JAPANESE_PROSE = ("政府は十二日、子育て支援の新たな対策を閣議決定した。 対象となる世帯には来年度から月額一万円が追加で支給される。 "
                  "専門家は財源の確保が課題になると指摘している。 与党内からは支給額の引き上げを求める声も上がった。 "
                  "首相は記者会見で、少子化対策は待ったなしの課題だと強調した。 ")
JAPANESE_TEASERS = "人気記事ランキング 新型スマホ発売へ 円相場が急落 桜の開花予想 プロ野球開幕戦の結果 週末の天気 " * 3


def test_japanese_text_run_together_is_cut_to_its_article():
    prose = "".join(JAPANESE_PROSE.replace("十二日", f"{day}日") for day in range(1, 7))  # no copy of a copy
    page = f"{JAPANESE_MENU}{prose}{JAPANESE_TEASERS}Copyright 株式会社サンプル"
    article = glued_article(page)
    assert article is not None
    # the first sentence, run into the menu, is read with it (docs/cleaning.md, Limits)
    assert article.startswith("対象となる世帯には") and "政府は2日" in article
    assert "首相は記者会見で" in article
    for furniture in ("サイトマップ", "プライバシーポリシー", "人気記事ランキング", "円相場が急落"):
        assert furniture not in article
    # an article's own text run together stays whole
    assert glued_article(JAPANESE_PROSE * 8) is None


def test_a_page_run_together_does_not_open_on_its_byline():
    url = "https://example.com/news/bus-network-to-grow-along-the-river-after-long-debate"
    for byline in ("By Jeff Foust — November 18, 2019", "Chris Davies - Nov 19, 2019, 10:31 pm CST 0"):
        page = (f"{MENU} Bus network to grow along the river after a long debate {byline} {PROSE}"
                f"{PROSE.replace('council', 'board')}{MENU} Copyright 2019 Example News")
        article = _text(page, url=url)
        assert article.title == "Bus network to grow along the river after a long debate"
        assert article.text.startswith("The city council voted")
        assert "Foust" not in article.text and "Davies" not in article.text


ARTICLE = PROSE.replace(". ", ".\n\n")
RELATED = "- 15 Amazing Images of Stars\n- 11 Fascinating Facts About Our Milky Way Galaxy\n- The 11 Biggest Unanswered Questions About Dark Matter\n"


def test_a_closing_list_of_other_stories_headlines_goes_from_text():
    article = _text(f"{ARTICLE}\n\n{RELATED}\nOriginally published on Live Science.", title="Buses for the river")
    assert "Amazing Images of Stars" not in article.text and "Dark Matter" not in article.text
    assert "cut commutes for thousands of workers" in article.text


def test_a_closing_list_of_other_stories_headlines_goes_from_html(inline_extractor):
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in PROSE.split(". ") if sentence.strip())
    items = "".join(f"<li><a href='/x{i}'>{line[2:]}</a></li>" for i, line in enumerate(RELATED.splitlines()))
    html = (f"<html><head><title>Buses for the river</title></head><body><article><h1>Buses for the river</h1>"
            f"{paragraphs}{paragraphs.replace('council', 'board')}<ul>{items}</ul>"
            f"<p>Originally published on Live Science.</p></article></body></html>")
    article = clean(RawArticle(id="h", source="example.com", html=html, url="https://example.com/buses"),
                    extractor=inline_extractor)
    assert "cut commutes for thousands of workers" in article.text
    assert "Amazing Images of Stars" not in article.text and "Dark Matter" not in article.text


def test_a_closing_list_of_the_articles_own_items_stays():
    teams = ("- Croatia (Group E): Sixth appearance\n- Austria (Group G): Third appearance\n"
             "- Netherlands (Group C): Tenth appearance\n- Germany (Group C): Thirteenth appearance\n")
    steps = ("- Sign up for a Hulu ad-free account for $11.99 a month\n- If you already have a Hulu account, visit "
             "your account page\n- Sign up for the Disney+ bundle using the same email\n")
    for items in (teams, steps):
        article = _text(f"{ARTICLE}\n\n{items}", title="Buses for the river")
        for item in items.splitlines():
            assert item in article.text


def test_furniture_that_visible_text_kept_goes():
    furniture = [
        "Citation:", "Hibernating astronauts would need smaller spacecraft (2019, November 18)",
        "retrieved 20 November 2019", "from https://phys.org/news/2019-11-hibernating-astronauts.html",
        "As you comment, please be respectful of other commenters and other viewpoints. Our goal with article "
        "comments is to provide a space for civil, informative and constructive conversations.",
        "» Publicidade", "Get the day's big stories + fun stuff you love like mock drafts, picks and power rankings.",
        "Breaking News Emails",
    ]
    article = _text(ARTICLE + "\n\n" + "\n\n".join(furniture), title="Buses for the river")
    for line in furniture:
        assert line not in article.text
    assert "regular updates on the budget" in article.text


def test_a_row_of_buttons_with_a_word_of_its_own_is_no_title():
    buttons = "Whatsapp Facebook Pint Baixar"
    article = _text(f"{buttons}\n\n{ARTICLE}\n\n{buttons}\n\n{ARTICLE.replace('council', 'board')}\n\n{buttons}")
    assert article.title != buttons
    assert buttons not in article.text
    # a headline that names the networks stays
    assert _text(f"Facebook, Twitter Sued Over Data\n\n{ARTICLE}").title == "Facebook, Twitter Sued Over Data"


def test_a_caption_repeated_under_every_photo_is_kept_once():
    caption = "2018 Jeongdong Theater Tradition Series Performance [The Palace: Tale of Jang Noksu]"
    paragraphs = [sentence + "." for sentence in (PROSE + PROSE.replace("council", "board")).split(". ")
                  if sentence.strip()]
    text = "\n\n".join(f"{caption}\n\n{paragraph}" for paragraph in paragraphs)
    article = _text(text, title="Buses for the river")
    assert article.text.count(caption) == 1
    for paragraph in paragraphs:
        assert paragraph.strip(" .") in article.text
