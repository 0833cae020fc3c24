"""A unit of work reads the store for known ids, never for ids the process has just minted."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import TypeVar
from uuid import UUID, uuid4

from commands.context import Context
from commands.unit_of_work import MintedId, UnitOfWork, mint
from domain.crm.contact import Contact, ContactDetails
from domain.shared import Aggregate
from tests.unit.fakes import InMemoryEventStore

A = TypeVar("A", bound=Aggregate)
NOW = datetime(2026, 11, 30, tzinfo=UTC)


class CountingStore(InMemoryEventStore):
    def __init__(self) -> None:
        super().__init__()
        self.loads: list[UUID] = []

    def load(self, cls: type[A], id: UUID) -> A:
        self.loads.append(id)
        return super().load(cls, id)


def unit_of_work(store: CountingStore) -> UnitOfWork:
    context = Context.new(uuid4(), uuid4(), None)
    return UnitOfWork(store, context)  # type: ignore[arg-type]


def test_a_minted_id_is_new_without_reading_the_store() -> None:
    store = CountingStore()
    uow = unit_of_work(store)
    contact = uow.get(Contact, mint())
    contact.create(uuid4(), ContactDetails(first_name="Ann"), NOW)
    assert store.loads == []
    store.save([uow.change()])  # type: ignore[list-item]
    assert store.log


def test_only_the_first_use_of_a_minted_id_skips_the_store() -> None:
    """The id also lands in other aggregates' state (an owner, a claim); read from there later,
    it must load what was stored under it."""
    store = CountingStore()
    minted = mint()
    unit_of_work(store).get(Contact, minted)
    unit_of_work(store).get(Contact, minted)
    assert store.loads == [minted]


def test_a_copy_of_a_minted_id_is_never_fresh() -> None:
    """The aggregate cache hands out copies of aggregates holding such ids."""
    assert copy.deepcopy(mint()).take() is False


def test_any_other_id_is_read_from_the_store() -> None:
    store = CountingStore()
    known = uuid4()
    unit_of_work(store).get(Contact, known)
    assert store.loads == [known]


def test_a_minted_id_is_an_ordinary_uuid_everywhere_else() -> None:
    minted = mint()
    plain = UUID(str(minted))
    assert isinstance(minted, MintedId)
    assert minted == plain
    assert hash(minted) == hash(plain)
    assert {plain: 1}[minted] == 1
    assert minted.version == 4


def test_minted_ids_do_not_repeat() -> None:
    assert len({mint() for _ in range(1000)}) == 1000
