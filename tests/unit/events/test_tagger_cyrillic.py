"""The tagger on Russian and Ukrainian news: names cut where a new one starts, inflected forms folded
into one person, places read from the Cyrillic tables, and event facts that tell two stories apart."""
from pipeline.events import article_facts
from pipeline.events.ner import extract

PUTIN_BEIJING = ("Президент России Владимир Путин прибыл в Пекин во вторник для переговоров с председателем "
                 "КНР Си Цзиньпином. Путин и Си Цзиньпин обсудят ситуацию на Украине, сообщил пресс-секретарь "
                 "Кремля Дмитрий Песков. Встреча пройдет в Доме народных собраний. По словам Пескова, "
                 "визит Путина продлится два дня, а Путину подготовили насыщенную программу.")
LAVROV_ANKARA = ("Министр иностранных дел России Сергей Лавров прилетел в Анкару в понедельник. "
                 "Лавров проведет переговоры с министром иностранных дел Турции Хаканом Фиданом. "
                 "По словам Лаврова, стороны обсудят зерновую сделку и ситуацию в Сирии. "
                 "Вчера представитель МИД Мария Захарова сообщила, что визит продлится два дня. "
                 "Захарова добавила, что Фидан пригласил российскую делегацию на ужин.")
LAVROV_ANKARA_OTHER_OUTLET = ("Глава МИД России Сергей Лавров в понедельник начал визит в Турцию. "
                              "В Анкаре Лаврова встретил министр Хакан Фидан. "
                              "Переговоры Лаврова и Фидана касаются зерновой сделки, сообщила Мария Захарова.")
ORSK_FLOOD = ("Губернатор Оренбургской области Денис Паслер объявил режим чрезвычайной ситуации в Орске. "
              "Паводок затопил сотни домов, заявил Паслер журналистам. "
              "Мэр Орска Василий Козупица сообщил о начале эвакуации. "
              "Сильный ветер мешает спасателям, добавил Козупица.")
KHARKIV_VISIT = ("Президент України Володимир Зеленський прибув до Харкова у вівторок. "
                 "Зеленський провів нараду з головою обласної адміністрації Олегом Синєгубовим. "
                 "Синєгубов доповів про наслідки обстрілу. "
                 "Разом із Зеленським до міста приїхав міністр оборони Рустем Умєров.")


def _people(text, language="ru", title=None):
    facts = article_facts({"title": title, "text": text, "language": language})
    return {name: aliases for name, _n, aliases in facts["entities"]["people"]}, facts


def test_inflected_mentions_fold_into_the_full_name():
    people, facts = _people(PUTIN_BEIJING, title="Путин прибыл в Пекин")
    assert set(people) == {"Владимир Путин", "Си Цзиньпин", "Дмитрий Песков"}
    assert {"Путин", "Путина", "Путину"} <= set(people["Владимир Путин"])
    assert "Си Цзиньпином" in people["Си Цзиньпин"] and "Пескова" in people["Дмитрий Песков"]
    counts = {name: n for name, n, _a in facts["entities"]["people"]}
    assert counts["Владимир Путин"] == 5  # the headline, the full name, "Путин", "Путина", "Путину"


def test_a_genitive_noun_is_not_glued_to_the_name_after_it():
    people, _facts = _people(PUTIN_BEIJING)
    assert not any("Кремл" in name for name in people)
    entities = extract(None, PUTIN_BEIJING, "ru")
    assert "Kremlin" in entities.places and "Beijing" in entities.places


def test_sentence_openers_and_roles_are_no_names():
    people, facts = _people(LAVROV_ANKARA)
    names = set(people) | {name for name, *_ in facts["entities"]["names"]}
    assert names == {"Сергей Лавров", "Хакан Фидан", "Мария Захарова"}  # not "Вчера", "Министр", "По"
    assert {"Хаканом Фиданом", "Фидан"} <= set(people["Хакан Фидан"])
    assert facts["entities"]["places"][0][0] in {"Russia", "Ankara"} and max(facts["where"], key=facts["where"].get) == "Ankara"


def test_a_region_after_a_role_is_no_person():
    people, _facts = _people(ORSK_FLOOD)
    assert set(people) == {"Денис Паслер", "Василий Козупица"}  # not "Оренбургской" (of the region)


def test_ukrainian_names_and_cases():
    people, facts = _people(KHARKIV_VISIT, "uk")
    assert set(people) == {"Володимир Зеленський", "Олег Синєгубов", "Рустем Умєров"}
    assert "Зеленським" in people["Володимир Зеленський"] and "Олегом Синєгубовим" in people["Олег Синєгубов"]
    assert "Kharkiv" in facts["where"]


def test_different_surnames_with_one_stem_are_not_merged():
    text = "Иван Петров встретился с Анной Петренко. Петров и Петренко обсудили проект."
    people, _facts = _people(text)
    assert set(people) == {"Иван Петров", "Анна Петренко"}


def test_two_reports_of_one_event_share_people_and_another_event_does_not():
    first = {name for name, _n in article_facts({"text": LAVROV_ANKARA, "language": "ru"})["who"]}
    second = {name for name, _n in article_facts({"text": LAVROV_ANKARA_OTHER_OUTLET, "language": "ru"})["who"]}
    other = {name for name, _n in article_facts({"text": ORSK_FLOOD, "language": "ru"})["who"]}
    assert {"Сергей Лавров", "Хакан Фидан", "Мария Захарова"} <= first & second
    assert not (first | second) & other


def test_cyrillic_text_without_a_language_takes_the_cyrillic_path():
    assert "Владимир Путин" in extract(None, PUTIN_BEIJING, None).people


def test_a_common_word_opening_a_sentence_is_not_part_of_the_name_after_it():
    text = ("Накануне Эммануэль Макрон позвонил Дональду Трампу. Макрон и Трамп обсудили пошлины, "
            "сообщила компания «Газпром». Акции «Газпрома» выросли.")
    people, facts = _people(text)
    assert set(people) == {"Эммануэль Макрон", "Дональд Трамп"}
    assert "Дональду Трампу" in people["Дональд Трамп"]
    assert facts["entities"]["organisations"] == [["Газпром", 2, ["Газпрома"]]]


def test_places_are_the_gazetteer_names_with_the_forms_the_text_writes():
    places = {name: aliases for name, _n, aliases in article_facts(
        {"text": PUTIN_BEIJING, "language": "ru"})["entities"]["places"]}
    assert places["Beijing"] == ["Пекин"] and places["Russia"] == ["России"] and places["Ukraine"] == ["Украине"]


def test_english_and_latin_texts_stay_on_the_english_path():
    from pipeline.events.ner import _cyrillic_text

    assert not _cyrillic_text("Vladimir Putin met Xi Jinping in Beijing («Путин»).", None)
    assert not _cyrillic_text("Путин прибыл в Пекин.", "en")
    assert _cyrillic_text("Путин прибыл в Пекин (Reuters).", None)


def test_a_name_written_only_in_an_oblique_case_gets_its_nominative():
    text = ("Сергей Лавров встретился с Марией Захаровой и Дмитрием Песковым. Міністр оборони провів "
            "нараду з Олександром Сирським та Валерієм Залужним.")
    people, _facts = _people(text)
    assert {"Мария Захарова", "Дмитрий Песков", "Олександр Сирський", "Валерій Залужний"} <= set(people)
    assert "Марией Захаровой" in people["Мария Захарова"]
