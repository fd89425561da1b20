import datetime as dt

import pytest

from geohedge.countries import country
from geohedge.errors import DataError, InputError
from geohedge.events.actors import SECTORS, default_actors, load_actors, resolve_actor

ON = dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("name", "code", "sector"),
    [
        ("Anwar Ibrahim", "MYS", "government"),
        ("Anwar", "MYS", "government"),
        ("Ankara", "TUR", "government"),
        ("Kuala Lumpur", "MYS", "government"),
        ("Washington", "USA", "government"),
        ("Turkey", "TUR", "government"),
        ("Türkiye", "TUR", "government"),
        ("Erdogan", "TUR", "government"),
        ("Xi Jinping", "CHN", "government"),
        ("Pentagon", "USA", "military"),
        ("NATO", "NATO", "igo"),
        ("ASEAN", "ASEAN", "igo"),
        ("United Nations", "UN", "igo"),
        ("EU", "EU", "igo"),
    ],
)
def test_names_resolve(name, code, sector):
    actor = resolve_actor(name, on=ON)
    assert (actor.code, actor.sector) == (code, sector)


def test_adjectives_and_sectors_from_context():
    found = default_actors().find("The Turkish army and Malaysian exporters met Palestinian protesters.", ON)
    assert [(m.text, m.actor.code, m.actor.sector) for m in found] == [
        ("Turkish", "TUR", "military"), ("Malaysian", "MYS", "business"), ("Palestinian", "PSE", "civilian"),
    ]


def test_terms_of_office():
    assert resolve_actor("Mahathir", on=dt.date(2019, 1, 1)).sector == "government"
    assert resolve_actor("Mahathir", on=dt.date(2024, 1, 1)).sector == "elite"
    assert resolve_actor("Mahathir", on=dt.date(2024, 1, 1)).code == "MYS"
    assert resolve_actor("Biden", on=dt.date(2022, 1, 1)).sector == "government"
    assert resolve_actor("Biden", on=dt.date(2025, 6, 1)).sector == "elite"


def test_case_sensitive_and_longest_match():
    found = default_actors().find("Let us talk: North Korea and Guinea-Bissau, not us.", ON)
    assert [m.actor.code for m in found] == ["PRK", "GNB"]


def test_every_state_actor_is_a_known_country():
    for entry in default_actors().entries:
        assert entry.sector is None or entry.sector in SECTORS
        if entry.kind != "org" and entry.code not in {"EU", "NATO", "UN"}:
            assert country(entry.code).iso3 == entry.code


def test_heads_of_state_or_government_cover_g20_asean_oic():
    from geohedge.countries import bloc_members

    people = {e.code for e in default_actors().entries if e.kind == "person" and e.valid_to is None}
    for bloc in ("G20", "ASEAN", "OIC"):
        missing = set(bloc_members(bloc)) - people
        assert not missing, (bloc, sorted(missing))


def test_unknown_actor_and_bad_table(tmp_path):
    with pytest.raises(InputError, match="unknown actor 'Nobody'"):
        resolve_actor("Nobody")
    bad = tmp_path / "a.csv"
    bad.write_text("kind,name,aliases,code,sector,role,valid_from,valid_to\nperson,X Y,,MYS,wizard,,,\n")
    with pytest.raises(DataError, match="sector 'wizard'"):
        load_actors(bad)
    good = tmp_path / "b.csv"
    good.write_text("kind,name,aliases,code,sector,role,valid_from,valid_to\nperson,Jane Minister,Minister Jane,MYS,government,,2024-01-01,\n")
    assert load_actors(good).resolve("Minister Jane").code == "MYS"
