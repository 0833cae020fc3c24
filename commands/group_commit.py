"""Group commit: concurrent commands' changes saved together, one transaction for many.

Every save through the event store takes its exclusive table lock, which caps single-command
transactions at a few hundred per second. Here whoever arrives while no save is running leads:
it saves everything queued so far in one transaction, then hands leadership to the next waiter.
Alone, a command is saved at once (no added latency); under load, batches grow by themselves.
If a batch fails on a conflict, each caller's changes are saved on their own, so one failure
fails alone.
"""

from __future__ import annotations

import threading

from eventsourcing.persistence import IntegrityError

from aevon.eventstore import MAX_EVENTS_PER_SAVE, Change, EventStore


class _Slot:
    """Changes saved all or nothing, and what became of them."""

    __slots__ = ("changes", "done", "error", "positions", "wake")

    def __init__(self, changes: list[Change]) -> None:
        self.changes = changes
        self.positions: list[list[int]] = []
        self.error: BaseException | None = None
        self.done = False
        self.wake = threading.Event()

    def fail(self, error: BaseException) -> None:
        # Without the tracebacks of the error and of the errors it chains: they hold the frames
        # that hold this slot and the batch, and psycopg's frames hold its own error, cycles
        # only the garbage collector frees. Under contention (conflicts are routine) a young
        # collection freed ~85 000 such objects in 90-140 ms. The caller raises the error
        # again, with a traceback of its own.
        chained: BaseException | None = error
        while chained is not None and chained.__traceback__ is not None:  # ends on a loop too
            chained.__traceback__ = None
            chained = chained.__cause__ or chained.__context__
        self.error = error

    @property
    def events(self) -> int:
        return sum(len(a.pending) for change in self.changes for a in change.aggregates)


class GroupCommit:
    def __init__(self, store: EventStore, max_events: int = MAX_EVENTS_PER_SAVE // 2) -> None:
        self.store = store
        self.max_events = max_events
        self.mutex = threading.Lock()
        self.queue: list[_Slot] = []
        self.leading = False

    def save(self, change: Change) -> list[int]:
        return self.save_together([change])[0]

    def save_together(self, changes: list[Change]) -> list[list[int]]:
        """Saves the changes in one transaction (with others' if they are waiting too); the
        positions of each change."""
        slot = _Slot(changes)
        with self.mutex:
            self.queue.append(slot)
            follow, self.leading = self.leading, True
        if follow:
            slot.wake.wait()  # until saved by a leader, or asked to lead
        if not slot.done:
            self._commit(self._take())
            self._hand_over()
        if slot.error is not None:
            try:
                raise slot.error
            finally:
                slot.error = None  # else this frame's slot and the error's traceback: a cycle
        return slot.positions

    def _take(self) -> list[_Slot]:
        with self.mutex:
            batch: list[_Slot] = []
            events = 0
            for slot in self.queue:
                if batch and events + slot.events > self.max_events:
                    break
                batch.append(slot)
                events += slot.events
            del self.queue[: len(batch)]
            return batch

    def _hand_over(self) -> None:
        with self.mutex:
            if self.queue:
                self.queue[0].wake.set()
            else:
                self.leading = False

    def _commit(self, batch: list[_Slot]) -> None:
        try:
            saved = iter(self.store.save([change for slot in batch for change in slot.changes]))
            for slot in batch:
                slot.positions = [next(saved) for _ in slot.changes]
        except IntegrityError as conflict:
            if len(batch) == 1:
                batch[0].fail(conflict)
            else:
                for slot in batch:
                    self._commit_alone(slot)
        except Exception as error:  # the store is down: every waiter gets the same answer
            for slot in batch:
                slot.fail(error)
        for slot in batch:
            slot.done = True
            slot.wake.set()

    def _commit_alone(self, slot: _Slot) -> None:
        try:
            slot.positions = self.store.save(slot.changes)
        except Exception as error:
            slot.fail(error)
