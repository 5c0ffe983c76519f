"""Tests for the gazetteer file importers: GeoNames dumps, admin1 codes and place CSVs."""
from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest

from geoevents.gazetteer import index
from geoevents.gazetteer.imports import (
    country_to_iso2,
    detect_source_kind,
    read_admin1_codes,
    read_alternate_names,
    read_geonames,
    read_places_csv,
)
from geoevents.gazetteer.records import Admin1Code, AlternateName, GazetteerSourceError, PlaceRecord


def geoname_line(
    geonameid: int,
    name: str,
    lat: str,
    lon: str,
    *,
    ascii_name: str | None = None,
    alternates: str = "",
    fclass: str = "P",
    fcode: str = "PPL",
    country: str = "IQ",
    admin1: str = "",
    admin2: str = "",
    population: str = "0",
) -> str:
    """One row of the 19-column GeoNames geoname table."""
    fields = [
        str(geonameid), name, ascii_name if ascii_name is not None else name, alternates,
        lat, lon, fclass, fcode, country, "", admin1, admin2, "", "", population, "", "250",
        "Asia/Baghdad", "2024-03-01",
    ]
    assert len(fields) == 19
    return "\t".join(fields) + "\n"


MOSUL = geoname_line(
    99072, "Mosul", "36.335", "43.11889",
    alternates="Al Mawsil,Mossoul,Mosul,OSM,ORBM,https://en.wikipedia.org/wiki/Mosul,الموصل, Mossul ",
    fcode="PPLA", admin1="15", population="1739800",
)
BAGHDAD = geoname_line(98182, "Baghdad", "33.34058", "44.40088", fcode="PPLC", admin1="07", population="7216000")
ERBIL = geoname_line(95446, "Erbil", "36.19257", "44.01062", alternates="Arbil,Hawler,EBL", fcode="PPLA", admin1="11")
ALEPPO = geoname_line(
    170063, "Aleppo", "36.20124", "37.16117", alternates="Halab,حلب", country="SY", admin1="09", fcode="PPLA"
)
README = "Readme for GeoNames Gazetteer extract files\n\nThe main 'geoname' table has the following fields:\n"


def write_zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- GeoNames geoname table ------------------------------------------------------------


def test_all_countries_zip_reads_places_and_cleans_alternate_names(tmp_path):
    path = write_zip(tmp_path / "allCountries.zip", {"allCountries.txt": MOSUL + BAGHDAD + ALEPPO})

    places = list(read_geonames(path))

    assert [p.geonameid for p in places] == [99072, 98182, 170063]
    mosul = places[0]
    assert mosul == PlaceRecord(
        geonameid=99072,
        name="Mosul",
        latitude=36.335,
        longitude=43.11889,
        feature_class="P",
        feature_code="PPLA",
        country_code="IQ",
        admin1="15",
        admin2="",
        population=1739800,
        source="geonames:allCountries.zip",
        alternate_names=["Al Mawsil", "Mossoul", "الموصل", "Mossul"],
    )
    assert places[2].country_code == "SY"
    # The zip is read in place, never extracted next to the user's file.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["allCountries.zip"]


def test_country_zip_picks_data_member_not_readme(tmp_path):
    path = write_zip(tmp_path / "IQ.zip", {"readme.txt": README, "IQ.txt": MOSUL + ERBIL})

    places = list(read_geonames(path))

    assert [p.name for p in places] == ["Mosul", "Erbil"]
    assert places[1].alternate_names == ["Arbil", "Hawler"]
    assert places[1].source == "geonames:IQ.zip"


def test_cities_zip_and_plain_txt(tmp_path):
    zipped = write_zip(tmp_path / "cities500.zip", {"cities500.txt": BAGHDAD + ALEPPO})
    plain = write_text(tmp_path / "cities500.txt", BAGHDAD + "\n" + ALEPPO)

    assert [p.name for p in read_geonames(zipped)] == ["Baghdad", "Aleppo"]
    from_txt = list(read_geonames(plain))
    assert [p.name for p in from_txt] == ["Baghdad", "Aleppo"]
    assert from_txt[0].source == "geonames:cities500.txt"


