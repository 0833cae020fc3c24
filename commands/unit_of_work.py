from __future__ import annotations

from typing import TypeVar
from uuid import UUID

import msgspec

from aevon.eventstore import Change, EventStore, Metadata
from aevon.recorder import IdempotencyRecord
from commands.context import Context
from domain.shared import Aggregate

A = TypeVar("A", bound=Aggregate)


class UnitOfWork:
    """Loads aggregates once each; commit saves every changed one in a single transaction."""

    def __init__(self, store: EventStore, context: Context) -> None:
        self.store = store
        self.context = context
        self.loaded: dict[UUID, Aggregate] = {}

    def act_as(
        self, workspace_id: UUID | None, actor_id: UUID | None, run_id: UUID | None = None
    ) -> None:
        """For commands whose actor is only known once decided (a login, a workflow's step)."""
        self.context = msgspec.structs.replace(
            self.context, workspace_id=workspace_id, actor_id=actor_id, run_id=run_id
        )

    def discard(self) -> None:
        """Forgets every decision so far: the next `get` loads the stored state again."""
        self.loaded.clear()

    def get(self, cls: type[A], id: UUID) -> A:
        aggregate = self.loaded.get(id)
        if aggregate is None:
            aggregate = self.store.load(cls, id)
            self.loaded[id] = aggregate
        assert isinstance(aggregate, cls)
        return aggregate

    def change(self, idempotency: IdempotencyRecord | None = None) -> Change | None:
        """What this unit of work decided, ready to save; None when it changed nothing."""
        changed = [a for a in self.loaded.values() if a.pending]
        if not changed:
            return None
        meta = Metadata(
            workspace_id=self.context.workspace_id,
            actor_id=self.context.actor_id,
            correlation_id=self.context.correlation_id,
            causation_id=self.context.causation_id,
            occurred_at=self.context.now,
            run_id=self.context.run_id,
        )
        return Change(aggregates=changed, meta=meta, idempotency=idempotency)
