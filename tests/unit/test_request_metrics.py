"""Request metrics count by route and status, in cumulative buckets, and only while scraped
are they turned into Prometheus series."""

from __future__ import annotations

from typing import Any

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from api import request_metrics
from api.request_metrics import RequestCounts, RequestMetrics

ROUTE = 'app_name="aevon",method="GET",path="/v1/contacts/{contactId}",status_code="200"'


def scraped(counts: RequestCounts) -> list[str]:
    registry = CollectorRegistry()
    registry.register(counts)
    return generate_latest(registry).decode().splitlines()


def test_requests_count_into_cumulative_buckets_by_route_and_status() -> None:
    counts = RequestCounts()
    for seconds in (0.004, 0.005, 0.02):
        counts.observe("GET", "/v1/contacts/{contactId}", 200, seconds)
    counts.observe("GET", "/v1/contacts/{contactId}", 503, 0.3)
    lines = scraped(counts)
    assert f"aevon_requests_total{{{ROUTE}}} 3.0" in lines
    bucket = 'aevon_request_duration_seconds_bucket{app_name="aevon",le="%s",method="GET",'
    route = 'path="/v1/contacts/{contactId}",status_code="200"}'
    assert f"{bucket % '0.005'}{route} 2.0" in lines
    assert f"{bucket % '0.01'}{route} 2.0" in lines
    assert f"{bucket % '0.025'}{route} 3.0" in lines
    assert f"{bucket % '+Inf'}{route} 3.0" in lines
    assert f"aevon_request_duration_seconds_sum{{{ROUTE}}} 0.029" in lines
    errors = [line for line in lines if line.startswith("aevon_requests_error_total{")]
    assert len(errors) == 1
    assert 'status_code="503"' in errors[0]


async def test_the_middleware_counts_a_failed_request_as_500_and_ends_its_progress(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counts = RequestCounts()
    monkeypatch.setattr(request_metrics, "COUNTS", counts)

    async def failing(scope: Any, receive: Any, send: Any) -> None:
        assert counts.in_progress["POST", "/v1/contacts"] == 1
        raise RuntimeError("boom")

    scope = {"type": "http", "method": "POST", "path_template": "/v1/contacts"}
    with pytest.raises(RuntimeError):
        await RequestMetrics(failing)(scope, None, None)  # type: ignore[arg-type]
    assert counts.in_progress == {("POST", "/v1/contacts"): 0}
    assert [key for key in counts.series] == [("POST", "/v1/contacts", 500)]
