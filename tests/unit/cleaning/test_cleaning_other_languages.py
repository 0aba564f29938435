"""Whole pages of news in German, French, Spanish, Italian, Russian and Japanese, given as their
visible text (made up, in the shape of real sites): the article must come out with its headline as
the title, and the site's furniture in the page's own language must not come with it: a photo's
caption over its "Foto:" credit, the author's biography under the article, "Читайте также", a
short page's menu."""
from __future__ import annotations

import pytest

from pipeline.cleaning import clean
from pipeline.cleaning.rules import Rules
from schemas.models import RawArticle


def _clean(text: str, url: str | None = None):
    return clean(RawArticle(id="page", source="scraper", text=text, url=url))


GERMAN_PAGE = """Startseite
Politik
Wirtschaft
Sport
Kultur
Anmelden
Suche
Bundesregierung einigt sich auf neues Klimapaket
Von Anna Schmidt
12.03.2024, 14:32 Uhr
Lesezeit: 4 Min.
Artikel teilen
Die Bundesregierung hat sich nach monatelangen Verhandlungen auf ein neues Klimapaket geeinigt. Das teilte ein Regierungssprecher am Dienstag in Berlin mit.
Demnach sollen die Emissionen im Verkehrssektor bis 2030 um weitere zwölf Prozent sinken. Kritik kam umgehend von Umweltverbänden, die das Paket als unzureichend bezeichneten.
Die Ministerin verteidigt den Kompromiss bei einer Pressekonferenz in Berlin.
Foto: dpa
"Wir haben lange gerungen, aber das Ergebnis kann sich sehen lassen", sagte die Umweltministerin am Abend vor Journalisten in Berlin.
Lesen Sie auch: Warum die Klimaziele kaum noch zu erreichen sind
Der Bundestag soll sich noch vor der Sommerpause mit dem Gesetzentwurf befassen. Die Opposition kündigte bereits Widerstand an und verlangt Nachbesserungen beim Ausbau der Schiene.
Nach Angaben des Finanzministeriums kostet das Paket rund 40 Milliarden Euro über die kommenden vier Jahre, finanziert aus dem Klima- und Transformationsfonds.
Anna Schmidt ist Redakteurin im Ressort Politik und berichtet seit 2015 aus dem Regierungsviertel.
Mehr zum Thema
Klimaschutz: Was das neue Gesetz für Hausbesitzer bedeutet
Umweltverbände kritisieren Verkehrsminister scharf
Jetzt unseren kostenlosen Newsletter abonnieren und keine Nachricht mehr verpassen!
Kommentare (12)
Hans M. vor 2 Stunden
Das ist doch alles viel zu wenig und viel zu spät, die Regierung hat wieder einmal versagt und das wissen alle hier im Land.
© 2024 Beispiel Zeitung GmbH. Alle Rechte vorbehalten.
Impressum
Datenschutz"""

RUSSIAN_PAGE = """Главная
Политика
Экономика
Общество
Войти
Поиск
Правительство утвердило новую программу поддержки семей
Автор: Иван Петров
12 марта 2024, 14:32
Поделиться
Правительство России утвердило новую программу поддержки семей с детьми, сообщил во вторник премьер-министр на заседании кабинета министров.
Программа рассчитана на пять лет и предусматривает увеличение выплат многодетным семьям, а также льготную ипотеку для молодых семей в регионах.
Премьер-министр на заседании правительства в Москве.
Фото: РИА Новости
«Мы должны сделать всё, чтобы семьи с детьми чувствовали поддержку государства», — заявил премьер-министр, открывая заседание правительства.
Читайте также: Как изменятся социальные выплаты в 2024 году
По оценкам Минфина, на реализацию программы из федерального бюджета будет направлено около 500 миллиардов рублей в течение ближайших пяти лет.
Эксперты отмечают, что меры могут положительно сказаться на демографической ситуации, однако их эффект станет заметен не раньше чем через несколько лет.
Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать о главных новостях.
Похожие материалы
Госдума приняла закон о материнском капитале
Минтруд предложил повысить пособия по уходу за ребенком
© 2024 Пример Газета. Все права защищены.
Политика конфиденциальности"""

JAPANESE_PAGE = """ホーム
政治
経済
国際
スポーツ
ログイン
検索
政府、新たな子育て支援策を閣議決定
2024年3月12日 14時32分
この記事をシェアする
政府は12日、子育て世帯への新たな支援策を閣議決定した。児童手当の拡充や保育サービスの充実を柱とし、総額は3兆円規模となる見通しだ。
首相は閣議後の記者会見で「少子化対策は待ったなしの課題だ。社会全体で子育てを支える仕組みをつくる」と強調した。
写真：共同通信
支援策には、所得制限の撤廃や高校生までの児童手当の延長などが盛り込まれた。財源については今後、年末までに具体策をまとめるとしている。
野党は財源の裏付けが不十分だと批判しており、今後の国会審議で論戦が本格化しそうだ。専門家からは効果を疑問視する声も上がっている。
関連記事
児童手当、所得制限撤廃へ　政府が最終調整
少子化対策の財源、社会保険料の上乗せ案が浮上
コメント
Copyright © 2024 Example Shimbun. All rights reserved.
プライバシーポリシー
利用規約"""