def test_renamed_zip_uses_its_only_data_file(tmp_path):
    path = write_zip(tmp_path / "iraq-download.zip", {"readme.txt": README, "IQ.txt": ERBIL})
    assert [p.name for p in read_geonames(path)] == ["Erbil"]


def test_ascii_name_is_kept_as_alternate_and_empty_population_is_zero(tmp_path):
    line = geoname_line(99532, "As Sulaymānīyah", "35.56496", "45.4329", ascii_name="As Sulaymaniyah", population="")
    [place] = read_geonames(write_text(tmp_path / "IQ.txt", line))
    assert place.alternate_names == ["As Sulaymaniyah"]
    assert place.population == 0


# --- alternateNames and admin1 codes ---------------------------------------------------


def alternate_line(row_id: int, geonameid: int, language: str, name: str, *flags: str, v2: bool = True) -> str:
    """One alternateNames row; ``flags`` are isPreferred, isShort, isColloquial, isHistoric."""
    flag_fields = list(flags) + [""] * (4 - len(flags))
    fields = [str(row_id), str(geonameid), language, name, *flag_fields]
    if v2:
        fields += ["", ""]
    return "\t".join(fields) + "\n"


def test_alternate_names_v2_skips_codes_links_historic_and_colloquial(tmp_path):
    rows = (
        alternate_line(1, 99072, "ar", "الموصل")
        + alternate_line(2, 99072, "en", "Mosul", "1")
        + alternate_line(3, 99072, "iata", "OSM")
        + alternate_line(4, 99072, "icao", "ORBM")
        + alternate_line(5, 99072, "link", "https://en.wikipedia.org/wiki/Mosul")
        + alternate_line(6, 99072, "wkdt", "Q83232")
        + alternate_line(7, 99072, "en", "Ninawa City", "", "", "", "1")
        + alternate_line(8, 99072, "en", "Mosul Town", "", "", "1", "")
        + alternate_line(9, 99072, "post", "41001")
        + alternate_line(10, 98182, "", "Bagdad")
    )
    path = write_zip(tmp_path / "alternateNamesV2.zip", {"iso-languagecodes.txt": "x\ty\n", "alternateNamesV2.txt": rows})

    assert list(read_alternate_names(path)) == [
        AlternateName(99072, "الموصل", "ar"),
        AlternateName(99072, "Mosul", "en"),
        AlternateName(98182, "Bagdad", ""),
    ]


def test_old_eight_column_alternate_names(tmp_path):
    rows = alternate_line(1, 95446, "ku", "Hewlêr", v2=False) + alternate_line(2, 95446, "abbr", "EBL", v2=False)
    path = write_text(tmp_path / "alternateNames.txt", rows)
    assert list(read_alternate_names(path)) == [AlternateName(95446, "Hewlêr", "ku")]


def test_admin1_codes(tmp_path):
    path = write_text(
        tmp_path / "admin1CodesASCII.txt",
        "IQ.15\tNīnawá\tNinawa\t98227\nSY.09\tAleppo\tAleppo\t170062\n",
    )
    assert list(read_admin1_codes(path)) == [
        Admin1Code("IQ", "15", "Nīnawá", "Ninawa", 98227),
        Admin1Code("SY", "09", "Aleppo", "Aleppo", 170062),
    ]


# --- place CSVs ------------------------------------------------------------------------


UCDP_CSV = """\
id,year,type_of_violence,where_coordinates,where_prec,latitude,longitude,country,country_id
101,2017,1,Abu Kamal town,1,34.4506,40.9186,Syria,652
102,2017,1,Aleppo city,1,36.2021,37.1343,Syria,652
103,2017,1,Abu Kamal town,1,34.45060,40.91860,Syria,652
104,2018,2,Goma town,1,-1.6792,29.2228,DR Congo (Zaire),490
105,2018,1,Gaza City,1,31.5017,34.4668,Israel,666
106,2018,1,Unknown village,7,,,Syria,652
107,2019,1,Idlib governorate,4,35.8,36.6,Russia (Soviet Union),365
"""

