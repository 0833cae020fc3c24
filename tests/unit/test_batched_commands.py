import asyncio
from collections.abc import Awaitable, Sequence
from decimal import Decimal
from uuid import uuid4

import msgspec

from aevon.eventstore import Change
from commands.bus import BATCH_ATTEMPTS, BATCH_EVENTS, CommandBus, Idempotency, Outcome, Request
from commands.context import Context
from commands.handlers import HANDLERS
from commands.lanes import Lanes, LaneStopped
from commands.ledger.meter_actions import MeterActions
from commands.unit_of_work import UnitOfWork, mint
from domain.crm.contact import Contact, ContactDetails
from domain.ledger.events import ActionsMetered
from domain.ledger.ledger import InsufficientCredits, Ledger, ledger_id
from domain.ledger.plans import ActionKind
from tests.unit.fakes import InMemoryEventStore
from tests.unit.test_identity_commands import NOW, execute, register_command


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
    positions = [a.position or 0 for a in answers if isinstance(a, Outcome)]
    assert 0 not in positions
    assert positions == sorted(positions)


class InterleavedStore(CountingStore):
    """Another writer charges the ledger just before a save of several changes, `times` times."""

    def __init__(self, actions: int, times: int) -> None:
        super().__init__()
        self.actions, self.times = actions, times
        self.other: tuple[CommandBus, Context] | None = None
        self.conflicts = 0

    def save(self, changes: Sequence[Change]) -> list[list[int]]:
        if self.other is not None and len(changes) > 1 and self.conflicts < self.times:
            bus, context = self.other
            bus.execute_sync(charge(self.actions), context)
            self.conflicts += 1
        return super().save(changes)


def contended(store: InterleavedStore) -> tuple[CommandBus, Context]:
    """A bus on a workspace whose month's quota is used up, and the other writer."""
    context = workspace_in(store)
    bus = CommandBus(store, HANDLERS)  # type: ignore[arg-type]
    bus.execute_sync(charge(100), context)
    store.other = (CommandBus(store, HANDLERS), context)  # type: ignore[arg-type]
    return bus, context


def test_a_batch_that_meets_another_writer_is_decided_again_on_the_fresh_state() -> None:
    store = InterleavedStore(actions=50, times=1)
    bus, context = contended(store)

    answers = bus.execute_batch([request(context, n) for n in (40, 20)])

    assert [type(a) for a in answers] == [Outcome, InsufficientCredits]
    assert store.load(Ledger, ledger_id(context.workspace)).balance == Decimal(10)


def test_a_batch_that_keeps_conflicting_runs_each_request_on_its_own() -> None:
    store = InterleavedStore(actions=1, times=BATCH_ATTEMPTS + 1)
    bus, context = contended(store)

    answers = bus.execute_batch([request(context, n) for n in (10, 20)])

    assert [type(a) for a in answers] == [Outcome, Outcome]
    assert store.conflicts == BATCH_ATTEMPTS
    assert store.load(Ledger, ledger_id(context.workspace)).balance == Decimal(100 - 30 - 3)


def test_a_twin_of_an_idempotent_request_waits_for_the_next_batch() -> None:
    store = CountingStore()
    context = workspace_in(store)
    bus = CommandBus(store, HANDLERS)  # type: ignore[arg-type]
    batch = [request(context, 1, "k"), request(context, 1, "k"), request(context, 1)]

    answers = bus.execute_batch(batch)

    assert [type(a) for a in answers] == [Outcome, type(None), Outcome]


class CreateContacts(msgspec.Struct, frozen=True):
    count: int


def create_contacts(command: CreateContacts, uow: UnitOfWork) -> int:
    for _ in range(command.count):
        uow.get(Contact, mint()).create(uuid4(), ContactDetails(first_name="A"), NOW)
    return command.count


def test_a_command_whose_events_do_not_fit_waits_for_the_next_batch() -> None:
    store = CountingStore()
    bus = CommandBus(store, {CreateContacts: create_contacts})  # type: ignore[arg-type]
    context = Context.new(uuid4(), uuid4())
    sizes = [BATCH_EVENTS - 10, 20, 5]

    answers = bus.execute_batch([Request(CreateContacts(n), context) for n in sizes])

    assert [a.result if isinstance(a, Outcome) else a for a in answers] == [sizes[0], None, 5]
    assert store.transactions == [sizes[0] + 5]


