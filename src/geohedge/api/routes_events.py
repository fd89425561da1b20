"""``POST /api/events``: code an article's text into events; store it only when asked.

Coding is :func:`geohedge.events.code_text` (the rule-based PLOVER coder), the same as
``geohedge events ingest``. With ``store=true`` the article is loaded into the store's
``news`` dataset by :func:`geohedge.data.sources.news.load_news` in one transaction
(de-duplicated by content hash): the one endpoint that writes, and only then.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError

from geohedge.api._common import ERRORS, GeoState, decode_text, geo, parse_day, read_body
from geohedge.api.models import ErrorOut, EventsIn, EventsOut, table
from geohedge.errors import InputError

router = APIRouter(prefix="/api", responses=ERRORS)


def _code(state: GeoState, req: EventsIn) -> dict[str, Any]:
    from geohedge.events import code_text

    day = parse_day(req.date)
    coded = code_text(req.text, on=day)
    out: dict[str, Any] = {
        "n_sentences": coded.n_sentences, "language": coded.language, "skipped": coded.skipped,
        "summary": coded.summary(), "stored": None, **table(coded.to_frame()),
    }
    if req.store:
        from geohedge.data.sources.news import code_news, load_news

        with tempfile.TemporaryDirectory(prefix="geohedge-api-") as tmp:
            path = Path(tmp) / "article.txt"
            path.write_text(req.text, encoding="utf-8")
            stored = code_news(path, date=day, origin=req.url or "posted to /api/events")
        with state.handle.write() as store:  # coded first: the write session only loads
            load = load_news(store, stored)
        state.clear()
        out["stored"] = {"added": load.added, "duplicates": load.duplicates, "events": load.events}
    return out


@router.post(
    "/events", response_model=EventsOut, summary="Code an article's text into events (stored only with store=true)",
    responses={413: {"description": "Body larger than the limit", "model": ErrorOut}},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventsIn"}}}}},
)
async def post_events(request: Request, state: Annotated[GeoState, Depends(geo)]) -> dict:
    from starlette.concurrency import run_in_threadpool

    from geohedge._input import check_depth

    body = await read_body(request, state.limits.max_text_bytes)
    check_depth(decode_text(body, "body"), "body", state.limits.max_depth)
    try:
        req = EventsIn.model_validate_json(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or "body"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise InputError(f"body.{where}: {err.get('msg', 'invalid')}{more}; send JSON like {{\"text\": \"...\", \"store\": false}}") from None
    return await run_in_threadpool(_code, state, req)
