import gc
import threading
import time
import weakref
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


def test_the_changes_of_one_caller_stay_together_when_their_batch_conflicts() -> None:
    class GatedStore(SlowStore):
        """The first save waits until the others have queued behind it."""

        def __init__(self) -> None:
            super().__init__()
            self.gate = threading.Event()

        def save(self, changes: Sequence[Change]) -> list[list[int]]:
            self.gate.wait(5)
            return super().save(changes)

    store = GatedStore()
    committer = GroupCommit(store)
    twin = uuid4()
    calls = {
        "leader": [new_contact_change()],
        "pair": [new_contact_change(), new_contact_change()],
        "twin-1": [new_contact_change(twin)],
        "twin-2": [new_contact_change(twin)],
    }
    results: dict[str, list[list[int]] | IntegrityError] = {}

    def run(name: str) -> None:
        try:
            results[name] = committer.save_together(calls[name])
        except IntegrityError as conflict:
            results[name] = conflict

    threads = {name: threading.Thread(target=run, args=(name,)) for name in calls}
    threads["leader"].start()
    while not committer.leading:
        time.sleep(0.001)
    for name in ("pair", "twin-1", "twin-2"):
        threads[name].start()
    while len(committer.queue) < 3:
        time.sleep(0.001)
    store.gate.set()
    for thread in threads.values():
        thread.join(10)

    assert store.transactions[:2] == [1, 4]  # the leader's, then the three others' batch
    assert 2 in store.transactions[2:]  # which conflicted: the pair was saved again, together
    pair = results["pair"]
    assert isinstance(pair, list)
    assert [len(positions) for positions in pair] == [1, 1]
    conflicts = [isinstance(results[name], IntegrityError) for name in ("twin-1", "twin-2")]
    assert conflicts.count(True) == 1


class DriverError(Exception):
    pass


class ConflictingStore(InMemoryEventStore):
    """Fails every save on a conflict the way the PostgreSQL recorder does: its error chains the
    driver's, and a frame that holds the batch keeps the driver's error."""

    def save(self, changes: Sequence[Change]) -> list[list[int]]:
        batch = changes
        try:
            raise DriverError("duplicate key")
        except DriverError as error:
            kept = error
        raise IntegrityError(f"{len(batch)} changes: {kept}") from kept


def test_a_conflicted_change_is_freed_without_the_cycle_collector() -> None:
    # Under contention conflicts are routine; kept alive by cycles through the errors'
    # tracebacks, whole batches were left for young collections that took 90-140 ms.
    committer = GroupCommit(ConflictingStore())
    change = new_contact_change()
    aggregate = weakref.ref(change.aggregates[0])
    gc.disable()
    try:
        cause = None
        try:
            committer.save(change)
        except IntegrityError as conflict:
            cause = conflict.__cause__
        del change
        assert aggregate() is None
        assert isinstance(cause, DriverError)  # the chain is kept, without its tracebacks
    finally:
        gc.enable()