ACLED_CSV = """\
event_id_cnty,event_date,year,iso,country,admin1,admin2,admin3,location,latitude,longitude,notes
IRQ1001,2021-03-01,2021,368,Iraq,Ninewa,Mosul,,Mosul,36.335,43.1189,"On 1 March, shelling; casualties unknown"
IRQ1002,2021-03-02,2021,368,,Erbil,Erbil,,Erbil,36.1926,44.0106,
SYR2001,2021-03-03,2021,760,Syria,Aleppo,Afrin,,Afrin,36.5119,36.8698,
XXX3001,2021-03-04,2021,999,Atlantis,,,,Nowhere,10.0,200.0,
"""


def test_ucdp_csv(tmp_path, caplog):
    path = write_text(tmp_path / "ged.csv", UCDP_CSV)

    with caplog.at_level(logging.WARNING, logger="geoevents.gazetteer.imports"):
        places = list(read_places_csv(path))

    assert [(p.name, p.country_code, p.alternate_names) for p in places] == [
        ("Abu Kamal", "SY", ["Abu Kamal town"]),
        ("Aleppo", "SY", ["Aleppo city"]),
        ("Goma", "CD", ["Goma town"]),
        ("Gaza City", "IL", []),
        ("Idlib", "RU", ["Idlib governorate"]),
    ]
    abu_kamal = places[0]
    assert (abu_kamal.latitude, abu_kamal.longitude) == (34.4506, 40.9186)
    assert (abu_kamal.feature_class, abu_kamal.feature_code, abu_kamal.source) == ("P", "PPL", "csv:ged.csv")
    assert all(p.geonameid < 0 for p in places)
    assert len({p.geonameid for p in places}) == len(places)
    assert "skipped 1 rows" in caplog.text


def test_acled_csv_resolves_numeric_iso_and_skips_bad_coordinates(tmp_path):
    path = write_text(tmp_path / "acled.csv", ACLED_CSV)
    places = list(read_places_csv(path))
    assert [(p.name, p.country_code) for p in places] == [("Mosul", "IQ"), ("Erbil", "IQ"), ("Afrin", "SY")]
    assert places[0].alternate_names == []


def test_semicolon_csv_with_decimal_commas_and_iso3(tmp_path):
    text = "\ufeffName;Lat;Lon;ISO3\nTal Afar;36,3792;42,4497;IRQ\nRaqqa;35.9528;39.0079;SYR\nSomewhere;1,2;3,4;ZZZ\n"
    places = list(read_places_csv(write_text(tmp_path / "places.csv", text)))
    assert [(p.name, p.latitude, p.longitude, p.country_code) for p in places] == [
        ("Tal Afar", 36.3792, 42.4497, "IQ"),
        ("Raqqa", 35.9528, 39.0079, "SY"),
        ("Somewhere", 1.2, 3.4, ""),
    ]


def test_tab_separated_place_list(tmp_path):
    text = "toponym\ty\tx\tcountry_code\nKirkuk\t35.4681\t44.3922\tiq\n"
    [place] = read_places_csv(write_text(tmp_path / "places.tsv", text))
    assert (place.name, place.country_code) == ("Kirkuk", "IQ")


def test_csv_ids_are_stable_across_reads_and_files(tmp_path):
    first = {p.name: p.geonameid for p in read_places_csv(write_text(tmp_path / "a.csv", UCDP_CSV))}
    again = {p.name: p.geonameid for p in read_places_csv(write_text(tmp_path / "b.csv", UCDP_CSV))}
    assert first == again


@pytest.mark.parametrize(
    ("value", "iso2"),
    [("Syria", "SY"), ("syr", "SY"), ("760", "SY"), ("368.0", "IQ"), ("IQ", "IQ"),
     ("Myanmar (Burma)", "MM"), ("Republic of Congo", "CG"), ("Palestine", "PS"), ("Narnia", ""), ("", "")],
)
def test_country_to_iso2(value, iso2):
    assert country_to_iso2(value) == iso2


# --- source detection ------------------------------------------------------------------


