"""Schemathesis against the app's own OpenAPI schema: no input it can generate makes a
server error, and every response (status, content type, body) matches the schema.

Bounded: a fixed number of examples per operation (``MAX_EXAMPLES``), no deadline, the
app in-process (ASGI, no network). The app runs over a copy of the bundle store, because
``POST /api/events`` with ``store=true`` is allowed to write.
"""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.bundle]

MAX_EXAMPLES = 25
#: Not ``positive_data_acceptance``: any string is schema-valid for a country, few are countries.
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]


@pytest.fixture(scope="session")
def api_schema(store_file, tmp_path_factory):
    from geohedge.api import create_app

    copy = tmp_path_factory.mktemp("schemathesis") / "geohedge.duckdb"
    shutil.copyfile(store_file, copy)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(copy))


def _operations() -> list[tuple[str, str]]:
    from geohedge.api import create_app

    spec = create_app().openapi()  # the schema does not depend on the store
    return [(path, method.upper()) for path, ops in spec["paths"].items() for method in ops]


@pytest.mark.parametrize(("path", "method"), _operations())
def test_no_server_error(api_schema, path, method):
    operation = api_schema[path][method]
    seen: list[int] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    def check(case):
        # the first value-added or brief request builds the value-chain cache (seconds on a loaded machine)
        response = case.call_and_validate(checks=CHECKS, timeout=120)
        seen.append(response.status_code)

    check()
    assert seen, f"no example was generated for {method} {path}"
