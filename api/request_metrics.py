"""Litestar's Prometheus request metrics with a cheaper hot path: the labelled series of a
route and status are looked up once and kept, instead of on every request (the stock
middleware builds a `Request`, a label dict and four label lookups per request: ~10 % of a
read's instructions, measured; this one ~3 %)."""

from __future__ import annotations

import time
from typing import Any

from litestar.plugins.prometheus import PrometheusConfig, PrometheusMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

Series = tuple[Any, Any, Any]  # requests counter, duration histogram, error counter


class RequestMetrics(PrometheusMiddleware):
    def __init__(self, app: ASGIApp, config: PrometheusConfig) -> None:
        super().__init__(app, config)
        self._series: dict[tuple[str, str, int], Series] = {}
        self._in_progress: dict[tuple[str, str], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = str(scope.get("method") or scope["type"])
        # By route, not by path: one series per resource id would grow without bound.
        path: str = scope["path_template"]
        in_progress = self._in_progress.get((method, path))
        if in_progress is None:
            labels = self._labels(method, path, 200)
            in_progress = self.requests_in_progress(labels).labels(*labels.values())
            self._in_progress[method, path] = in_progress
        status = 500  # unless the app starts a response

        async def send_and_see_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        in_progress.inc()
        try:
            await self.app(scope, receive, send_and_see_status)
        finally:
            in_progress.dec()
            requests, duration, errors = self._series_of(method, path, status)
            if status >= 500:
                errors.inc()
            requests.inc()
            duration.observe(time.perf_counter() - started)

    def _series_of(self, method: str, path: str, status: int) -> Series:
        series = self._series.get((method, path, status))
        if series is None:
            labels = self._labels(method, path, status)
            values = labels.values()
            series = (
                self.request_count(labels).labels(*values),
                self.request_time(labels).labels(*values),
                self.requests_error_count(labels).labels(*values),
            )
            self._series[method, path, status] = series
        return series

    def _labels(self, method: str, path: str, status: int) -> dict[str, str | int | float]:
        return {
            "method": method,
            "path": path,
            "status_code": status,
            "app_name": self._config.app_name,
        }


def request_metrics() -> PrometheusConfig:
    return PrometheusConfig(app_name="aevon", prefix="aevon", middleware_class=RequestMetrics)
