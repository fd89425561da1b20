import json
import os
from pathlib import Path

import pytest

from .conftest import GDELT_FIXTURE

TEXT = ("Malaysia signed a defence cooperation agreement with Turkey on Tuesday, officials said. "
        "The United States imposed tariffs on Malaysian exports.\n")


def test_ingest_list_relations(tmp_path, cli):
    (tmp_path / "a.txt").write_text(TEXT)
    done = cli("events", "ingest", str(tmp_path / "a.txt"), "--date", "2025-05-06")
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout
    again = cli("events", "ingest", str(tmp_path))
    assert again.returncode == 0 and "1 already in the store" in again.stdout
    gd = cli("events", "ingest", str(GDELT_FIXTURE))
    assert gd.returncode == 0 and "6 events loaded" in gd.stdout
    listed = cli("events", "list", "--dyad", "MYS-TUR", "--format", "json")
    rows = json.loads(listed.stdout)
    assert {r["dataset"] for r in rows} == {"news", "gdelt"}
    assert all({r["source_code"], r["target_code"]} == {"MYS", "TUR"} for r in rows)
    since = json.loads(cli("events", "list", "--since", "2025-07-01", "--format", "json").stdout)
    assert since and all(r["date"] >= "2025-07-01" for r in since)
    typed = json.loads(cli("events", "list", "--type", "coerce", "--format", "json").stdout)
    assert typed and {r["event_type"] for r in typed} == {"coerce"}
    month = json.loads(cli("events", "list", "--dyad", "Malaysia-Türkiye", "--month", "2025-06", "--format", "json").stdout)
    assert [r["event_type"] for r in month] == ["consult", "support"]
    rel = cli("relations", "MYS", "Turkey", "--format", "csv")
    assert rel.returncode == 0, rel.stderr
    header, *lines = rel.stdout.strip().splitlines()
    assert header.startswith("month,n_events,n_cooperation")
    assert [ln.split(",")[0] for ln in lines] == ["2025-05", "2025-06"]
    table = cli("relations", "MYS", "TUR")
    assert "geohedge events list --dyad MYS-TUR --month 2025-06" in table.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary", "binary file"),
        (b"", "empty file"),
        (b"<?xml version='1.0'?><rss><channel><item></channel>", "malformed feed"),
    ],
)
def test_bad_input_one_line_exit_2(tmp_path, cli, content, message):
    f = tmp_path / "in.rss"
    f.write_bytes(content)
    done = cli("events", "ingest", str(f))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in done.stderr
    # Input is read and coded before the store is opened: a refused file creates no store.
    home = Path(os.environ["GEOHEDGE_HOME"])
    assert not (home / "geohedge.duckdb").exists()


def test_cap_non_english_and_bad_options(tmp_path, cli):
    big = tmp_path / "big.txt"
    with big.open("w") as fh:
        fh.truncate(50 * 1024 * 1024)
    done = cli("events", "ingest", str(big))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: {big}: 52,428,800 bytes is above the 10,485,760-byte limit for one "
                                   "article or feed; split it or pass a smaller file")
    ms = tmp_path / "ms.txt"
    ms.write_text("Malaysia dan Turki menandatangani perjanjian kerjasama pertahanan di Ankara pada hari Selasa, kata "
                  "kementerian luar negeri dalam satu kenyataan yang dikeluarkan semalam. Kedua-dua negara bersetuju "
                  "untuk meningkatkan perdagangan dua hala.")
    skipped = cli("events", "ingest", str(ms))
    assert skipped.returncode == 0 and "not English" in skipped.stderr and "1 skipped" in skipped.stdout
    for args, message in [
        (("events", "list", "--type", "hug"), "error: unknown event type 'hug'; use one of agree, consult"),
        (("events", "list", "--dyad", "MYS"), "error: dyad 'MYS' is not two actors joined by '-', e.g. MYS-TUR"),
        (("events", "list", "--since", "June"), "error: date 'June' is not YYYY-MM-DD"),
        (("relations", "MYS", "Turky"), "error: unknown country 'Turky'; did you mean"),
        (("events", "ingest", str(tmp_path / "missing.txt")), "does not exist"),
    ]:
        done = cli(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr, done.stderr
