import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geohedge.errors import InputError
from geohedge.events.relations import relations_index

CODES = ["MYS", "TUR", "USA"]


def _by_hand(rows, a, b):
    """Independent loop implementation of the monthly counts and sums."""
    out = {}
    for day, src, tgt, g in rows:
        if {src, tgt} != {a, b}:
            continue
        key = (day.year, day.month)
        n, nc, nf, net = out.get(key, (0, 0, 0, 0.0))
        out[key] = (n + 1, nc + (g > 0), nf + (g < 0), net + g)
    return out


events_strategy = st.lists(
    st.tuples(
        st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2025, 12, 31)),
        st.sampled_from(CODES), st.sampled_from(CODES),
        st.floats(min_value=-10, max_value=10, allow_nan=False).map(lambda x: round(x, 1)),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(events_strategy)
def test_matches_independent_loop(rows):
    frame = pd.DataFrame(rows, columns=["date", "source_code", "target_code", "intensity"])
    index = relations_index(frame, "MYS", "TUR")
    expected = _by_hand(rows, "MYS", "TUR")
    got = {(m.year, m.month): (r.n_events, r.n_cooperation, r.n_conflict, r.net_intensity)
           for m, r in zip(index.frame["month"], index.frame.itertuples(), strict=True)}
    assert got.keys() == expected.keys()
    for key, (n, nc, nf, net) in expected.items():
        assert got[key][:3] == (n, nc, nf)
        assert got[key][3] == pytest.approx(net)
    assert (index.frame["mean_intensity"].between(-10, 10)).all()
    assert (index.frame["balance"].between(-1, 1)).all()
    assert int(index.frame["n_events"].sum()) == len(index.events)


def test_events_behind_a_point_and_direction():
    frame = pd.DataFrame({
        "date": [dt.date(2025, 1, 3), dt.date(2025, 1, 20), dt.date(2025, 2, 1)],
        "source_code": ["MYS", "TUR", "MYS"], "target_code": ["TUR", "MYS", "TUR"],
        "intensity": [6.0, -2.0, 3.5], "event_type": ["cooperate", "accuse", "support"],
    })
    index = relations_index(frame, "MYS", "TUR")
    assert list(index.events_for("2025-01")["event_type"]) == ["cooperate", "accuse"]
    assert list(index.frame["n_a_to_b"]) == [1, 1] and list(index.frame["n_b_to_a"]) == [1, 0]
    directed = relations_index(frame, "MYS", "TUR", directed=True)
    assert list(directed.frame["n_events"]) == [1, 1]
    assert "3 events" in index.summary()


def test_bad_arguments():
    with pytest.raises(InputError, match="two different actors"):
        relations_index(pd.DataFrame(columns=["date", "source_code", "target_code", "intensity"]), "MYS", "MYS")
    with pytest.raises(InputError, match="intensity"):
        relations_index(pd.DataFrame(columns=["date", "source_code", "target_code"]), "MYS", "TUR")
