"""A mixed client load that retries like a careful client: same Idempotency-Key, backing off."""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any
from uuid import uuid4

import httpx

from tests.support import registration

RETRYABLE = {429, 502, 503, 504}


class Load:
    def __init__(self, base_url: str, owner: dict[str, Any], workflow_id: str) -> None:
        self.base_url = base_url
        self.headers = owner["headers"]
        self.workflow_id = workflow_id
        self.sent = 0
        self.contacts: dict[str, str] = {}  # idempotency key → contact id
        self.tributes: dict[str, str] = {}  # idempotency key → transaction id
        self.runs: dict[str, str] = {}  # idempotency key → workflow run id
        self.users: list[str] = []
        self.failed: list[str] = []

    async def run(self, seconds: float, clients: int = 4) -> None:
        until = time.monotonic() + seconds
        async with httpx.AsyncClient(base_url=self.base_url, timeout=10) as http:
            await asyncio.gather(*(self._client(http, until) for _ in range(clients)))

    async def _client(self, http: httpx.AsyncClient, until: float) -> None:
        while time.monotonic() < until:
            operation = random.choice(
                (self._contact, self._contact, self._tribute, self._register, self._workflow_run)
            )
            await operation(http)

    async def _contact(self, http: httpx.AsyncClient) -> None:
        key = f"c-{uuid4().hex}"
        response = await self._post(http, "/v1/contacts", {"firstName": key}, key)
        if response is not None:
            self.contacts[key] = response["id"]

    async def _tribute(self, http: httpx.AsyncClient) -> None:
        key = f"t-{uuid4().hex}"
        body = {"instrumentId": "SISYPHUSS_ASCENT", "amount": 0.01}
        response = await self._post(http, "/v1/billing/tributes", body, key)
        if response is not None:
            self.tributes[key] = response["id"]

    async def _workflow_run(self, http: httpx.AsyncClient) -> None:
        """The workflow creates a contact named after the key: its side effect, to count."""
        key = f"w-{uuid4().hex}"
        path = f"/v1/workflows/{self.workflow_id}/run"
        response = await self._post(http, path, {"key": key}, key)
        if response is not None:
            self.runs[key] = response["runId"]

    async def _register(self, http: httpx.AsyncClient) -> None:
        body = registration()
        self.sent += 1
        for _ in range(60):
            try:
                response = await http.post("/v1/auth/register", json=body)
            except httpx.HTTPError:
                await asyncio.sleep(0.25)
                continue
            if response.status_code == 201:
                self.users.append(response.json()["user"]["id"])
                return
            if response.status_code == 409:
                return  # an earlier try committed although its answer was lost: not acknowledged
            if response.status_code not in RETRYABLE:
                self.failed.append(f"register {response.status_code}")
                return
            await asyncio.sleep(0.25)

    async def _post(
        self, http: httpx.AsyncClient, path: str, body: dict[str, Any], key: str
    ) -> dict[str, Any] | None:
        self.sent += 1
        headers = self.headers | {"Idempotency-Key": key}
        for _ in range(120):
            try:
                response = await http.post(path, json=body, headers=headers)
            except httpx.HTTPError:
                await asyncio.sleep(0.25)
                continue
            if response.status_code in (200, 201, 202):
                result: dict[str, Any] = response.json()
                return result
            if response.status_code not in RETRYABLE:
                self.failed.append(f"{path} {response.status_code} {response.text[:120]}")
                return None
            await asyncio.sleep(0.25)
        self.failed.append(f"{path} gave up")
        return None

    @property
    def acknowledged(self) -> int:
        return len(self.contacts) + len(self.tributes) + len(self.users) + len(self.runs)
