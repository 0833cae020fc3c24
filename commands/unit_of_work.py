from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TypeVar
from uuid import UUID, uuid4

import msgspec

from aevon.eventstore import Change, EventStore, Metadata
from aevon.recorder import IdempotencyRecord
from commands.context import Context
from domain.shared import Aggregate

A = TypeVar("A", bound=Aggregate)


class MintedId(UUID):
    """An id this process has just generated for a new aggregate: nothing can be stored under it
    yet, so the first unit of work to use it does not read the store for it. Only the first:
    the same object may end up in other aggregates' state (an owner id, say), where it is an
    ordinary id again."""

    __slots__ = ("unused",)

    def take(self) -> bool:
        """True the first time only."""
        unused = getattr(self, "unused", False)
        object.__setattr__(self, "unused", False)
        return unused


def mint() -> MintedId:
    minted = MintedId(int=uuid4().int)
    object.__setattr__(minted, "unused", True)
    return minted


class UnitOfWork:
    """Loads aggregates once each; commit saves every changed one in a single transaction.

    `earlier` holds aggregates as commands decided before this one in the same batch left
    them: this one starts from copies of those instead of the stored state.
    """

    def __init__(
        self,
        store: EventStore,
        context: Context,
        earlier: Mapping[UUID, Aggregate] | None = None,
    ) -> None:
        self.store = store
        self.context = context
        self.earlier = earlier or {}
        self.loaded: dict[UUID, Aggregate] = {}

    def act_as(
        self, workspace_id: UUID | None, actor_id: UUID | None, run_id: UUID | None = None
    ) -> None:
        """For commands whose actor is only known once decided (a login, a workflow's step)."""
        self.context = msgspec.structs.replace(
            self.context, workspace_id=workspace_id, actor_id=actor_id, run_id=run_id
        )

    def discard(self) -> None:
        """Forgets every decision so far: the next `get` starts again from the stored state
        (or from what earlier commands of the batch decided)."""
        self.loaded.clear()

    def get(self, cls: type[A], id: UUID) -> A:
        aggregate = self.loaded.get(id)
        if aggregate is None:
            aggregate = self._fetch(cls, id)
            self.loaded[id] = aggregate
        assert isinstance(aggregate, cls)
        return aggregate

    def _fetch(self, cls: type[A], aggregate_id: UUID) -> Aggregate:
        decided = self.earlier.get(aggregate_id)
        if decided is not None:
            # The copy gets an empty list of its own for pending: what the earlier command
            # recorded is saved as that command's change, not again as this one's.
            return copy.deepcopy(decided, memo={id(decided.pending): []})
        if isinstance(aggregate_id, MintedId) and aggregate_id.take():
            return cls(aggregate_id)
        return self.store.load(cls, aggregate_id)

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
