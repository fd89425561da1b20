import numpy as np
import pytest

from geohedge.data.queries import query_iotable
from geohedge.data.sources import icio
from geohedge.errors import InputError
from geohedge.exposure import _kernels as K
from geohedge.exposure import value_added_exposure, value_chain_model
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def small():
    return icio.read_icio_csv(FIXTURES / "icio" / "2022_SML.csv", 2022)


def test_leontief_identity(small):
    A = K.calc_A(small.Z, small.x)
    L = K.calc_L(K.leontief_lu(A))
    assert np.allclose(L @ (np.eye(len(A)) - A), np.eye(len(A)), atol=1e-12)
    v = K.calc_v(A, small.x)
    assert np.allclose(v @ L, 1.0)


def test_small_table_by_hand(small):
    """On the 3x2 fixture, the origins equal diag(v) L e computed with numpy's inverse."""
    m = value_chain_model(small)
    e = value_added_exposure(m, "MYS")
    A = small.Z / small.x[None, :]
    L = np.linalg.inv(np.eye(6) - A)
    v = 1 - A.sum(axis=0)
    exports = small.Z.reshape(6, 3, 2).sum(axis=2) + small.F
    exports[:2, 0] = 0
    ex = exports[:2].sum(axis=1)
    by_source = e.by_source().set_index("source")["va_usd_mn"]
    assert by_source["TUR"] == pytest.approx((v[2:4, None] * L[2:4, :2]).sum(axis=0) @ ex)
    absorbed = e.by_partner().set_index("partner")["va_usd_mn"]
    assert absorbed["ROW"] == pytest.approx((v[:2, None] * (L @ small.F)[:2]).sum(axis=0)[2])


def test_unknown_country(small):
    with pytest.raises(InputError, match="USA is not a separate country in the ICIO 2022 table"):
        value_added_exposure(value_chain_model(small), "USA")


@pytest.mark.bundle
def test_tiva_identities_on_real_icio(bundle_store):
    """Every country: VA in exports splits exactly into domestic + foreign; VA absorbed
    across all destinations equals the country's value added (1e-9 relative)."""
    table = query_iotable(bundle_store, 2022)
    m = value_chain_model(table)
    for c in table.countries:
        e = value_added_exposure(m, c)
        total = e.domestic_va_in_exports_usd_mn + e.foreign_va_in_exports_usd_mn
        assert total == pytest.approx(e.gross_exports_usd_mn, rel=1e-9), c
        assert e.absorption["va_usd_mn"].sum() == pytest.approx(e.gdp_usd_mn, rel=1e-9), c
    assert {"MYS", "TUR", "USA", "CHN"} <= set(table.countries)


def test_bloc_and_sector_aggregates_add_up(small):
    from geohedge.exposure import value_added_by_bloc, value_added_by_sector

    e = value_added_exposure(value_chain_model(small), "MYS")
    b = value_added_by_bloc(e, ("TUR",))
    assert list(b["bloc"]) == ["DOMESTIC", "TUR", "REST"]
    assert b["va_in_exports_usd_mn"].sum() == pytest.approx(e.gross_exports_usd_mn, rel=1e-12)
    assert b["va_absorbed_usd_mn"].sum() == pytest.approx(e.gdp_usd_mn, rel=1e-12)
    assert b["share_of_gdp"].sum() == pytest.approx(1.0)
    s = value_added_by_sector(e, ("TUR",))
    assert np.allclose(s[["tur_share", "rest_share", "domestic_share"]].sum(axis=1), 1.0)
    assert np.allclose(s["foreign_share"], 1.0 - s["domestic_share"])
    assert s["va_usd_mn"].sum() == pytest.approx(e.gdp_usd_mn)
