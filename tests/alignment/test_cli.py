"""``geohedge alignment``: both forms, output formats, and one-line errors with exit code 2."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from geohedge.cli.alignment import register
from geohedge.errors import GeohedgeError

pytestmark = pytest.mark.shared_data


def _app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    register(app)

    @app.callback()
    def _root() -> None:
        """root"""

    return app


def run(args, home, monkeypatch):
    """Invoke like geohedge.cli.main: GeohedgeError -> 'error: ...' on stderr, exit 2."""
    monkeypatch.setenv("GEOHEDGE_HOME", str(home))
    result = CliRunner().invoke(_app(), args, catch_exceptions=True)
    if isinstance(result.exception, GeohedgeError):
        buf = io.StringIO()
        Console(file=buf, stderr=True, width=10_000).print(f"error: {result.exception}", markup=False, highlight=False, soft_wrap=True)
        return 2, result.stdout, buf.getvalue()
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, ""


def test_country_table(shipped_home, monkeypatch):
    code, out, err = run(["alignment", "MYS", "--since", "2015", "--with", "Türkiye,IDN"], shipped_home, monkeypatch)
    assert code == 0, err
    assert "MYS between USA, CHN, RUS" in out and "2023" in out and "published" in out and "TUR" in out and "IDN" in out
    assert "Agreement with USA by definition" in out and "identical-vote share" in out


def test_country_csv(shipped_home, monkeypatch):
    code, out, _ = run(["alignment", "Malaysia", "--since", "2018", "--with", "TUR", "--format", "csv"], shipped_home, monkeypatch)
    assert code == 0
    f = pd.read_csv(io.StringIO(out))
    assert set(f["country"]) == {"MYS", "TUR"}
    assert sorted(f.loc[f["country"] == "MYS", "year"].unique()) == [2018, 2019, 2020, 2021, 2022, 2023]
    assert "agree_MYS" in f.columns and {"session", "source"} <= set(f.columns)
    assert f.loc[(f["country"] == "TUR") & (f["year"] <= 2019), "agree_MYS"].between(0, 1).all()


def test_since_2021_and_2026(shipped_home, monkeypatch):
    code, out, _ = run(["alignment", "MYS", "--since", "2021", "--format", "csv"], shipped_home, monkeypatch)
    assert code == 0 and list(pd.read_csv(io.StringIO(out))["year"]) == [2021, 2022, 2023]
    code, _, err = run(["alignment", "MYS", "--since", "2026"], shipped_home, monkeypatch)
    assert code == 2
    assert err == ("error: no UN General Assembly agreement for MYS since 2026; the last year held is 2023 "
                   "(session 78, which opened in September 2023; published)\n")


def test_state_department_index(shipped_home, monkeypatch, vote_data):
    from geohedge.alignment import state_department_coincidence

    code, out, _ = run(["alignment", "MYS", "--index", "state-dept", "--since", "2017", "--format", "json"], shipped_home, monkeypatch)
    assert code == 0
    rows = {r["year"]: r for r in json.loads(out) if r["country"] == "MYS"}
    ref = state_department_coincidence(vote_data.votes, vote_data.roll_calls, "USA", years=[2019]).set_index("country")
    assert sorted(rows) == [2017, 2018, 2019] and rows[2019]["agree_USA"] == pytest.approx(ref.loc["MYS", "coincidence"])


def test_pairs_json_matches_library(votes_home, monkeypatch, agreement):
    code, out, _ = run(["alignment", "pairs", "--year", "2019", "--index", "half", "--format", "json"], votes_home, monkeypatch)
    assert code == 0
    rows = {r["country"]: r for r in json.loads(out)}
    m = agreement.matrix(2019)
    assert len(rows) == len(m) == 193
    assert rows["MYS"]["TUR"] == pytest.approx(m.loc["MYS", "TUR"])
    assert rows["USA"]["USA"] == 1.0
    # the default index is the published definition, for the session that opened in 2019
    code, out, _ = run(["alignment", "pairs", "--year", "2019", "--format", "json"], votes_home, monkeypatch)
    rows = {r["country"]: r for r in json.loads(out)}
    assert code == 0 and rows["MYS"]["USA"] == pytest.approx(13 / 91)  # published USAgree of Malaysia, session 74


def test_pairs_parquet(votes_home, monkeypatch, tmp_path):
    out = tmp_path / "m.parquet"
    code, _, _ = run(["alignment", "pairs", "--year", "1990", "--format", "parquet", "--out", str(out)], votes_home, monkeypatch)
    assert code == 0
    f = pd.read_parquet(out).set_index("country")
    assert (f.values.diagonal() == 1).all() and f.shape[0] == f.shape[1] - 0


def test_pairs_table_subset(votes_home, monkeypatch):
    code, out, _ = run(["alignment", "pairs", "--year", "2019", "--with", "USA,CHN,MYS"], votes_home, monkeypatch)
    assert code == 0 and "UN General Assembly agreement, 2019" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["alignment", "VAT", "--index", "half"], "error: VAT cast no vote in the selected UN General Assembly roll calls (calendar years 1946-2020, all roll calls); the focus country must be a country that voted\n"),
        (["alignment", "pairs", "--year", "1964", "--index", "half"], "error: no UN General Assembly roll calls in year 1964; years with votes run 1946-2020 (none in 1964)\n"),
        (["alignment", "MYS", "--index", "xx"], "error: unknown agreement index 'xx'; use one of half, identical, state-dept\n"),
        (["alignment", "MYS", "--issue", "xx"], "error: unknown issue code 'xx'; use one of co (colonialism), di (arms control and disarmament), ec (economic development), hr (human rights), me (Palestinian conflict), nu (nuclear weapons and nuclear material)\n"),
        (["alignment", "pairs"], "error: 'geohedge alignment pairs' needs --year YEAR\n"),
        (["alignment", "Atlantis"], None),
    ],
)
def test_bad_input_one_line_exit_2(shipped_home, monkeypatch, args, message):
    code, _, err = run(args, shipped_home, monkeypatch)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ")
    if message is not None:
        assert err == message


def test_no_votes_loaded(tmp_path, monkeypatch):
    from geohedge.data.store import Store

    with Store(tmp_path / "geohedge.duckdb"):
        pass
    code, _, err = run(["alignment", "MYS"], tmp_path, monkeypatch)
    assert code == 2
    assert err == "error: no UN General Assembly votes in the store; run 'geohedge data build' (the bundle ships them) or 'geohedge data import unga PATH'\n"


def test_country_with_ideal_points(shipped_home, monkeypatch):
    code, out, _ = run(["alignment", "TUR", "--since", "2018", "--ideal", "--format", "csv"], shipped_home, monkeypatch)
    assert code == 0
    f = pd.read_csv(io.StringIO(out)).set_index("year")
    assert {"ideal_point", "dist_USA", "dist_CHN", "relative", "ideal_equidistance", "ideal_source"} <= set(f.columns)
    assert f.loc[2019, "dist_USA"] > 0
    assert f.loc[2019, "ideal_source"] == "geohedge" and f.loc[2021, "ideal_source"] == "published"
