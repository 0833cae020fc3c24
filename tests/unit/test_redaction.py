"""What leaves the write side: secrets masked, everything else as it was stored."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import msgspec

from aevon.eventstore import REDACTED, Envelope, Metadata, RecordedEvent

AT = datetime(2026, 11, 30, tzinfo=UTC)


def recorded(type_: str, data: dict[str, object]) -> RecordedEvent:
    meta = Metadata(
        workspace_id=uuid4(),
        actor_id=None,
        correlation_id=uuid4(),
        causation_id=uuid4(),
        occurred_at=AT,
    )
    envelope = Envelope(
        event_id=uuid4(), aggregate="user", meta=meta, data=msgspec.Raw(msgspec.json.encode(data))
    )
    return RecordedEvent(position=7, aggregate_id=uuid4(), version=2, type=type_, envelope=envelope)


def test_a_secret_field_is_masked_and_the_rest_kept() -> None:
    event = recorded("PasswordHashSet", {"password_hash": "$argon2id$x", "at": AT.isoformat()})
    redacted = event.redacted()
    assert redacted.public_data() == {"password_hash": REDACTED, "at": AT.isoformat()}
    assert b"argon2" not in msgspec.json.encode(redacted)
    assert (redacted.position, redacted.type) == (event.position, event.type)


def test_an_event_without_secrets_leaves_unchanged() -> None:
    event = recorded("ContactCreated", {"workspace_id": str(uuid4()), "amount": 1.25})
    assert event.redacted() is event
    assert event.public_data()["amount"] == Decimal("1.25")  # numbers stay exact
