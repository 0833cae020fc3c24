import json
from pathlib import Path

import httpx

CONTRACT = json.loads((Path(__file__).parents[1] / "contract" / "openapi-seed.json").read_text())
METHODS = {"get", "put", "post", "delete", "patch"}


async def test_every_implemented_contract_operation_keeps_its_operation_id(
    client: httpx.AsyncClient,
) -> None:
    ours = (await client.get("/schema/openapi.json")).json()
    implemented = 0
    for path, operations in CONTRACT["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            mine = ours["paths"].get(f"/v1{path}", {}).get(method)
            if mine is None:
                continue
            implemented += 1
            assert mine["operationId"] == operation["operationId"], (method, path)
    assert implemented >= 8


async def test_protected_operations_declare_bearer_auth(client: httpx.AsyncClient) -> None:
    ours = (await client.get("/schema/openapi.json")).json()
    me = ours["paths"]["/v1/users/me"]["get"]
    assert me.get("security") == [{"bearerAuth": []}] or ours.get("security") == [
        {"bearerAuth": []}
    ]
    assert ours["paths"]["/v1/auth/register"]["post"].get("security") == [{}]


async def test_liveness_readiness_and_metrics(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = (await client.get("/health/ready")).json()
    assert ready["checks"] == {"store": True, "bus": True, "projections": True}
    await client.get("/v1/users/me")
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert "aevon_requests_total" in metrics.text
