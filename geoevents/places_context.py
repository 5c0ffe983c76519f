"""Words and patterns that tell the geoparser about places: prepositions, containers, demonyms, roles."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .gazetteer.normalize import fold

# A place name after one of these is almost surely a place ("in Raqqa", "near Mayadin").
LOCATIVE_PREPOSITIONS = frozenset(
    "in at near from to into outside inside around across through toward towards via between "
    "throughout within beyond along off of on against".split()
)
# Verbs whose subject is still a location: "Mosul fell", "Raqqa lies on the Euphrates".
PLACE_PREDICATES = frozenset(
    "be lie sit stand remain become fall burn shake flood border neighbour neighbor host house "
    "face suffer see experience witness record register endure collapse surrender".split()
)
# What only a government or a people can be: "Russia is concerned", "Washington is not alone",
# "Europe was a reliable ally" (with ACTOR_NOUNS), against "Raqqa is a city on the Euphrates".
AGENT_STATES = frozenset(
    "alone concerned responsible reliant dependent willing unwilling ready determined unable able keen eager "
    "worried happy unhappy interested aware committed prepared reluctant authoritative confident "
    "satisfied disappointed opposed".split())
# Passives only a government or a people undergoes: "Moscow is accused", "Europe was forced".
AGENT_PASSIVES = frozenset(
    "accuse allege force urge ask invite criticize criticise blame warn pressure condemn praise "
    "engage expect require encourage persuade".split())
# What a state gives or is freed from: "backing from the United States", "permission from
# Georgia", "independence from Britain". The country after "from" is then its government.
STATE_GIFTS = frozenset(
    "backing support permission independence approval aid assistance recognition pressure invitation "
    "consent authorisation authorization funding".split())
# Nouns for people, institutions and what they decide, say or trade: a place modifying or
# owning them ("U.S. officials", "Iraqi forces", "Beijing's tactics", "Raqqa residents",
# "Moscow's concern", "U.S. goods") stands for a state or its people, not for a location.
# Land, buildings and happenings are left out: "the Mexico border", "a Dallas clinic", "the
# Mosul offensive" name where something is.
ACTOR_NOUNS = frozenset(
    # officials and armed men
    "official officials government governments force forces troop troops army armies military militaries "
    "police soldier soldiers president minister ministry leader leaders authority authorities diplomat "
    "diplomats embassy envoy ambassador navy jet jets warplane warplanes drone drones intelligence agency "
    "agencies spokesman spokeswoman spokesperson delegation negotiator negotiators regime administration "
    "parliament lawmaker lawmakers senator senate congress regulator chief rep representative "
    "representatives counterpart counterparts ally allies officer officers commander commanders "
    "general generals fighter fighters militant militants militiaman militiamen guard guards agent agents "
    "spy spies mayor governor commissioner councillor councilor attorney prosecutor judge detective "
    "investigator legislator legislators politician politicians consulate mission missions department "
    "consul premier king queen prince ruler secretary rep gov sen captain serviceman servicemen personnel "
    "board service institution institutions "
    # people of a place
    "man men woman women people person citizen citizens resident residents native natives national "
    "nationals migrant migrants immigrant immigrants refugee refugees worker workers student students "
    "teacher teachers voter voters taxpayer taxpayers farmer farmers businessman businessmen investor "
    "investors journalist journalists reporter reporters activist activists expert experts analyst "
    "analysts mother father girl boy teen teenager survivor survivors employer employers employee employees "
    "producer producers rival rivals partner partners republican republicans democrat democrats "
    # companies, parties, teams
    "company companies firm firms bank banks airline airlines carrier carriers party parties union "
    "unions team club player players fan fans coach star striker squad "
    # what they decide, say, feel or trade
    "decision decisions action actions request requests practice practices talk talks tactic tactics "
    "policy policies position stance response move demand demands proposal plan plans interest interests "
    "law laws statement statements report reports concern concerns view views attitude "
    "approach effort efforts cooperation threat threats willingness reluctance role opposition quest "
    "claim claims accusation accusations allegation allegations lie lies measure measures "
    "procedure procedures dollar dollars currency good goods product products equipment import imports "
    "export exports tariff tariffs sanction sanctions "
    "flag identity passport citizenship".split()
)
# Verbs whose object is a location even when it is a country: "entered Syria", "bombed Iraq".
LOCATIVE_OBJECT_VERBS = frozenset(
    "enter leave reach visit cross tour flee invade bomb strike hit attack shell raid occupy capture seize "
    "liberate take retake recapture reclaim regain control defend return travel fly move evacuate cover include border surround "
    "besiege encircle storm overrun rock shake hit devastate ravage sweep".split()
)
# Words after which a country is its land, not its state: what comes down on a place ("the
# invasion on Iraq", "an offensive against Raqqa"), what runs between places ("flights between
# Harare and the UK"), and neighbouring ("neighbouring Libya").
LOCATIVE_HEAD_WORDS = frozenset(
    "invasion incursion landfall offensive assault airstrike bombardment strike attack raid "
    "flight route road railway rail pipeline bridge corridor crossing neighbour neighbor".split())
# Words that make a sentence a sports report, where a place against which one plays is a team.
SPORTS_WORDS = frozenset(
    "game games match matches season points rebounds goal goals overtime league semifinal semifinals "
    "semi-final semi-finals playoff playoffs innings tournament championship halftime".split())
# Heads of a team as opponent: "25 points against Louisville", "a loss to San Antonio",
# "outlasted Louisville", "a series with Portland".
OPPONENT_HEADS = frozenset(
    "loss defeat win victory series game match draw tie beat defeat outlast outplay sweep face play edge "
    "rout thrash host".split())
# Nouns for a country's land: "the Syrian border", "Turkish territory".
LAND_NOUNS = frozenset(
    "border borders frontier coast coastline territory territories soil side capital countryside desert "
    "waters airspace province provinces region regions mountains village villages town towns city cities "
    "land lands mainland island islands enclave state states base bases airbase airbases port ports".split()
)
# Common nouns a place name may stand beside: "its capital, Raqqa", "the village, Hajin".
PLACE_NOUNS = LAND_NOUNS | frozenset(
    "country countries state states county counties district districts area areas neighbourhood "
    "neighborhood suburb suburbs base bases camp camps port island islands destination site sites "
    "hometown home stronghold strongholds enclave municipality governorate place places location "
    "locations community communities settlement settlements township park parks square venue venues "
    "hall church mosque school hospital hotel theatre theater street road".split()
)
# Capitalised words the gazetteer knows as places but news uses otherwise.
# Single words and whole names; the words of "White House" or "Islamic State" are refused alone too.
NON_PLACE_WORDS = frozenset(
    "pentagon kremlin white house congress senate parliament islamic state isis isil daesh coalition "
    "allied allies god lord president general colonel captain mr mrs ms dr sr jr sir prime minister "
    "reuters cnn bbc afp associated press twitter facebook youtube telegram google internet "
    "christian christians muslim muslims sunni shia shiite kurdish kurds arab arabs western eastern "
    "northern southern central "
    "christmas easter ramadan eid thanksgiving halloween passover hanukkah diwali".split()  # feasts, not towns
) | {"white house", "islamic state", "associated press", "prime minister"}

# "Deir ez-Zor province", "Rapides Parish": the name of an admin region with its type.
ADMIN_SUFFIXES = re.compile(
    r"\s+(province|governorate|district|county|parish|region|state|oblast|prefecture|department|municipality)$",
    re.IGNORECASE,
)

# AP-style and postal abbreviations of US states, as local news writes "Alexandria, La.".
US_STATE_ABBREVIATIONS = {
    "ala": "Alabama", "al": "Alabama", "alaska": "Alaska", "ak": "Alaska", "ariz": "Arizona", "az": "Arizona",
    "ark": "Arkansas", "ar": "Arkansas", "calif": "California", "cal": "California", "ca": "California",
    "colo": "Colorado", "co": "Colorado", "conn": "Connecticut", "ct": "Connecticut", "del": "Delaware",
    "de": "Delaware", "fla": "Florida", "fl": "Florida", "ga": "Georgia", "hawaii": "Hawaii", "hi": "Hawaii",
    "idaho": "Idaho", "id": "Idaho", "ill": "Illinois", "il": "Illinois", "ind": "Indiana", "in": "Indiana",
    "iowa": "Iowa", "ia": "Iowa", "kan": "Kansas", "kans": "Kansas", "ks": "Kansas", "ky": "Kentucky",
    "la": "Louisiana", "md": "Maryland", "mass": "Massachusetts", "ma": "Massachusetts", "mich": "Michigan",
    "mi": "Michigan", "minn": "Minnesota", "mn": "Minnesota", "miss": "Mississippi", "ms": "Mississippi",
    "mo": "Missouri", "mont": "Montana", "mt": "Montana", "neb": "Nebraska", "nebr": "Nebraska",
    "ne": "Nebraska", "nev": "Nevada", "nv": "Nevada", "n h": "New Hampshire", "nh": "New Hampshire",
    "n j": "New Jersey", "nj": "New Jersey", "n m": "New Mexico", "nm": "New Mexico", "n y": "New York",
    "ny": "New York", "n c": "North Carolina", "nc": "North Carolina", "n d": "North Dakota",
    "nd": "North Dakota", "ohio": "Ohio", "oh": "Ohio", "okla": "Oklahoma", "ok": "Oklahoma", "ore": "Oregon",
    "or": "Oregon", "pa": "Pennsylvania", "penn": "Pennsylvania", "r i": "Rhode Island", "ri": "Rhode Island",
    "s c": "South Carolina", "sc": "South Carolina", "s d": "South Dakota", "sd": "South Dakota",
    "tenn": "Tennessee", "tn": "Tennessee", "tex": "Texas", "tx": "Texas", "utah": "Utah", "ut": "Utah",
    "vt": "Vermont", "va": "Virginia", "wash": "Washington", "wa": "Washington", "w va": "West Virginia",
    "wv": "West Virginia", "wis": "Wisconsin", "wi": "Wisconsin", "wyo": "Wyoming", "wy": "Wyoming",
    "d c": "District of Columbia", "dc": "District of Columbia",
}

# Canadian Press and postal abbreviations of Canadian provinces and territories ("Nelson, B.C.").
CA_PROVINCE_ABBREVIATIONS = {
    "alta": "Alberta", "ab": "Alberta", "b c": "British Columbia", "bc": "British Columbia",
    "man": "Manitoba", "mb": "Manitoba", "n b": "New Brunswick", "nb": "New Brunswick",
    "nfld": "Newfoundland and Labrador", "nl": "Newfoundland and Labrador", "n s": "Nova Scotia",
    "ns": "Nova Scotia", "n w t": "Northwest Territories", "nwt": "Northwest Territories",
    "nt": "Northwest Territories", "nu": "Nunavut", "ont": "Ontario", "on": "Ontario",
    "p e i": "Prince Edward Island", "pei": "Prince Edward Island", "pe": "Prince Edward Island",
    "que": "Quebec", "qc": "Quebec", "sask": "Saskatchewan", "sk": "Saskatchewan", "yt": "Yukon",
}
# Abbreviations of Australian states and territories ("Perth, WA", "NSW police").
AU_STATE_ABBREVIATIONS = {
    "nsw": "New South Wales", "vic": "Victoria", "qld": "Queensland", "sa": "South Australia",
    "wa": "Western Australia", "tas": "Tasmania", "nt": "Northern Territory", "act": "Australian Capital Territory",
}
_ABBREVIATION_TABLES = (("US", US_STATE_ABBREVIATIONS), ("CA", CA_PROVINCE_ABBREVIATIONS),
                        ("AU", AU_STATE_ABBREVIATIONS))


def region_abbreviations(text: str) -> list[tuple[str, str]]:
    """(country code, admin-1 name) of every state or province an abbreviation may stand for.

    Dotted forms ("N.J.", "B.C.", "Calif.") and capitals of at most three letters ("NJ",
    "NSW", "WA": Washington or Western Australia) count; "Mass", "Ind" or "on" do not.
    """
    key = fold(text)
    dotted = "." in text
    capitals = text.isupper() and len(key.replace(" ", "")) <= 3
    if not (dotted or capitals):
        return []
    return [(code, table[key]) for code, table in _ABBREVIATION_TABLES if key in table]


_CONTAINER = re.compile(r"^,\s*((?:[A-Z][\w’'.-]*\.?)(?:\s+[A-Z][\w’'.-]*\.?){0,3})")


def container_of(text: str, end: int, gazetteer) -> tuple[str, str | None] | None:
    """(country code, admin-1 name or None) of the place written right after a name: "Mayadin, Syria".

    None when the name is not followed by ", <a country, a state, a province or a county>".
    """
    match = _CONTAINER.match(text[end:end + 40])
    if not match:
        return None
    words = match.group(1).split()
    # Try the longest prefix first: "Deir ez-Zor province" before "Deir".
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n])
        key = fold(name)
        regions = region_abbreviations(name)
        if regions:
            return regions[0]  # "Alexandria, La.", "Nelson, B.C."; "WA" after a name is Washington first
        if key in US_STATE_ABBREVIATIONS and (n > 1 or len(key) > 2):
            return "US", US_STATE_ABBREVIATIONS[key]  # "Fresno, Calif"
        found = gazetteer.candidates(name.rstrip("."), feature_class="A", limit=3, fuzzy=False)
        for place in found:
            code = place.raw["feature_code"]
            if code.startswith("PCL"):
                return place.raw["country_code"], None
            if code == "ADM1" and place.raw["match"] != "transliteration":
                return place.raw["country_code"], place.raw["name"]
            if code == "ADM2" and place.raw["match"] == "name":
                return place.raw["country_code"], place.raw["admin1"] or None  # "Knockhill, Fife": Scotland
    return None


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, tuple[str, str | None]]:
    """Demonym -> (ISO2, admin-1 name or None), from countryinfo's data and the project's curated list."""
    import importlib.util

    table: dict[str, tuple[str, str | None]] = {}
    population: dict[str, int] = {}
    spec = importlib.util.find_spec("countryinfo")
    if spec and spec.submodule_search_locations:
        for path in (Path(list(spec.submodule_search_locations)[0]) / "data").glob("*.json"):
            try:
                row = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            code, word = row.get("ISO", {}).get("alpha2"), row.get("demonym")
            if not (word and code):
                continue
            # "Norwegian" is also Svalbard's demonym, "Indian" the Indian Ocean Territory's:
            # a shared demonym means the most populous of its countries.
            people = row.get("population") if isinstance(row.get("population"), int) else 0
            key = fold(word)
            if key not in table or people > population[key]:
                table[key], population[key] = (code, None), people
    from .gazetteer.sources import curated_dir

    path = curated_dir() / "demonyms.tsv"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and "\t" in line:
                word, code, *region = line.split("\t")
                table[fold(word)] = (code.strip(), region[0].strip() if region and region[0].strip() else None)
    return table


def _demonym(word: str) -> tuple[str, str | None] | None:
    key = fold(word)
    table = _demonyms()
    if key in table:
        return table[key]
    if key.endswith("s") and key[:-1] in table:
        return table[key[:-1]]
    return None


# Adjectives that stand for a continent or a world region when a text uses them as a place
# ("European airlines", "Latin American migrants"): the name and feature code they stand for.
REGION_ADJECTIVES = {
    "european": ("Europe", "CONT"), "african": ("Africa", "CONT"), "asian": ("Asia", "CONT"),
    "north american": ("North America", "CONT"), "south american": ("South America", "CONT"),
    "oceanian": ("Oceania", "CONT"), "antarctic": ("Antarctica", "CONT"),
    "latin american": ("Latin America", "RGN"), "central american": ("Central America", "RGN"),
    "middle eastern": ("Middle East", "RGN"), "central asian": ("Central Asia", "RGN"),
    "north african": ("North Africa", "RGN"), "west african": ("West Africa", "RGN"),
    "east african": ("East Africa", "RGN"), "balkan": ("Balkans", "RGN"), "levantine": ("Levant", "RGN"),
}


def demonym_country(word: str) -> str | None:
    """ISO2 for a demonym or country adjective ("Iraqi", "Syrians", "Kosovar"), else None."""
    found = _demonym(word)
    return found[0] if found else None


def is_adjective_of_place(word: str) -> bool:
    """A demonym or an adjective of a world region: "Iraqi", "Turkish", "European", "Latin American"."""
    return demonym_country(word) is not None or fold(word) in REGION_ADJECTIVES


def demonym_region(word: str) -> str | None:
    """The admin-1 region a demonym names within its country ("English": England), else None."""
    found = _demonym(word)
    return found[1] if found else None
