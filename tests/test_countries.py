import datetime as dt

import pytest

from geohedge import countries
from geohedge.errors import DataError, InputError


@pytest.mark.parametrize(
    "query, iso3",
    [
        ("Türkiye", "TUR"), ("Turkey", "TUR"), ("TUR", "TUR"), ("tur", "TUR"), ("TR", "TUR"),
        ("Malaysia", "MYS"), ("MY", "MYS"), ("MYS", "MYS"), (458, "MYS"), ("458", "MYS"),
        # BACI / UN Comtrade numeric codes that are not ISO numeric codes
        (842, "USA"), ("842", "USA"), (699, "IND"), (251, "FRA"), (490, "TWN"), (757, "CHE"), (579, "NOR"),
        # ISO numeric codes of the same countries
        (840, "USA"), (356, "IND"), (250, "FRA"),
        ("United States", "USA"), ("Viet Nam", "VNM"), ("Vietnam", "VNM"), ("Korea", "KOR"),
        ("Republic of Korea", "KOR"), ("Russia", "RUS"), ("China", "CHN"), ("Taiwan", "TWN"),
        ("GB", "GBR"), ("UK", "GBR"), ("Namibia", "NAM"), ("NA", "NAM"),
    ],
)
def test_resolve(query, iso3):
    assert countries.resolve(query) == iso3


@pytest.mark.parametrize(
    "query, iso3, successor",
    [("SU", "SUN", "RUS"), ("USSR", "SUN", "RUS"), ("Yugoslavia", "YUG", "SRB"), ("DD", "DDR", "DEU"),
     ("CS", "CSK", "CZE"), ("YD", "YMD", "YEM"), ("Yemen Arab Republic", "YAR", "YEM")],
)
def test_former_states_keep_their_own_code(query, iso3, successor):
    c = countries.country(query)
    assert (c.iso3, c.former, c.successor) == (iso3, True, successor)


def test_unknown_country_suggests_close_matches():
    with pytest.raises(InputError) as err:
        countries.resolve("Turky")
    assert str(err.value) == "unknown country 'Turky'; did you mean TUR (Türkiye)?"


@pytest.mark.parametrize("query", ["", "XYZQ", "999", 0, "Atlantis"])
def test_unknown_inputs_raise(query):
    with pytest.raises(InputError, match="unknown country"):
        countries.resolve(query)


def test_resolve_many_reports_unknown_as_none():
    assert countries.resolve_many(["MYS", "nowhere", 842]) == {"MYS": "MYS", "nowhere": None, 842: "USA"}


def test_coco_groupings():
    assert len(countries.bloc_members("EU27")) == 27
    assert set(countries.bloc_members("G7")) == {"CAN", "DEU", "FRA", "GBR", "ITA", "JPN", "USA"}
    assert "TUR" in countries.bloc_members("OECD") and "MYS" not in countries.bloc_members("OECD")
    # OECD membership is dated by accession year in country_converter
    assert "COL" in countries.bloc_members("OECD")
    assert "COL" not in countries.bloc_members("OECD", on=dt.date(2019, 6, 1))


def test_shipped_blocs_are_dated():
    asean = countries.bloc("ASEAN")
    assert {"MYS", "IDN", "SGP", "THA", "PHL", "VNM"} <= set(asean.members_on())
    assert "VNM" not in countries.bloc_members("ASEAN", on=dt.date(1990, 1, 1))
    brics = set(countries.bloc_members("BRICS"))
    assert {"BRA", "RUS", "IND", "CHN", "ZAF", "EGY", "ETH", "IRN", "ARE", "IDN"} <= brics
    assert "IDN" not in countries.bloc_members("BRICS", on=dt.date(2024, 6, 1))
    assert "EGY" in countries.bloc_members("BRICS", on=dt.date(2024, 6, 1))
    nato = countries.bloc_members("NATO")
    assert len(nato) == 32 and "TUR" in nato and "SWE" in nato
    assert "SWE" not in countries.bloc_members("NATO", on=dt.date(2023, 12, 31))
    for code in ("SCO", "OIC", "GCC", "RCEP", "CPTPP"):
        assert countries.bloc_members(code), code
    assert "MYS" in countries.bloc_members("OIC") and "TUR" in countries.bloc_members("OIC")
    assert "MYS" in countries.bloc_members("CPTPP") and "MYS" in countries.bloc_members("RCEP")


def test_groups_of_malaysia():
    groups = countries.groups_of("Malaysia")
    assert {"ASEAN", "OIC", "RCEP", "CPTPP", "APEC", "UN"} <= set(groups)
    assert "NATO" not in groups and "EU27" not in groups


def test_user_blocs_file(tmp_path):
    path = tmp_path / "blocs.toml"
    path.write_text(
        '[MIDDLE]\nname = "Middle powers"\nmembers = ["Malaysia", "Türkiye", { iso3 = "IDN", joined = "2020-01-01" }]\n',
        encoding="utf-8",
    )
    extra = countries.load_blocs(path)
    assert countries.bloc_members("middle", extra=extra) == ("IDN", "MYS", "TUR")
    assert countries.bloc_members("MIDDLE", on=dt.date(2019, 1, 1), extra=extra) == ("MYS", "TUR")
    assert "MIDDLE" in countries.groups_of("TUR", extra=extra)


@pytest.mark.parametrize(
    "text, message",
    [
        ('[X]\nmembers = ["Atlantis"]\n', "bloc 'X' member 1: unknown country 'Atlantis'"),
        ('[X]\nmembers = [{ iso3 = "MYS", joined = "2020-13-01" }]\n', "date '2020-13-01' is not YYYY-MM-DD"),
        ("[X]\nname = 'no members'\n", "bloc 'X' needs a 'members' list"),
        ("[X\n", "not valid TOML"),
    ],
)
def test_bad_blocs_file(tmp_path, text, message):
    path = tmp_path / "blocs.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        countries.load_blocs(path)


def test_unknown_bloc():
    with pytest.raises(InputError, match="unknown bloc 'ASEN'; did you mean ASEAN"):
        countries.bloc("ASEN")
