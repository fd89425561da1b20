"""The shipped table of trade agreements: every row dated and sourced, and the pair logic
(both parties in the same agreement, each party's date on or before the day asked)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geohedge.errors import DataError
from geohedge.partners import agreements_between, check_agreements
from geohedge.views.partners import agreements_table


@pytest.fixture(scope="module")
def table():
    return agreements_table()


def test_every_row_is_dated_and_sourced(table):
    assert len(table) >= 150 and table["agreement"].nunique() >= 50
    assert table["source_url"].str.startswith("http").all()
    assert table["note"].str.len().gt(5).all()
    # each of the groups the table is for takes part in at least one agreement
    for party in ("MYS", "SGP", "THA", "IDN", "PHL", "VNM", "BRN", "KHM", "LAO", "MMR", "TUR", "USA", "CHN", "EU27", "JPN", "KOR"):
        assert (table["party"] == party).any(), party
    # a year-only date is the end of that year
    yr = table[table["precision"] == "year"]
    assert all((d.month, d.day) == (12, 31) for d in yr["in_force"])


def test_malaysia_turkiye_in_force_since_1_august_2015(table):
    """The agreement the question started from: in force on 1 August 2015, not the day before."""
    on = agreements_between(table, "MYS", ["TUR"], dt.date(2015, 8, 1)).iloc[0]
    before = agreements_between(table, "MYS", ["TUR"], dt.date(2015, 7, 31)).iloc[0]
    assert on["agreement_in_force"] and on["agreements"] == "MTFTA" and str(on["agreement_since"]) == "2015-08-01"
    assert not before["agreement_in_force"] and before["agreements"] == ""
    assert "trade.gov.tr" in on["agreement_sources"]


def test_pairs_and_eu_members(table):
    got = agreements_between(table, "KOR", ["DEU", "USA", "TUR", "BRA"], dt.date(2023, 1, 1)).set_index("partner")
    assert got.loc["DEU", "agreements"] == "EUKOR" and str(got.loc["DEU", "agreement_since"]) == "2011-07-01"
    assert got.loc["USA", "agreements"] == "KORUS" and got.loc["TUR", "agreements"] == "KTFTA"
    assert not got.loc["BRA", "agreement_in_force"]
    # plurilateral with member-specific dates: RCEP for Malaysia from 18 March 2022, the later of the two dates
    mj = agreements_between(table, "MYS", ["KOR"], dt.date(2022, 3, 1)).iloc[0]
    assert "RCEP" not in mj["agreements"].split(";")
    mj = agreements_between(table, "MYS", ["KOR"], dt.date(2022, 3, 18)).iloc[0]
    assert "RCEP" in mj["agreements"].split(";") and mj["agreements"].split(";")[0] == "AKFTA"


@pytest.mark.parametrize(("change", "message"), [
    ({"in_force": "2015-13-01"}, "bad.csv: 1 bad rows, e.g. row 2: in_force '2015-13-01' is not YYYY-MM-DD"),
    ({"party": "XYZ"}, "bad.csv: 1 bad rows, e.g. row 2: party 'XYZ' is not an ISO3 code or EU27"),
    ({"source_url": ""}, "bad.csv: 1 bad rows, e.g. row 2: MTFTA has no source URL"),
    ({"precision": "month"}, "bad.csv: 1 bad rows, e.g. row 2: precision 'month' must be day or year"),
])
def test_bad_table_rows_are_named(change, message):
    t = pd.DataFrame([{"agreement": "MTFTA", "name": "x", "kind": "FTA", "party": "MYS", "in_force": "2015-08-01", "precision": "day",
                       "source_url": "https://example.org", "note": "n"}])
    for k, v in change.items():
        t.loc[0, k] = v
    with pytest.raises(DataError) as exc:
        check_agreements(t, origin="bad.csv")
    assert str(exc.value) == message
