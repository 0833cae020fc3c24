from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import Servers, Service


@pytest.fixture
def strict_api(servers: Servers, tmp_path: Path) -> Iterator[Service]:
    service = Service(servers, tmp_path, AEVON_AUTH_RATE_LIMIT="3")
    service.start("api")
    yield service
    service.stop()


def test_auth_endpoints_are_rate_limited_per_client_with_retry_after(strict_api: Service) -> None:
    body = {"email": "nobody@example.com", "password": "whatever-it-is"}
    with httpx.Client(base_url=strict_api.base_url, timeout=10) as http:
        statuses = [http.post("/v1/auth/login", json=body).status_code for _ in range(3)]
        limited = http.post("/v1/auth/login", json=body)
        other = http.get("/health/live")
    assert statuses == [401, 401, 401]
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0
    assert other.status_code == 200
