"""What every operation's OpenAPI entry adds: required roles, problem+json errors, empty 204s."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus

from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Operation, Schema
from litestar.openapi.spec.enums import OpenAPIType

PROBLEM_STATUSES = (400, 401, 402, 403, 404, 409, 412, 413, 415, 422, 429, 500, 503)

PROBLEM_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    required=["type", "title", "status", "detail"],
    properties={
        "type": Schema(type=OpenAPIType.STRING),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "errors": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT)),
    },
    description="RFC 9457 problem details",
)


def documented(
    roles: list[str] | None = None, produces: dict[str, Schema] | None = None
) -> type[Operation]:
    """`produces`: the media types of a 200 that is not JSON alone (a file download)."""

    @dataclass
    class AevonOperation(Operation):
        x_required_roles: list[str] | None = field(
            default_factory=lambda: roles, metadata={"alias": "x-required-roles"}
        )

        def __post_init__(self) -> None:
            responses = self.responses if self.responses is not None else {}
            if "204" in responses and isinstance(responses["204"], OpenAPIResponse):
                responses["204"].content = None
            if produces and isinstance(responses.get("200"), OpenAPIResponse):
                content = {media: OpenAPIMediaType(schema=s) for media, s in produces.items()}
                responses["200"].content = content  # type: ignore[union-attr]
            for status in PROBLEM_STATUSES:
                responses[str(status)] = OpenAPIResponse(
                    description=HTTPStatus(status).phrase,
                    content={"application/problem+json": OpenAPIMediaType(schema=PROBLEM_SCHEMA)},
                )
            self.responses = responses

    return AevonOperation
