"""Pages in the encodings news sites use, read by every connector that takes HTML bytes."""
from __future__ import annotations

import asyncio

import pytest
from aiohttp.test_utils import TestClient, TestServer

from connectors.charset import decode_html, declared_encodings
from connectors.files import ingest_files
from connectors.http_ingest import make_app
from connectors.net import Fetcher, NetworkPolicy
from connectors.pages import PagesConnector
from connectors.sink import MemorySink

# Each page holds characters that the narrow codec of its label rejects (镕 is GBK, not GB2312;
# ① is a cp932 extension of Shift_JIS; 똠 a cp949 extension of EUC-KR; “ ” are windows-1252's).
CHINESE = "国务院总理朱镕基今天在北京会见了来访的代表团，双方就经贸合作交换了意见。"
JAPANESE = "①東京で首脳会談が開かれ、両国の首相が共同声明に署名した。"
KOREAN = "똠방각하 서울에서 정상회담이 열렸고 두 정상은 공동성명에 서명했다."
FRENCH = "Le sommet s’est tenu à Genève – « une réussite », selon l’hôte."
RUSSIAN = "Президент провёл переговоры в Пекине с председателем КНР и обсудил торговлю. " * 4


def page(body: str, meta: str | None = None) -> str:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize("text, label, codec", [
    (CHINESE, "gb2312", "gbk"),
    (JAPANESE, "Shift_JIS", "cp932"),
    (KOREAN, "euc-kr", "cp949"),
    (FRENCH, "iso-8859-1", "cp1252"),
    (RUSSIAN, "windows-1251", "cp1251"),
])
def test_declared_labels_are_read_as_browsers_read_them(text, label, codec):
    html = page(text, label)
    assert decode_html(html.encode(codec)) == html                            # the <meta> names it
    assert decode_html(page(text).encode(codec), label) == page(text)         # the HTTP header names it


def test_a_byte_order_mark_wins_over_a_wrong_header():
    html = page(FRENCH)
    assert decode_html("\ufeff".encode() + html.encode("utf-8"), "iso-8859-1") == html
    assert decode_html(b"\xff\xfe" + html.encode("utf-16-le")) == html


def test_utf8_pages_under_a_wrong_label_and_labels_that_do_not_decode():
    html = page(FRENCH, "iso-8859-1")
    assert decode_html(html.encode("utf-8"), "iso-8859-1") == html   # a server's default header on a UTF-8 page
    assert decode_html(page(CHINESE, "utf-8").encode("gbk"), "gbk") == page(CHINESE, "utf-8")  # the header wins
    assert decode_html(page(CHINESE, "gb2312").encode("gbk"), "utf-8") == page(CHINESE, "gb2312")  # then the <meta>
    utf16 = page(FRENCH).encode("utf-16-be")                          # valid UTF-8 bytes too (NULs)
    assert decode_html(utf16, "utf-16be") == page(FRENCH)


@pytest.mark.parametrize("label", ["utf-16", "UTF-16LE", "utf-16be"])
def test_a_header_naming_utf16_on_a_page_without_zero_bytes_is_passed_over(label):
    """Before, a UTF-8 (or windows-1252) page of an even number of bytes served as `charset=utf-16`
    was decoded as UTF-16: "<html>" became "格浴㹬" and the whole page mojibake. Text in UTF-16 has
    zero bytes (its markup is ASCII)."""
    for text, codec in ((KOREAN, "utf-8"), (FRENCH, "cp1252")):
        html = page(text) + " " * (len(page(text).encode(codec)) % 2)   # an odd length did not decode as UTF-16
        assert decode_html(html.encode(codec), label) == html
    assert decode_html(page(FRENCH).encode(label), label) == page(FRENCH)   # a page in UTF-16 still is one


def test_undeclared_pages_are_utf8_or_a_statistical_guess():
    assert decode_html(page(KOREAN).encode("utf-8")) == page(KOREAN)
    assert decode_html(page(RUSSIAN).encode("cp1251")) == page(RUSSIAN)
    assert decode_html(page(RUSSIAN).encode("koi8-r")) == page(RUSSIAN)
    assert "\ufffd" not in decode_html(page(FRENCH).encode("cp1252"))


def test_a_meta_naming_utf16_means_utf8_and_unknown_labels_are_ignored():
    html = page(FRENCH, "utf-16")
    assert declared_encodings(html.encode()) == ["utf-8"]
    assert decode_html(html.encode()) == html
    assert declared_encodings(page("x", "no-such-charset").encode(), "also-bogus") == []


def test_saved_files_prefer_utf8_over_a_stale_meta(tmp_path):
    (tmp_path / "saved.html").write_bytes(page(FRENCH, "windows-1252").encode("utf-8"))
    (tmp_path / "gbk.html").write_bytes(page(CHINESE, "gb2312").encode("gbk"))
    sink = MemorySink()
    ingest_files([tmp_path], sink, source="files")
    by_id = {raw.id: raw.html for raw in sink.raws}
    assert FRENCH in by_id["saved"] and CHINESE in by_id["gbk"]


def test_scraped_pages_keep_their_text(site, tmp_path):
    site.routes["/zh"] = (200, {"Content-Type": "text/html"}, page(CHINESE, "gb2312").encode("gbk"))
    site.routes["/ja"] = (200, {"Content-Type": "text/html; charset=Shift_JIS"}, page(JAPANESE).encode("cp932"))
    fetcher = Fetcher(NetworkPolicy(["127.0.0.1/32"]), user_agent="NewsflowTest/1")
    sink = MemorySink()
    connector = PagesConnector(sink, fetcher, urls=[site.url("/zh"), site.url("/ja")], state_path=tmp_path / "s.sqlite",
                               per_host_delay=0, respect_robots=False)
    assert connector.run_once().delivered == 2
    connector.close()
    texts = sorted(raw.html for raw in sink.raws)
    assert any(CHINESE in html for html in texts) and any(JAPANESE in html for html in texts)


def test_posted_pages_are_decoded_by_their_content_type():
    sink = MemorySink()
    app = make_app(sink, token="t")

    async def go():
        async with TestClient(TestServer(app)) as client:
            response = await client.post("/ingest/html?url=https://n.example/ko&source=n", data=page(KOREAN).encode("cp949"),
                                         headers={"Authorization": "Bearer t", "Content-Type": "text/html; charset=euc-kr"})
            return response.status

    assert asyncio.run(go()) == 202
    assert KOREAN in sink.raws[-1].html