def test_detect_source_kind_by_name(tmp_path):
    assert detect_source_kind(tmp_path / "allCountries.zip") == "geonames"
    assert detect_source_kind(tmp_path / "IQ.zip") == "geonames"
    assert detect_source_kind(tmp_path / "cities15000.txt") == "geonames"
    assert detect_source_kind(tmp_path / "alternateNamesV2.zip") == "alternate_names"
    assert detect_source_kind(tmp_path / "admin1CodesASCII.txt") == "admin1_codes"
    assert detect_source_kind(tmp_path / "ged241.csv") == "places_csv"


def test_detect_source_kind_by_content(tmp_path):
    assert detect_source_kind(write_text(tmp_path / "dump.txt", MOSUL)) == "geonames"
    assert detect_source_kind(write_zip(tmp_path / "mine.zip", {"mine.txt": ERBIL})) == "geonames"
    assert detect_source_kind(write_text(tmp_path / "names.txt", alternate_line(1, 2, "en", "X"))) == "alternate_names"
    assert detect_source_kind(write_text(tmp_path / "codes.txt", "IQ.15\tNinawa\tNinawa\t98227\n")) == "admin1_codes"
    assert detect_source_kind(write_text(tmp_path / "events.tsv", "location\tlat\tlon\nMosul\t36\t43\n")) == "places_csv"
    with pytest.raises(GazetteerSourceError, match="notes.txt"):
        detect_source_kind(write_text(tmp_path / "notes.txt", "just some text\n"))


# --- errors ----------------------------------------------------------------------------


def raises_for(path: Path, reader, match: str) -> GazetteerSourceError:
    with pytest.raises(GazetteerSourceError, match=match) as info:
        list(reader(path))
    assert path.name in str(info.value)
    return info.value


def test_missing_file(tmp_path):
    for reader in (read_geonames, read_alternate_names, read_admin1_codes, read_places_csv):
        raises_for(tmp_path / "absent.txt", reader, "file not found")


def test_zip_errors(tmp_path):
    raises_for(write_text(tmp_path / "allCountries.zip", "<html>not found</html>"), read_geonames, "not a zip")
    raises_for(write_zip(tmp_path / "IQ.zip", {"readme.txt": README}), read_geonames, "no .txt data file")
    two = write_zip(tmp_path / "many.zip", {"SY.txt": ALEPPO, "IQ.txt": MOSUL})
    raises_for(two, read_geonames, "several data files")


def test_corrupt_zip_member_midway(tmp_path):
    path = write_zip(tmp_path / "IQ.zip", {"IQ.txt": (MOSUL + BAGHDAD) * 300})
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 40] = bytes(40)
    path.write_bytes(bytes(data))
    raises_for(path, read_geonames, "IQ.zip")


def test_wrong_format_is_refused_on_first_row(tmp_path):
    error = raises_for(write_text(tmp_path / "events.txt", UCDP_CSV), read_geonames, "not a GeoNames geoname table")
    assert "line 1" in str(error)
    raises_for(write_text(tmp_path / "cities.txt", MOSUL), read_alternate_names, "expected 8 or 10")
    raises_for(write_text(tmp_path / "admin1.txt", MOSUL), read_admin1_codes, "expected 4")
    raises_for(write_text(tmp_path / "admin1b.txt", "Nineveh\tNinawa\tNinawa\t98227\n"), read_admin1_codes, "CC.ADMIN1")


def test_geonames_bad_coordinates_first_row_and_midway(tmp_path):
    bad_lat = geoname_line(1, "Nowhere", "north", "43.1")
    raises_for(write_text(tmp_path / "a.txt", bad_lat), read_geonames, r"line 1: latitude 'north' is not a number")
    out_of_range = geoname_line(2, "Nowhere", "36.3", "243.1")
    error = raises_for(write_text(tmp_path / "b.txt", MOSUL + BAGHDAD + out_of_range), read_geonames, "line 3: longitude")
    assert "not a GeoNames" not in str(error)
    short = "\t".join(MOSUL.split("\t")[:12]) + "\n"
    raises_for(write_text(tmp_path / "c.txt", MOSUL + short), read_geonames, "line 2: 12 tab-separated columns")


def test_undecodable_bytes(tmp_path):
    raises_for(write_text(tmp_path / "IQ.txt", MOSUL.replace("الموصل", "Mossoul é"), "latin-1"), read_geonames, "UTF-8")
    raises_for(write_text(tmp_path / "places.csv", "name,lat,lon\nBéja,36.7,9.2\n", "latin-1"), read_places_csv, "UTF-8")


