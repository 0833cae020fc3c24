from uuid import uuid4

from aevon.eventstore import EventStore
from domain.crm.contact import Contact, ContactDetails
from tests.integration.helpers import NOW, meta
from tests.support import Servers


def test_an_unsaved_decision_never_leaks_into_the_next_load(servers: Servers) -> None:
    writer, store = (EventStore.connect(servers.database_url, pool_size=1) for _ in range(2))
    try:
        contact = Contact(uuid4())
        contact.create(uuid4(), ContactDetails(first_name="Saved"), NOW)
        writer.append([contact], meta())
        abandoned = store.load(Contact, contact.id)  # a cold cache: built from the events
        abandoned.update(ContactDetails(first_name="Never saved"), NOW)
        again = store.load(Contact, contact.id)
        assert (again.details.first_name, again.version) == ("Saved", 1)
        again.update(ContactDetails(first_name="Second"), NOW)
        store.append([again], meta())
        assert store.load(Contact, contact.id).details.first_name == "Second"
    finally:
        writer.close()
        store.close()


def test_a_load_sees_events_saved_by_another_process(servers: Servers) -> None:
    mine, theirs = (EventStore.connect(servers.database_url, pool_size=1) for _ in range(2))
    try:
        contact = Contact(uuid4())
        contact.create(uuid4(), ContactDetails(first_name="One"), NOW)
        mine.append([contact], meta())
        assert mine.load(Contact, contact.id).version == 1
        elsewhere = theirs.load(Contact, contact.id)
        elsewhere.update(ContactDetails(first_name="Two"), NOW)
        theirs.append([elsewhere], meta())
        fresh = mine.load(Contact, contact.id)
        assert (fresh.details.first_name, fresh.version) == ("Two", 2)
    finally:
        mine.close()
        theirs.close()
