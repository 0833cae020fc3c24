"""The event store's one-call append: positions commit in order, a conflict saves nothing, an
idempotency key is taken with the events and free again once expired."""

import threading
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError

from aevon.eventstore import Change, EventStore
from aevon.recorder import IdempotencyRecord
from domain.crm.contact import Contact, ContactDetails
from tests.integration.helpers import NOW, meta
from tests.support import Servers


def _created(id: UUID | None = None) -> Contact:
    contact = Contact(id or uuid4())
    contact.create(uuid4(), ContactDetails(first_name="Appended"), NOW)
    return contact


def _stored(url: str, ids: list[UUID]) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM aevon_events WHERE originator_id = ANY(%s)", (ids,)
        ).fetchone()
    return int(row[0]) if row else 0


def test_an_append_waits_for_an_insert_still_open_so_positions_commit_in_order(
    servers: Servers,
) -> None:
    # A reader following positions must never see a later one commit before an earlier one.
    store = EventStore.connect(servers.database_url, pool_size=1)
    appended: list[int] = []
    try:
        with psycopg.connect(servers.database_url) as holder:
            held = holder.execute(
                "INSERT INTO aevon_events (originator_id, originator_version, topic, state)"
                " VALUES (%s, 1, 'Held', '') RETURNING notification_id",
                (uuid4(),),
            ).fetchone()
            assert held is not None
            writer = threading.Thread(
                target=lambda: appended.extend(store.append([_created()], meta()))
            )
            writer.start()
            writer.join(0.5)
            assert writer.is_alive(), "the append did not wait for the open insert"
            holder.rollback()
        writer.join(5)
        assert len(appended) == 1
        assert appended[0] > held[0]
    finally:
        store.close()


def test_an_append_whose_version_is_taken_saves_none_of_its_events(servers: Servers) -> None:
    store = EventStore.connect(servers.database_url, pool_size=1)
    try:
        taken = _created()
        store.append([taken], meta())
        fresh, rival = _created(), _created(taken.id)
        with pytest.raises(IntegrityError):
            store.append([fresh, rival], meta())
        assert _stored(servers.database_url, [fresh.id]) == 0
        assert _stored(servers.database_url, [taken.id]) == 1
        assert store.append([_created()], meta())  # the pooled connection is still usable
    finally:
        store.close()


def _keyed(key: str, status: int) -> Change:
    record = IdempotencyRecord(
        scope="workspace:user", key=key, request_hash="hash", status=status, body=b"{}"
    )
    return Change(aggregates=[_created()], meta=meta(), idempotency=record)


def test_a_live_idempotency_key_saves_nothing_more_and_an_expired_one_is_taken_again(
    servers: Servers,
) -> None:
    store = EventStore.connect(servers.database_url, pool_size=1)
    key = str(uuid4())
    try:
        store.save([_keyed(key, 201)])
        twin = _keyed(key, 202)
        with pytest.raises(IntegrityError):
            store.save([twin])
        assert _stored(servers.database_url, [twin.aggregates[0].id]) == 0
        with psycopg.connect(servers.database_url) as conn:
            conn.execute(
                "UPDATE aevon_idempotency SET created_at = now() - interval '25 hours'"
                " WHERE key = %s",
                (key,),
            )
        assert store.find_response("workspace:user", key) is None
        late = _keyed(key, 203)
        store.save([late])
        assert _stored(servers.database_url, [late.aggregates[0].id]) == 1
        answered = store.find_response("workspace:user", key)
        assert answered is not None
        assert answered.status == 203
    finally:
        store.close()