def test_csv_errors(tmp_path):
    raises_for(write_text(tmp_path / "a.csv", "city,population\nMosul,1\n"), read_places_csv, "lacks required columns")
    raises_for(write_text(tmp_path / "b.csv", "name,lat,lon\nMosul,north,east\n,36,43\n"), read_places_csv, "no row")
    raises_for(write_text(tmp_path / "c.csv", "name,lat,lon\nMosul,36.3\n"), read_places_csv, "line 2: 2 columns")
    raises_for(write_text(tmp_path / "d.csv", ""), read_places_csv, "empty")
    huge_field = 'name,lat,lon,notes\nMosul,36,43,"' + "x" * 200_000 + '"\n'
    raises_for(write_text(tmp_path / "e.csv", huge_field), read_places_csv, "line 2: malformed CSV")


def test_empty_dump_is_refused(tmp_path):
    raises_for(write_zip(tmp_path / "cities500.zip", {"cities500.txt": ""}), read_geonames, "no rows")


# --- the bulk import's parse-and-key of a block -----------------------------------------


def test_keyed_block_of_odd_rows_gives_the_readers_rows_and_skips_the_bad_ones(tmp_path):
    tal_afar = geoname_line(1, "Tall&nbsp;‘Afar", "36.37", "42.45", ascii_name="Tall Afar",
                            alternates="Tal Afar,TAL,www.talafar.example,Tal Afar,Tall Afar")
    arabic = geoname_line(2, "الموصل", "36.3", "43.1", ascii_name="", alternates="Mawsil,the,Ab")
    good = [MOSUL, tal_afar, arabic, ALEPPO]
    bad = [geoname_line(3, "North", "north", "43.1"), "4\tShort row\n", geoname_line(5, "Far", "36.3", "181"),
           geoname_line(6, "Ḩadīthah", "34.14", "42.38", population="many")]
    block = "".join([good[0], bad[0], good[1], bad[1], good[2], bad[2], bad[3], good[3]]).encode()
    path = tmp_path / "IQ.txt"
    places, names, tally, error = index._keyed_chunk("geonames", str(path), 1, block, True, True)
    assert error is None
    assert (tally.rows, tally.malformed) == (8, 4)
    assert tally.problems == ["line 2: latitude 'north' is not a number", "line 4: 2 tab-separated columns, expected 19",
                              "line 6: longitude 181.0 is outside [-180, 180]"]
    # The good rows as a one-process reader and the index's row makers take them.
    reader_places, reader_names = [], []
    (tmp_path / "good").mkdir()
    for place in read_geonames(write_text(tmp_path / "good" / "IQ.txt", "".join(good))):
        reader_places.append(index._place_row(place))
        index._place_name_rows(reader_names, [place])
    assert (places, names) == (reader_places, reader_names)
    # Entities and glottal marks folded, duplicates, codes and links left out, other scripts not keyed,
    # common words and two-letter keys not taken from alternates.
    assert [row for row in names if row[1] in (1, 2)] == [
        ("tall afar", 1, 0), ("~talafar", 1, 2), ("tal afar", 1, 1), ("mawsil", 2, 1), ("~mawsil", 2, 2)]

    lines = [alternate_line(1, 99072, "en", "Mosul"), alternate_line(2, 99072, "link", "https://x.example"),
             alternate_line(3, 99072, "", "OSM"), alternate_line(4, 99072, "ar", "الموصل"), "5\tx\n",
             alternate_line(6, 99072, "", "Mossoul", "", "", "", "1"), alternate_line(7, 99072, "fr", "the"),
             alternate_line(8, 95446, "", "Hawlêr"), alternate_line(9, 95446, "", "www.hawler.example")]
    places, names, tally, error = index._keyed_chunk("alternate_names", str(path), 1, "".join(lines).encode(),
                                                     True, True)
    assert (places, error, tally.rows, tally.malformed) == ([], None, 9, 1)
    assert names == [("mosul", 99072, 1), ("~mosul", 99072, 2), ("hawler", 95446, 1), ("~hawler", 95446, 2)]