def test_a_german_page_loses_its_caption_biography_and_teasers():
    art = _clean(GERMAN_PAGE, "https://www.beispiel-zeitung.de/politik/bundesregierung-einigt-sich-auf-neues-klimapaket-a-1.html")
    assert art.title == "Bundesregierung einigt sich auf neues Klimapaket"
    assert art.text.startswith("Die Bundesregierung hat sich nach monatelangen Verhandlungen")
    assert "Transformationsfonds." in art.text and "Wir haben lange gerungen" in art.text
    for furniture in ("Die Ministerin verteidigt den Kompromiss", "Foto: dpa", "Lesen Sie auch",
                      "ist Redakteurin", "Mehr zum Thema", "Umweltverbände kritisieren", "Newsletter",
                      "Hans M.", "Impressum"):
        assert furniture not in art.text, furniture


@pytest.mark.parametrize("caption, credit", [
    ("Die Ministerin verteidigt den Kompromiss bei einer Pressekonferenz in Berlin.", "Foto: dpa"),
    ("I vigili del fuoco durante i controlli nel centro storico di Cosenza.", "Foto: Ansa"),
    ("La presidenta del BCE, durante la rueda de prensa en Fráncfort.", "Foto: EFE"),
    ("Der Kanzler bei seiner Ankunft am Flughafen in Peking am Montag.", "Bild: Reuters"),
    ("Премьер-министр на заседании правительства в Москве.", "Фото: РИА Новости"),
])
def test_a_caption_goes_with_its_credit_in_other_languages(caption, credit):
    # "Foto: dpa" opens with "foto:": a credit that no slash gives away was passed over before
    # 2026-12-07, and its caption stayed in the article as a paragraph
    lines = ["Erster Absatz des Artikels mit genug Worten, um ein Absatz zu sein.", caption, credit,
             "Zweiter Absatz des Artikels mit genug Worten, um ein Absatz zu sein."]
    kept, _ = Rules.load().clean_lines(lines)
    assert kept == [lines[0], lines[3]]


@pytest.mark.parametrize("bio", [
    "Anna Schmidt ist Redakteurin im Ressort Politik und berichtet seit 2015 aus dem Regierungsviertel.",
    "Jean Dupont est journaliste au service politique du journal depuis 2012 et couvre l'Élysée.",
    "María García es periodista especializada en economía y finanzas desde hace diez años.",
    "Marco Rossi è giornalista della redazione cronaca dal 2010 e segue la politica locale.",
])
def test_an_authors_biography_in_another_language_ends_the_article(bio):
    paragraphs = [f"Absatz {n}: Die Regierung hat am Dienstag in Berlin neue Pläne für die Wirtschaft vorgestellt, "
                  f"die Opposition kritisierte sie scharf und forderte Nachbesserungen." for n in range(1, 6)]
    site_prose = ("Die Beispiel Zeitung ist eine unabhängige Tageszeitung und erscheint seit 1946 jeden Tag "
                  "in der ganzen Region mit Nachrichten aus aller Welt.")
    text = "\n".join(["Startseite", "Politik", "Wirtschaft", "Login", "Neue Pläne der Regierung", *paragraphs,
                      bio, site_prose, "© 2024 Beispiel Zeitung", "Impressum"])
    art = _clean(text)
    assert "Absatz 5" in art.text and "Absatz 1" in art.text
    assert bio not in art.text and "unabhängige Tageszeitung" not in art.text


def test_a_russian_page_loses_its_furniture():
    art = _clean(RUSSIAN_PAGE)
    assert art.title == "Правительство утвердило новую программу поддержки семей"
    assert art.text.startswith("Правительство России утвердило")
    assert "не раньше чем через несколько лет." in art.text
    for furniture in ("Премьер-министр на заседании правительства в Москве.", "Фото:", "Читайте также",
                      "Подписывайтесь", "Похожие материалы", "Госдума приняла", "Поделиться"):
        assert furniture not in art.text, furniture


def test_a_short_japanese_page_is_cut_and_titled_by_its_headline():
    # 23 lines: too few to be taken for a page by its share of prose; its controls ("ログイン",
    # "検索") and its "関連記事" marker name it one. Before 2026-12-07 it stayed whole, titled "ホーム"
    art = _clean(JAPANESE_PAGE, "https://www.example-shimbun.jp/articles/20240312/k00/00m/010/123000c")
    assert art.title == "政府、新たな子育て支援策を閣議決定"
    assert art.text.startswith("政府は12日、子育て世帯への新たな支援策を閣議決定した。")
    assert "効果を疑問視する声も上がっている。" in art.text
    for furniture in ("ホーム", "ログイン", "シェア", "写真：", "関連記事", "児童手当、所得制限撤廃へ", "コメント",
                      "利用規約", "プライバシーポリシー"):
        assert furniture not in art.text, furniture
    assert "page_text_trimmed" in art.flags


def test_a_short_article_in_another_language_is_not_taken_for_a_page():
    # one control word of the article's own ("Suche" as a heading) does not make a page
    text = ("Suche nach Vermissten geht weiter\nSuche\nDie Suche nach den beiden vermissten Wanderern im "
            "Allgäu ist am Dienstag fortgesetzt worden, teilte die Polizei in Kempten mit.\nRund 80 Einsatzkräfte "
            "und zwei Hubschrauber sind seit dem frühen Morgen im Einsatz, das Wetter erschwert die Arbeit.")
    art = _clean(text)
    assert "page_text_trimmed" not in art.flags
    assert "Rund 80 Einsatzkräfte" in art.text and "Die Suche nach den beiden" in art.text
