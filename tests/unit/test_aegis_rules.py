"""Given these events, Aegis's rules decide exactly these alerts."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from domain.aegis.alert import RiskLevel
from domain.aegis.rules import Decision, Rules, Seen

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
WORKSPACE, USER, ACCOUNT = uuid4(), uuid4(), uuid4()


def seen(type: str, at: datetime, aggregate: UUID = USER, **data: Any) -> Seen:
    return Seen(
        event_id=uuid4(),
        type=type,
        aggregate_id=aggregate,
        workspace_id=WORKSPACE,
        actor_id=USER,
        at=at,
        data=data,
    )


def feed(rules: Rules, events: list[Seen]) -> list[Decision]:
    return [decision for event in events for decision in rules.observe(event)]


def failures(start: datetime, count: int, every: timedelta) -> list[Seen]:
    return [
        seen("LoginFailed", start + i * every, ACCOUNT, user_id=str(USER), ip="203.0.113.9")
        for i in range(count)
    ]


def test_five_failed_logins_within_a_minute_raise_one_high_alert_per_burst() -> None:
    rules = Rules()
    burst = failures(T0, 7, timedelta(seconds=5))
    assert feed(rules, burst[:4]) == []
    decided = feed(rules, burst[4:])
    assert [(d.type, d.risk_level, d.actor_id) for d in decided] == [
        ("Brute-force suspected", RiskLevel.HIGH, USER)
    ]
    assert "203.0.113.9" in decided[0].explanation
    later = failures(T0 + timedelta(minutes=5), 5, timedelta(seconds=5))
    assert len(feed(rules, later)) == 1  # a new burst after a quiet minute


def test_failed_logins_spread_out_raise_nothing() -> None:
    assert feed(Rules(), failures(T0, 10, timedelta(seconds=20))) == []


def test_a_login_from_a_new_address_is_low_once_the_user_has_a_history() -> None:
    rules = Rules()
    usual = [seen("UserLoggedIn", T0 + timedelta(hours=i), ip="198.51.100.1") for i in range(3)]
    assert feed(rules, usual) == []
    decided = feed(rules, [seen("UserLoggedIn", T0 + timedelta(hours=4), ip="192.0.2.77")])
    assert [(d.type, d.risk_level) for d in decided] == [
        ("Login from a new address", RiskLevel.LOW)
    ]
    again = seen("UserLoggedIn", T0 + timedelta(hours=5), ip="192.0.2.77")
    assert feed(rules, [again]) == []
    newcomer = Rules()
    first = [seen("UserLoggedIn", T0, ip="198.51.100.1"), seen("UserLoggedIn", T0, ip="192.0.2.1")]
    assert feed(newcomer, first) == []


def metered(at: datetime, amount: str) -> Seen:
    return seen("ActionsMetered", at, uuid4(), amount=Decimal(amount))


def test_spending_far_above_the_weekly_mean_is_medium_once_an_hour() -> None:
    rules = Rules()
    week = [metered(T0 + timedelta(hours=h), "2") for h in range(7 * 24)]
    assert feed(rules, week) == []
    now = T0 + timedelta(days=7, minutes=30)
    assert feed(rules, [metered(now, "30")]) == []
    decided = feed(rules, [metered(now + timedelta(minutes=10), "30")])
    assert [(d.type, d.risk_level) for d in decided] == [("Unusual spending", RiskLevel.MEDIUM)]
    assert feed(rules, [metered(now + timedelta(minutes=20), "80")]) == []


def test_spending_under_the_floor_or_the_multiple_raises_nothing() -> None:
    rules = Rules()
    assert feed(rules, [metered(T0, "49")]) == []
    busy = Rules()
    week = [metered(T0 + timedelta(hours=h), "30") for h in range(7 * 24)]
    assert feed(busy, [*week, metered(T0 + timedelta(days=7, minutes=1), "60")]) == []


def test_a_member_raised_to_admin_is_medium() -> None:
    rules = Rules()
    raised = seen(
        "MemberRoleChanged", T0, WORKSPACE, user_id=str(uuid4()), role="ADMIN", previous="OPERATOR"
    )
    lowered = seen(
        "MemberRoleChanged", T0, WORKSPACE, user_id=str(uuid4()), role="AUDITOR", previous="ADMIN"
    )
    decided = feed(rules, [raised, lowered])
    assert [(d.type, d.risk_level) for d in decided] == [("Privilege raised", RiskLevel.MEDIUM)]


def test_a_benign_hour_of_a_typical_user_raises_nothing() -> None:
    rules = Rules()
    session: list[Seen] = [seen("UserRegistered", T0, email="ann@example.com")]
    for minute in range(0, 60, 20):
        session.append(seen("UserLoggedIn", T0 + timedelta(minutes=minute), ip="198.51.100.1"))
    session.append(seen("LoginFailed", T0 + timedelta(minutes=21), ACCOUNT, ip="198.51.100.1"))
    for minute in range(60):
        at = T0 + timedelta(minutes=minute)
        session.append(seen("ContactCreated", at, uuid4(), details={"first_name": "C"}))
        session.append(metered(at, "0"))
    session.append(seen("TributePaid", T0 + timedelta(minutes=30), uuid4(), tribute=Decimal(1)))
    session.append(metered(T0 + timedelta(minutes=50), "12"))
    session.append(
        seen(
            "MemberRoleChanged",
            T0 + timedelta(minutes=55),
            WORKSPACE,
            role="OPERATOR",
            previous="AUDITOR",
        )
    )
    assert feed(rules, session) == []


def test_reading_the_stream_again_decides_the_same_alerts() -> None:
    events = failures(T0, 6, timedelta(seconds=1))
    assert feed(Rules(), events) == feed(Rules(), events)


def test_a_hit_on_the_last_admin_guard_is_low() -> None:
    decided = feed(
        Rules(), [seen("LastAdminGuardHit", T0, WORKSPACE, user_id=str(USER), by=str(USER))]
    )
    assert [(d.type, d.risk_level) for d in decided] == [("Last-admin guard hit", RiskLevel.LOW)]


def test_the_rules_decide_nothing_on_a_type_they_do_not_observe() -> None:
    rules = Rules()
    assert "LastAdminGuardHit" in rules.observed
    assert feed(rules, [seen("LastAdminGuardHit", T0)]) != []
    assert "ContactCreated" not in rules.observed
    assert feed(rules, [seen("ContactCreated", T0, role="ADMIN", amount="900")]) == []
