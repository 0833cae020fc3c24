import time
from datetime import UTC, datetime
from uuid import uuid4

import psycopg

from aevon.eventstore import EventStore, Metadata
from domain.crm.contact import Contact, ContactDetails
from tests.support import Servers

NOW = datetime(2026, 11, 30, tzinfo=UTC)


def _save_one(store: EventStore) -> None:
    contact = Contact(uuid4())
    contact.create(uuid4(), ContactDetails(first_name="Pooled"), NOW)
    meta = Metadata(
        workspace_id=uuid4(),
        actor_id=None,
        correlation_id=uuid4(),
        causation_id=uuid4(),
        occurred_at=NOW,
    )
    store.append([contact], meta)


def test_a_pooled_connection_the_server_closed_is_replaced_before_use(servers: Servers) -> None:
    store = EventStore.connect(servers.database_url, pool_size=1)
    try:
        _save_one(store)
        with store.recorder.datastore.get_connection() as pooled:
            backend = pooled.info.backend_pid
        with psycopg.connect(servers.database_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
            for _ in range(50):  # until the backend is gone
                gone = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (backend,)
                ).fetchone()
                if gone == (0,):
                    break
                time.sleep(0.02)
        _save_one(store)  # the dead connection is noticed and replaced, not used
        with store.recorder.datastore.get_connection() as pooled:
            assert pooled.info.backend_pid != backend
    finally:
        store.close()
