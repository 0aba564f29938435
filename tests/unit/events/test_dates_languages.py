"""Dates written in Russian, Ukrainian, Arabic, Chinese, Japanese and Korean (pipeline/events/dates.py): read in
an article of that language, as the day-first dates of French or German are; sentences written for
these tests."""
from __future__ import annotations

import pytest

from pipeline.events import article_facts
from pipeline.events.dates import mentions

PUBLISHED = "2024-06-13T09:00:00Z"


@pytest.mark.parametrize("language, text, expected", [
    ("zh", "2024年6月12日，武汉市遭遇强降雨。", [["2024-06-12", None, "day", 1, "text"]]),
    ("zh", "新机将于6月14日正式开售。", [["2024-06-14", None, "day", 1, "published"]]),
    ("zh", "两国于２０２４年６月签署协议。", [["2024-06", None, "month", 1, "text"]]),     # full-width digits
    ("zh", "他在3月说，地铁2号线有1342万名乘客。", []),                        # a month alone, counts
    ("ja", "東京都新宿区で6月12日午後2時ごろ火事があった。", [["2024-06-12", None, "day", 1, "published"]]),
    ("ja", "12日午後、火災が発生した。", []),                                  # a day without its month
    ("ko", "2024년 6월 12일 서울에서 회담이 열렸다.", [["2024-06-12", None, "day", 1, "text"]]),
    ("ru", "Ливень обрушился на Москву в среду, 12 июня 2024 года.", [["2024-06-12", None, "day", 1, "text"]]),
    ("ru", "Выборы пройдут в марте 2025 года.", [["2025-03", None, "month", 1, "text"]]),
    ("uk", "Сильна злива у середу, 12 червня, підтопила вулиці Києва.", [["2024-06-12", None, "day", 1, "published"]]),
    ("uk", "Вибори відбудуться у березні 2025 року.", [["2025-03", None, "month", 1, "text"]]),
    ("ar", "اندلع حريق صباح الأربعاء 12 يونيو 2024 في القاهرة.", [["2024-06-12", None, "day", 1, "text"]]),
    ("ar", "وتبدأ الامتحانات في ١٢ يونيو.", [["2024-06-12", None, "day", 1, "published"]]),  # Arabic-Indic digits
    ("en", "Sales rose 6月12日 and on 12 июня, said the report.", []),          # read only in their language
])
def test_dates_in_more_languages(language, text, expected):
    assert mentions(text, PUBLISHED, language=language) == expected


def test_a_chinese_article_dates_its_event_from_its_text():
    facts = article_facts({"title": "武汉发布暴雨红色预警", "published": PUBLISHED, "language": "zh",
                           "text": "湖北武汉2024年6月12日出现强降雨天气，武汉市气象台发布暴雨红色预警。"})
    assert facts["dates"] == [["2024-06-12", None, "day", 1, "text"]]   # was []: the event fell back to publication
