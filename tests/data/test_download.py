"""Downloads have an overall deadline and never hold the store (issue 13 item 6).

A loopback HTTP server (this machine only, no network) plays the stalling server: it
answers, then sends one byte at a time.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geohedge.data.sources._common import download, read_url
from geohedge.errors import DataError
from tests.conftest import FIXTURES


class _Trickle(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        if self.path == "/silent":
            time.sleep(30)
            return
        for _ in range(100000 if self.path == "/slow" else 0):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.05)
        if self.path == "/big":
            self.wfile.write(b"y" * 100000)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_trickling_server_is_stopped_by_the_stall_rule(server):
    with pytest.raises(DataError, match=r"download of .*/slow stopped: \d+ bytes in the last 1 s, below 1,000; the server is stalling"):
        download(f"{server}/slow", io.BytesIO(), stall=(1000, 1.0))


def test_the_overall_deadline(server):
    with pytest.raises(DataError, match=r"download of .*/slow stopped after 1 s \(the limit\)"):
        download(f"{server}/slow", io.BytesIO(), deadline=1.0, stall=(1, 1000.0))


def test_a_silent_server_times_out(server):
    with pytest.raises(DataError, match=r"download of .*/silent failed: .*timed out"):
        download(f"{server}/silent", io.BytesIO(), read_timeout=0.5)


def test_size_limit(server):
    assert len(read_url(f"{server}/big", 1000)) == 1001  # one byte over: the caller sees it is too large
    with pytest.raises(DataError, match=r"more than 1,000 bytes, above the limit"):
        download(f"{server}/big", io.BytesIO(), limit=1000)


def test_a_stalled_url_ingest_holds_no_lock(server, tmp_path):
    """Issue: the store was opened for writing before the download, so a server trickling a
    byte a second held the write lock, and every command failed meanwhile."""
    env = {**os.environ, "GEOHEDGE_HOME": str(tmp_path / "home")}

    def cli(*args, **kw):
        return subprocess.run([sys.executable, "-m", "geohedge", *args], env=env, capture_output=True, text=True, timeout=300, **kw)

    assert cli("data", "import", "unga", str(FIXTURES / "undl" / "ga_voting.csv")).returncode == 0
    ingest = subprocess.Popen([sys.executable, "-m", "geohedge", "events", "ingest", f"{server}/slow"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)  # the ingest is downloading
        assert ingest.poll() is None
        status = cli("data", "status", "--format", "csv")
        assert status.returncode == 0, status.stderr
        other = cli("data", "import", "unga", str(FIXTURES / "unvotes"))  # a writer: the lock is free
        assert other.returncode == 0, other.stderr
    finally:
        ingest.kill()
        ingest.wait(30)
