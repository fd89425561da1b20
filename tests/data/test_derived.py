"""The shipped derived files: rebuilt from ../shared/data they are the same, and the
manifest records what they came from."""

import pandas as pd
import pytest

from geohedge.data.derived import read_manifest, shipped_dir, verify_shipped
from geohedge.data.derived.__main__ import BUILDERS, build_all
from geohedge.data.sources._common import file_sha256

pytestmark = pytest.mark.shared_data

#: The whole shipped data stays small (the budget is about 25 MB).
BUDGET_BYTES = 25_000_000


def _frame(path):
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, keep_default_na=False)


@pytest.fixture(scope="module")
def rebuilt(shared_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("derived")
    build_all(shared_data, out)
    return out


def test_every_shipped_file_is_rebuilt_identically(rebuilt):
    shipped = read_manifest()
    again = read_manifest(rebuilt)
    assert sorted(f.file for f in again.files) == sorted(f.file for f in shipped.files)
    for entry in shipped.files:
        new = again.get(entry.file)
        pd.testing.assert_frame_equal(_frame(rebuilt / entry.file), _frame(shipped_dir() / entry.file), check_exact=True)
        assert new.inputs == entry.inputs, entry.file
        assert (new.source, new.release, new.taken_from, new.attribution, new.licence) == (
            entry.source, entry.release, entry.taken_from, entry.attribution, entry.licence)


def test_manifest_matches_the_files_and_the_shared_inputs(shared_data):
    manifest = read_manifest()
    assert {f.builder.rsplit(".", 1)[1] for f in manifest.files} == set(BUILDERS)
    total = 0
    for entry in manifest.files:
        verify_shipped(entry)  # sha256 of the shipped file
        total += (shipped_dir() / entry.file).stat().st_size
        assert entry.attribution and entry.licence and entry.taken_from and entry.inputs
        for inp in entry.inputs:
            assert file_sha256(shared_data / inp.path) == inp.sha256, inp.path
    assert total <= BUDGET_BYTES
