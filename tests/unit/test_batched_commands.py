import asyncio
from collections.abc import Sequence
from decimal import Decimal
from uuid import uuid4

from aevon.eventstore import Change
from commands.bus import CommandBus, Idempotency, Outcome, Request
from commands.context import Context
from commands.handlers import HANDLERS
from commands.lanes import Lanes
from commands.ledger.meter_actions import MeterActions
from domain.ledger.events import ActionsMetered
from domain.ledger.ledger import InsufficientCredits, Ledger, ledger_id
from domain.ledger.plans import ActionKind
from tests.unit.fakes import InMemoryEventStore
from tests.unit.test_identity_commands import execute, register_command


class CountingStore(InMemoryEventStore):
    def __init__(self) -> None:
        super().__init__()
        self.transactions: list[int] = []

    def save(self, changes: Sequence[Change]) -> list[list[int]]:
        positions = super().save(changes)
        self.transactions.append(sum(map(len, positions)))
        return positions


def charge(actions: int) -> MeterActions:
    return MeterActions(
        kind=ActionKind.SIMPLE_STEP, multiplier=actions, reason="r", transaction_id=uuid4()
    )


def workspace_in(store: InMemoryEventStore) -> Context:
    registration = register_command()
    execute(store, registration)  # the workspace starts with 100 Ξ
    return Context.new(registration.workspace_id, registration.user_id)


def request(context: Context, actions: int, key: str | None = None) -> Request:
    idempotency = Idempotency(scope="s", key=key, request_hash="h") if key else None
    return Request(charge(actions), context, idempotency)


def test_a_batch_is_decided_in_order_against_the_evolving_state_and_saved_at_once() -> None:
    store = CountingStore()
    context = workspace_in(store)
    bus = CommandBus(store, HANDLERS)  # type: ignore[arg-type]
    bus.execute_sync(charge(100), context)  # the month's quota
    saves = len(store.transactions)

    answers = bus.execute_batch([request(context, n) for n in (60, 30, 20, 10)])

    assert [type(a) for a in answers] == [Outcome, Outcome, InsufficientCredits, Outcome]
    assert all(
        isinstance(a, Outcome) and isinstance(a.result, ActionsMetered)
        for a in (answers[0], answers[1], answers[3])
    )
    assert store.transactions[saves:] == [3]  # one transaction for the three that fit
    ledger = store.load(Ledger, ledger_id(context.workspace))
    assert ledger.balance == Decimal(0)
    positions = [a.position for a in answers if isinstance(a, Outcome)]
    assert positions == sorted(positions)


class InterleavedStore(CountingStore):
    """Another writer charges the ledger just before this process's first batch commits."""

    def __init__(self) -> None:
        super().__init__()
        self.other: tuple[CommandBus, Context] | None = None

    def save(self, changes: Sequence[Change]) -> list[list[int]]:
        if self.other is not None:
            bus, context = self.other
            self.other = None
            bus.execute_sync(charge(50), context)
        return super().save(changes)


def test_a_batch_that_meets_another_writer_is_decided_again_on_the_fresh_state() -> None:
    store = InterleavedStore()
    context = workspace_in(store)
    bus = CommandBus(store, HANDLERS)  # type: ignore[arg-type]
    bus.execute_sync(charge(100), context)
    store.other = (CommandBus(store, HANDLERS), context)  # type: ignore[arg-type]

    answers = bus.execute_batch([request(context, n) for n in (40, 20)])

    assert [type(a) for a in answers] == [Outcome, InsufficientCredits]
    assert store.load(Ledger, ledger_id(context.workspace)).balance == Decimal(10)


def test_a_twin_of_an_idempotent_request_waits_for_the_next_batch() -> None:
    store = CountingStore()
    context = workspace_in(store)
    bus = CommandBus(store, HANDLERS)  # type: ignore[arg-type]
    batch = [request(context, 1, "k"), request(context, 1), request(context, 1, "k")]

    assert len(bus.execute_batch(batch)) == 2


async def test_lanes_batch_what_queues_meanwhile_and_answer_each_caller() -> None:
    batches: list[list[int]] = []

    async def run(requests: list[int]) -> list[int | Exception]:
        batches.append(requests)
        await asyncio.sleep(0.01)
        # Answers two at most: the lane queues the rest again, first.
        return [ValueError(r) if r == 3 else r * 10 for r in requests[:2]]

    lanes: Lanes[int, int] = Lanes(run, max_batch=4)
    calls = [lanes.submit("a", n) for n in range(6)] + [lanes.submit("b", 100)]
    answers = await asyncio.gather(*calls, return_exceptions=True)

    assert answers[:3] == [0, 10, 20]
    assert isinstance(answers[3], ValueError)
    assert answers[4:] == [40, 50, 1000]
    assert batches == [[0, 1, 2, 3], [100], [2, 3, 4, 5], [4, 5]]
    assert not lanes.queues
    assert not lanes.runners


async def test_a_lane_that_fails_fails_each_of_its_waiting_callers() -> None:
    async def run(requests: list[int]) -> list[int | Exception]:
        raise OSError("database down")

    lanes: Lanes[int, int] = Lanes(run)
    answers = await asyncio.gather(
        *(lanes.submit("a", n) for n in range(3)), return_exceptions=True
    )
    assert all(isinstance(a, OSError) for a in answers)
