from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response

from aevon.secretbox import SecretBox
from api.commanding import etag_value, expected_version, run
from api.pagination import Cursor, Limit, decode_cursor, paginate
from api.routes import delete, get, post, put
from api.schemas import IntegrationOut, IntegrationRequest, IntegrationUpdateRequest
from api.security import Member, requires
from api.services import Services
from commands.integrations.create_integration import CreateIntegration
from commands.integrations.delete_integration import DeleteIntegration
from commands.integrations.update_integration import UpdateIntegration
from commands.unit_of_work import mint
from domain.identity.policy import Permission
from domain.integrations.catalogue import CATALOGUE, IntegrationType, is_secret
from domain.integrations.integration import Integration, IntegrationConfig, IntegrationNotFound
from projections.integrations.queries import get_integration, list_integrations

INTEGRATIONS = ("integrations",)


def sealed_config(details: dict[str, str], box: SecretBox) -> IntegrationConfig:
    """Secret-looking settings are sealed here, before any command or event sees them."""
    return IntegrationConfig(
        plain={k: v for k, v in details.items() if not is_secret(k)},
        secrets={k: box.seal(v) for k, v in details.items() if is_secret(k)},
    )


def integration_view(integration: Integration) -> IntegrationOut:
    config = integration.config
    return IntegrationOut(
        id=integration.id,
        integration_type_id=integration.type_id,
        name=integration.name,
        config_details=config.plain | {k: v.masked for k, v in config.secrets.items()},
    )


def integration_from_row(row: dict[str, Any]) -> IntegrationOut:
    return IntegrationOut(
        id=row["id"],
        integration_type_id=row["type_id"],
        name=row["name"],
        config_details=row["config"],
    )


class IntegrationsController(Controller):
    path = "/integrations"
    tags = ["Integrations"]

    @get("/catalogue", operation_id="listIntegrationCatalogue", **requires(Permission.READ))
    async def catalogue(self) -> list[IntegrationType]:
        """The integrations that can be connected, and the settings each needs."""
        return list(CATALOGUE.values())

    @get("/", operation_id="listIntegrations", **requires(Permission.READ))
    async def list(
        self,
        request: Request[Any, Any, Any],
        member: Member,
        services: Services,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> Response[list[IntegrationOut]]:
        """The workspace's integrations; secret settings are masked."""
        rows = await list_integrations(
            services.pool, member.workspace_id, limit + 1, decode_cursor(cursor)
        )
        page, headers = paginate(request, rows, limit)
        return Response([integration_from_row(r) for r in page], headers=headers)

    @post(
        "/",
        operation_id="createIntegration",
        status_code=201,
        **requires(Permission.CONNECT_INTEGRATIONS),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: IntegrationRequest,
        member: Member,
        services: Services,
    ) -> Response[IntegrationOut]:
        """Connect an integration of the catalogue (ADMIN); unknown types are 400."""
        command = CreateIntegration(
            integration_id=mint(),
            type_id=data.integration_type_id,
            name=data.name,
            config=sealed_config(data.config_details, services.secrets),
        )
        return await run(
            request,
            services,
            command,
            member.context(),
            integration_view,
            status=201,
            projections=INTEGRATIONS,
            etag=lambda i: i.version,
        )

    @get("/{integrationId:uuid}", operation_id="getIntegration", **requires(Permission.READ))
    async def get(
        self, integrationId: UUID, member: Member, services: Services
    ) -> Response[IntegrationOut]:
        """One integration; secret settings are masked."""
        row = await get_integration(services.pool, member.workspace_id, integrationId)
        if row is None:
            raise IntegrationNotFound()
        return Response(integration_from_row(row), headers={"ETag": etag_value(row["version"])})

    @put(
        "/{integrationId:uuid}",
        operation_id="updateIntegration",
        **requires(Permission.CHANGE_INTEGRATIONS),
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        integrationId: UUID,
        data: IntegrationUpdateRequest,
        member: Member,
        services: Services,
    ) -> Response[IntegrationOut]:
        """Rename it or change settings (the ones sent replace those stored)."""
        command = UpdateIntegration(
            integration_id=integrationId,
            name=data.name,
            config=sealed_config(data.config_details, services.secrets),
            expected_version=expected_version(request),
        )
        return await run(
            request,
            services,
            command,
            member.context(),
            integration_view,
            projections=INTEGRATIONS,
            etag=lambda i: i.version,
        )

    @delete(
        "/{integrationId:uuid}",
        operation_id="deleteIntegration",
        **requires(Permission.CHANGE_INTEGRATIONS),
    )
    async def delete(
        self,
        request: Request[Any, Any, Any],
        integrationId: UUID,
        member: Member,
        services: Services,
    ) -> Response[None]:
        """Disconnect an integration (then 404)."""
        command = DeleteIntegration(
            integration_id=integrationId, expected_version=expected_version(request)
        )
        return await run(
            request,
            services,
            command,
            member.context(),
            lambda _: None,
            status=204,
            projections=INTEGRATIONS,
        )
