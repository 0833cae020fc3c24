"""The audit chain and time travel, given records."""

from datetime import UTC, datetime, timedelta
from typing import Any

from aevon.audit import GENESIS, link, verify
from domain.audit.time_travel import state_at

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def record(
    position: int, type: str, minutes: int, aggregate: str = "a", **data: Any
) -> dict[str, Any]:
    return {
        "position": position,
        "type": type,
        "aggregateType": data.pop("aggregate_type", "workspace"),
        "aggregateId": aggregate,
        "occurredAt": (T0 + timedelta(minutes=minutes)).isoformat(),
        "data": data,
    }


def chained(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int, str, str]]:
    links, previous = [], GENESIS
    for r in records:
        digest = link(previous, r)
        links.append((r, r["position"], digest, previous))
        previous = digest
    return links


HISTORY = [
    record(1, "WorkspaceCreated", 0, name="Acme", plan_tier="Apprentice"),
    record(2, "MemberJoined", 0, user_id="u1", role="ADMIN"),
    record(3, "CreditGranted", 0, aggregate_type="ledger", balance=100),
    record(4, "ContactCreated", 5, aggregate="c1"),
    record(5, "MemberJoined", 6, user_id="u2", role="OPERATOR"),
    record(6, "ActionsMetered", 7, aggregate_type="ledger", balance=97.5),
    record(7, "SecurityAlertRaised", 8, aggregate="al1"),
    record(8, "PlanTierChanged", 10, plan_tier="Artisan"),
    record(9, "ContactDeleted", 11, aggregate="c1"),
    record(10, "MemberRoleChanged", 12, user_id="u2", role="ADMIN"),
    record(11, "AlertDismissed", 13, aggregate="al1"),
    record(12, "MemberRemoved", 14, user_id="u1"),
]


def test_an_intact_chain_verifies_and_an_altered_record_is_found_at_its_position() -> None:
    links = chained(HISTORY)
    assert verify(links).verified
    assert verify(links).head == links[-1][2]
    altered = [
        (dict(r, data={"name": "Evil"}) if p == 4 else r, p, h, prev) for r, p, h, prev in links
    ]
    verdict = verify(altered)
    assert (verdict.verified, verdict.first_mismatch) == (False, 4)
    removed = [link for link in links if link[1] != 6]
    assert verify(removed).first_mismatch == 7
    missing = [(None if p == 9 else r, p, h, prev) for r, p, h, prev in links]
    assert verify(missing).first_mismatch == 9


def test_the_state_at_each_moment_follows_the_history() -> None:
    early = state_at(HISTORY, T0 + timedelta(minutes=5))
    assert (early.name, early.plan_tier, early.credit_balance, early.contact_count) == (
        "Acme",
        "Apprentice",
        100,
        1,
    )
    assert [(m.user_id, m.role) for m in early.members] == [("u1", "ADMIN")]
    middle = state_at(HISTORY, T0 + timedelta(minutes=9))
    assert (middle.credit_balance, middle.open_alerts, len(middle.members)) == (97.5, 1, 2)
    late = state_at(HISTORY, T0 + timedelta(minutes=20))
    assert (late.plan_tier, late.contact_count, late.open_alerts) == ("Artisan", 0, 0)
    assert [(m.user_id, m.role) for m in late.members] == [("u2", "ADMIN")]
    assert state_at(HISTORY, T0 - timedelta(minutes=1)).events == 0
