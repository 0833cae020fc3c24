from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import msgspec


class Context(msgspec.Struct, frozen=True, kw_only=True):
    """Who asks, for which workspace, when, and as part of which request."""

    workspace_id: UUID | None
    actor_id: UUID | None
    correlation_id: UUID
    causation_id: UUID
    now: datetime
    run_id: UUID | None = None

    @property
    def workspace(self) -> UUID:
        """The caller's workspace: every command of a workspace member has one."""
        if self.workspace_id is None:
            raise RuntimeError("this command is only for a workspace member")
        return self.workspace_id

    @property
    def actor(self) -> UUID:
        if self.actor_id is None:
            raise RuntimeError("this command is only for a known actor")
        return self.actor_id

    @classmethod
    def new(
        cls,
        workspace_id: UUID | None,
        actor_id: UUID | None,
        correlation_id: UUID | None = None,
    ) -> Context:
        correlation = correlation_id or uuid4()
        return cls(
            workspace_id=workspace_id,
            actor_id=actor_id,
            correlation_id=correlation,
            causation_id=correlation,
            now=datetime.now(UTC),
        )
