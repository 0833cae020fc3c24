from __future__ import annotations

from litestar import Controller, Response

from api.errors import problem
from api.openapi import documented
from api.routes import get
from api.services import Services


class HealthController(Controller):
    path = "/health"
    tags = ["Operations"]

    @get("/live", operation_id="getLiveness", operation_class=documented(), security=[{}])
    async def live(self) -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @get("/ready", operation_id="getReadiness", operation_class=documented(), security=[{}])
    async def ready(self, services: Services) -> Response[dict[str, object]]:
        """Store, bus and projections are reachable (503 until they are)."""
        checks = {"store": False, "bus": services.nats.is_connected, "projections": False}
        try:
            async with services.pool.connection() as conn:
                await conn.execute("SELECT 1")
                checks["store"] = True
                cur = await conn.execute("SELECT count(*) AS n FROM public.aevon_tracking")
                row = await cur.fetchone()
                checks["projections"] = bool(row) and row["n"] >= len(services.positions.current)
        except Exception:  # noqa: S110 - readiness reports the failure as a 503
            pass
        if all(checks.values()):
            return Response({"status": "ready", "checks": checks})
        failing = ", ".join(name for name, ok in checks.items() if not ok)
        return problem(503, f"Not ready: {failing}.", checks=checks)
