"""Request metrics for Prometheus, with the names and labels of Litestar's Prometheus
middleware: `aevon_requests_total`, `aevon_request_duration_seconds`,
`aevon_requests_error_total` (status ≥ 500) and `aevon_requests_in_progress`, labelled by
`app_name`, `method`, `path` (the route, not the resource id, so series stay few) and
`status_code`.

They are kept as plain numbers and turned into metric families only when `/metrics` is
scraped. Litestar's middleware, even with its series looked up once, updated
prometheus_client's values five times per request, each under a lock: 5 % of a read's
instructions, against 3 % for this (docs/performance.md).
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import REGISTRY, Histogram
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

APP = "aevon"
LABELS = ["app_name", "method", "path", "status_code"]
BOUNDS = Histogram.DEFAULT_BUCKETS  # the last is +Inf


class RequestCounts(Collector):
    def __init__(self) -> None:
        self.in_progress: dict[tuple[str, str], int] = {}
        # (method, route, status) → [requests, their seconds, then requests per bucket]
        self.series: dict[tuple[str, str, int], list[float]] = {}

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        series = self.series.get((method, path, status))
        if series is None:
            series = self.series[method, path, status] = [0, 0.0] + [0] * len(BOUNDS)
        series[0] += 1
        series[1] += seconds
        series[2 + bisect_left(BOUNDS, seconds)] += 1

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily("aevon_requests", "Total requests", labels=LABELS)
        errors = CounterMetricFamily(
            "aevon_requests_error", "Total errors in requests", labels=LABELS
        )
        durations = HistogramMetricFamily(
            "aevon_request_duration_seconds", "Request duration, in seconds", labels=LABELS
        )
        for (method, path, status), (count, seconds, *per_bucket) in list(self.series.items()):
            labels = [APP, method, path, str(status)]
            requests.add_metric(labels, count)
            if status >= 500:
                errors.add_metric(labels, count)
            buckets = zip(map(floatToGoString, BOUNDS), accumulate(per_bucket), strict=True)
            durations.add_metric(labels, list(buckets), sum_value=seconds)
        in_progress = GaugeMetricFamily(
            "aevon_requests_in_progress", "Total requests currently in progress", labels=LABELS
        )
        for (method, path), count in list(self.in_progress.items()):
            in_progress.add_metric([APP, method, path, "200"], count)  # as Litestar labels it
        yield from (requests, errors, durations, in_progress)


COUNTS = RequestCounts()
REGISTRY.register(COUNTS)


class RequestMetrics:
    """The ASGI middleware that counts into `COUNTS`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path_template"]
        in_progress = COUNTS.in_progress
        in_progress[method, path] = in_progress.get((method, path), 0) + 1
        status = 500  # unless the app starts a response

        async def send_and_see_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_and_see_status)
        finally:
            in_progress[method, path] -= 1
            COUNTS.observe(method, path, status, time.perf_counter() - started)