async def answered(*calls: Awaitable[int]) -> list[int | BaseException]:
    """The callers' answers; fails instead of hanging when one is never answered."""
    return await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), 5)


async def test_lanes_batch_what_queues_meanwhile_and_answer_each_caller() -> None:
    batches: list[list[int]] = []

    async def run(requests: list[int]) -> list[int | Exception | None]:
        batches.append(requests)
        await asyncio.sleep(0.01)
        # Answers two at most: the lane queues the rest again, first.
        answers: list[int | Exception | None] = [
            ValueError(r) if r == 3 else r * 10 for r in requests[:2]
        ]
        return answers + [None] * (len(requests) - 2)

    lanes: Lanes[int, int] = Lanes(run, max_batch=4)
    answers = await answered(*(lanes.submit("a", n) for n in range(6)), lanes.submit("b", 100))

    assert answers[:3] == [0, 10, 20]
    assert isinstance(answers[3], ValueError)
    assert answers[4:] == [40, 50, 1000]
    assert batches == [[0, 1, 2, 3], [100], [2, 3, 4, 5], [4, 5]]
    assert not lanes.queues
    assert not lanes.runners


async def test_a_lane_that_fails_fails_each_of_its_waiting_callers() -> None:
    async def run(requests: list[int]) -> list[int | Exception | None]:
        raise OSError("database down")

    lanes: Lanes[int, int] = Lanes(run)
    answers = await answered(*(lanes.submit("a", n) for n in range(3)))
    assert all(isinstance(a, OSError) for a in answers)


async def test_a_request_whose_caller_stopped_waiting_is_not_run() -> None:
    ran: list[int] = []

    async def run(requests: list[int]) -> list[int | Exception | None]:
        ran.extend(requests)
        await asyncio.sleep(0.05)
        return list(requests)

    lanes: Lanes[int, int] = Lanes(run)
    first = asyncio.create_task(lanes.submit("a", 1))
    await asyncio.sleep(0.01)  # the first batch is running
    gone = asyncio.create_task(lanes.submit("a", 2))
    third = asyncio.create_task(lanes.submit("a", 3))
    await asyncio.sleep(0)
    gone.cancel()
    assert await answered(first, third) == [1, 3]
    assert ran == [1, 3]


async def test_a_stopped_or_broken_lane_answers_its_callers_and_the_next_request_runs() -> None:
    mode = "broken"

    async def run(requests: list[int]) -> list[int | Exception | None]:
        if mode == "broken":
            return []  # fewer answers than requests
        if mode == "slow":
            await asyncio.sleep(10)
        return list(requests)

    lanes: Lanes[int, int] = Lanes(run)
    assert isinstance((await answered(lanes.submit("a", 1)))[0], LaneStopped)

    mode = "slow"
    waiting = [asyncio.create_task(lanes.submit("a", n)) for n in range(3)]
    await asyncio.sleep(0.01)
    lanes.runners["a"].cancel()  # mid-batch
    assert all(isinstance(a, LaneStopped) for a in await answered(*waiting))

    waiting = [asyncio.create_task(lanes.submit("a", 1))]
    await asyncio.sleep(0)  # the runner exists and has not started yet
    lanes.runners["a"].cancel()
    assert isinstance((await answered(*waiting))[0], LaneStopped)

    mode = "fine"
    assert await answered(lanes.submit("a", 7)) == [7]
    assert not lanes.runners


async def test_the_commands_of_one_workspace_are_decided_in_batches() -> None:
    store = CountingStore()
    bus = CommandBus(store, {CreateContacts: create_contacts})  # type: ignore[arg-type]
    workspace = Context.new(uuid4(), uuid4())

    answers = await asyncio.gather(*(bus.execute(CreateContacts(1), workspace) for _ in range(10)))

    assert [a.result for a in answers] == [1] * 10
    assert store.transactions == [10]
    assert not bus.lanes.runners
