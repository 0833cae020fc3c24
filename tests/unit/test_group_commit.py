import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from aevon.eventstore import Change, Metadata
from commands.group_commit import GroupCommit
from domain.crm.contact import Contact, ContactDetails
from tests.unit.fakes import InMemoryEventStore

NOW = datetime(2026, 11, 26, tzinfo=UTC)


class SlowStore(InMemoryEventStore):
    """Each transaction takes a while, as a real one holding the table lock does."""

    def __init__(self) -> None:
        super().__init__()
        self.transactions: list[int] = []

    def save(self, changes: Sequence[Change]) -> list[list[int]]:
        time.sleep(0.01)
        self.transactions.append(len(changes))
        return super().save(changes)


def new_contact_change(contact_id: object = None) -> Change:
    contact = Contact(contact_id or uuid4())  # type: ignore[arg-type]
    contact.create(uuid4(), ContactDetails(first_name="A"), NOW)
    meta = Metadata(
        workspace_id=None,
        actor_id=None,
        correlation_id=uuid4(),
        causation_id=uuid4(),
        occurred_at=NOW,
    )
    return Change(aggregates=[contact], meta=meta)


def save_concurrently(committer: GroupCommit, changes: list[Change]) -> list[object]:
    results: list[object] = [None] * len(changes)

    def run(index: int) -> None:
        try:
            results[index] = committer.save(changes[index])
        except IntegrityError as conflict:
            results[index] = conflict

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(changes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results


def test_concurrent_saves_share_transactions_and_each_gets_its_own_positions() -> None:
    store = SlowStore()
    results = save_concurrently(GroupCommit(store), [new_contact_change() for _ in range(40)])
    assert sum(store.transactions) == 40
    assert len(store.transactions) < 20
    positions = [p for result in results for p in result]  # type: ignore[attr-defined]
    assert sorted(positions) == list(range(1, 41))


def test_a_conflicting_change_fails_alone() -> None:
    store = SlowStore()
    twin = uuid4()
    changes = [new_contact_change() for _ in range(10)] + [
        new_contact_change(twin),
        new_contact_change(twin),
    ]
    results = save_concurrently(GroupCommit(store), changes)
    conflicts = [r for r in results if isinstance(r, IntegrityError)]
    assert len(conflicts) == 1
    assert len(store.log) == 11


def test_a_lone_save_is_not_delayed() -> None:
    store = InMemoryEventStore()
    started = time.perf_counter()
    assert GroupCommit(store).save(new_contact_change()) == [1]
    assert time.perf_counter() - started < 0.05  # no batching window to wait out


def test_a_store_failure_reaches_every_waiter() -> None:
    class DownStore(InMemoryEventStore):
        def save(self, changes: Sequence[Change]) -> list[list[int]]:
            raise OSError("down")

    with pytest.raises(OSError, match="down"):
        GroupCommit(DownStore()).save(new_contact_change())
