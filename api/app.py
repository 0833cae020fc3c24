"""The composition root of the HTTP API: builds adapters once and wires the controllers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from litestar import Litestar, Router
from litestar.config.app import AppConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.plugins.prometheus import PrometheusController
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from aevon.advisory import AdvisoryLocks
from aevon.bus import connect
from aevon.eventstore import EventStore
from aevon.heap import settle_heap
from aevon.positions import Positions
from aevon.secretbox import SecretBox
from aevon.sessions import own_session
from aevon.settings import Settings, load_settings
from api.admin import AdminController
from api.aegis import SecurityController
from api.aegis_policy import SecurityPolicyController
from api.agents import AgentsController
from api.audit import AuditController
from api.auth import AuthController, auth_rate_limit
from api.beep.controller import BeepController
from api.billing import BillingController
from api.contacts import ContactsController
from api.covenants import CovenantsController
from api.dossier import DossierController
from api.errors import EXCEPTION_HANDLERS
from api.health import HealthController
from api.integrations import IntegrationsController
from api.klepsydra import PulseController
from api.members import Members
from api.metrics import keep_refreshed
from api.microapps import MicroAppsController
from api.middleware import JsonBodiesMiddleware, RequestFrameMiddleware
from api.probing import ProbeWatch
from api.request_metrics import RequestMetrics
from api.security import TokenIssuer, build_auth, provide_member
from api.services import Services
from api.users import UsersController
from api.workflow_runs import WorkflowRunsController
from api.workflows import WorkflowsController
from api.workspaces import WorkspacesController
from commands.bus import THREADS, CommandBus
from commands.handlers import HANDLERS
from projections.catalogue import PROJECTIONS
from projections.engine import ensure_projection

MAX_BODY_BYTES = 1024 * 1024


class MetricsController(PrometheusController):
    path = "/metrics"
    include_in_schema = False


def _frame_first(config: AppConfig) -> AppConfig:
    config.middleware.insert(0, RequestFrameMiddleware)
    return config


def create_app(settings: Settings) -> Litestar:
    assert settings.database_url
    assert settings.nats_url
    assert settings.secret_key
    auth = build_auth(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        assert settings.database_url
        assert settings.secret_key
        store = await anyio.to_thread.run_sync(EventStore.connect, settings.database_url)
        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            settings.database_url,
            # Open at full size: psycopg_pool grows one connection at a time, so a burst after
            # a quiet spell (idle connections close after 10 min) queued behind each new
            # connection: reads at 16 connections after a fresh start had a p99 of up to 440 ms.
            min_size=settings.db_pool_size,
            max_size=settings.db_pool_size,
            kwargs={"autocommit": True, "row_factory": dict_row, "connect_timeout": 3},
            timeout=3,
            open=False,
        )
        await pool.open(wait=True, timeout=30)
        async with pool.connection() as conn:
            for projection in PROJECTIONS.values():
                await ensure_projection(conn, projection)
        nc = await connect(settings, "aevon-api")
        positions = Positions(PROJECTIONS, pool)
        await positions.listen(nc, settings.namespace)
        locks = await anyio.to_thread.run_sync(AdvisoryLocks, settings.database_url, THREADS)
        bus = CommandBus(store, HANDLERS, THREADS, locks)
        app.state.services = Services(
            settings=settings,
            bus=bus,
            pool=pool,
            positions=positions,
            members=Members(pool, positions, nc),
            nats=nc,
            auth=auth,
            tokens=TokenIssuer(auth, settings),
            probes=ProbeWatch(bus, settings.aegis),
            secrets=SecretBox(settings.secret_key),
        )
        metrics = asyncio.create_task(keep_refreshed(pool))
        try:
            yield
        finally:
            metrics.cancel()
            await nc.close()
            await pool.close()
            await bus.close()

    def provide_services() -> Services:
        # Without parameters: Litestar resolves and validates a provider's parameters on
        # every request (an app `State` parameter was ~5 % of a read's instructions).
        services: Services = app.state.services
        return services

    dependencies = {"member": Provide(provide_member, sync_to_thread=False)}
    auth_routes = Router(
        path="/v1",
        route_handlers=[AuthController],
        dependencies=dependencies,
        middleware=[auth_rate_limit(settings.auth_rate_limit).middleware],
    )
    v1 = Router(
        path="/v1",
        route_handlers=[
            UsersController,
            WorkspacesController,
            BillingController,
            AdminController,
            ContactsController,
            PulseController,
            MicroAppsController,
            CovenantsController,
            WorkflowRunsController,
            BeepController,
            AgentsController,
            SecurityController,
            SecurityPolicyController,
            DossierController,
            IntegrationsController,
            AuditController,
            WorkflowsController,
        ],
        dependencies=dependencies,
    )
    app = Litestar(
        route_handlers=[auth_routes, v1, HealthController, MetricsController],
        dependencies={"services": Provide(provide_services, sync_to_thread=False)},
        lifespan=[lifespan],
        on_app_init=[auth.on_app_init, _frame_first],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[
            RequestMetrics,
            JsonBodiesMiddleware,
        ],
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=OpenAPIConfig(
            title="ΛΞVON OS Public API",
            version="1.0.0",
            path="/schema",
            use_handler_docstrings=True,
            render_plugins=[ScalarRenderPlugin()],
        ),
        debug=False,
        logging_config=None,  # logging is the process's: JSON lines (aevon.logs)
    )
    return app


def app_from_environment() -> Litestar:
    """The factory uvicorn calls in each worker process when `AEVON_API_WORKERS` > 1."""
    own_session()
    app = create_app(load_settings())
    settle_heap()  # a process of its own, spawned: not the `aevon` command's
    return app
