import threading
import time
from uuid import uuid4

import psycopg

from aevon.eventstore import EventStore, ensure_store
from domain.crm.contact import Contact, ContactDetails
from tests.integration.helpers import NOW, meta
from tests.support import Servers, scratch_database


def _save_one(store: EventStore) -> None:
    contact = Contact(uuid4())
    contact.create(uuid4(), ContactDetails(first_name="Pooled"), NOW)
    store.append([contact], meta())


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


def test_processes_starting_together_on_a_new_database_all_create_the_store(
    servers: Servers,
) -> None:
    # `aevon up` starts the API processes, the worker and the engines at once; each creates the
    # event store's tables and functions when it starts.
    starting = threading.Barrier(6)
    failures: list[BaseException] = []
    with scratch_database(servers.database_url, "ddl") as url:

        def start() -> None:
            starting.wait()
            try:
                ensure_store(url)
            except Exception as error:
                failures.append(error)

        threads = [threading.Thread(target=start) for _ in range(starting.parties)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
