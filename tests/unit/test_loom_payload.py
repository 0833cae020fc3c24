from datetime import UTC, datetime
from typing import Any

import pytest

from domain.loom import cron
from domain.loom.payload import compare, merge, render

PAYLOAD: dict[str, Any] = {
    "lead": {"email": "ann@example.com", "score": 72, "tags": ["vip", "eu"]},
    "amount": "12.5",
    "note": None,
}


@pytest.mark.parametrize(
    ("path", "operator", "value", "expected"),
    [
        ("lead.email", "exists", None, True),
        ("lead.phone", "exists", None, False),
        ("note", "exists", None, False),
        ("lead.phone", "not_exists", None, True),
        ("lead.email", "not_exists", None, False),
        ("lead.score", "eq", 72, True),
        ("lead.score", "eq", 73, False),
        ("lead.missing", "eq", None, False),
        ("lead.score", "neq", 73, True),
        ("lead.score", "neq", 72, False),
        ("lead.score", "gt", 50, True),
        ("lead.score", "gt", 72, False),
        ("amount", "gt", 12, True),
        ("lead.email", "gt", 1, False),
        ("lead.score", "lt", 100, True),
        ("lead.score", "lt", 72, False),
        ("lead.email", "contains", "EXAMPLE", True),
        ("lead.email", "contains", "acme", False),
        ("lead.tags", "contains", "vip", True),
        ("lead.tags", "contains", "us", False),
        ("lead.tags.1", "eq", "eu", True),
        ("lead", "contains", "score", True),
    ],
)
def test_every_operator_compares_a_payload_path(
    path: str, operator: str, value: Any, expected: bool
) -> None:
    assert compare(PAYLOAD, path, operator, value) is expected


def test_templates_fill_strings_and_keep_the_type_of_a_lone_reference() -> None:
    values = {
        "greeting": "Hello {{ lead.email }}, score {{lead.score}}{{lead.none}}",
        "score": "{{lead.score}}",
        "nested": [{"tags": "{{lead.tags}}"}],
        "missing": "{{nothing.here}}",
        "plain": 3,
    }
    assert render(values, PAYLOAD) == {
        "greeting": "Hello ann@example.com, score 72",
        "score": 72,
        "nested": [{"tags": ["vip", "eu"]}],
        "missing": None,
        "plain": 3,
    }


def test_results_merge_deeply_into_the_payload() -> None:
    merged = merge(PAYLOAD, {"lead": {"score": 90, "owner": "bo"}, "stage": "qualified"})
    assert merged["lead"] == {**PAYLOAD["lead"], "score": 90, "owner": "bo"}
    assert merged["stage"] == "qualified"
    assert PAYLOAD["lead"]["score"] == 72


@pytest.mark.parametrize(
    ("expression", "at", "expected"),
    [
        ("* * * * *", datetime(2026, 11, 26, 7, 3, tzinfo=UTC), True),
        ("*/5 * * * *", datetime(2026, 11, 26, 7, 5, tzinfo=UTC), True),
        ("*/5 * * * *", datetime(2026, 11, 26, 7, 6, tzinfo=UTC), False),
        ("0 9 * * 1-5", datetime(2026, 11, 26, 9, 0, tzinfo=UTC), True),  # a Thursday
        ("0 9 * * 1-5", datetime(2026, 11, 29, 9, 0, tzinfo=UTC), False),  # a Sunday
        ("0 9 * * 7", datetime(2026, 11, 29, 9, 0, tzinfo=UTC), True),
        ("0 9 * * 0", datetime(2026, 11, 29, 9, 0, tzinfo=UTC), True),
        ("30 8 1,15 * *", datetime(2026, 11, 15, 8, 30, tzinfo=UTC), True),
        ("30 8 1,15 * *", datetime(2026, 11, 16, 8, 30, tzinfo=UTC), False),
        ("0 0 1 * 1", datetime(2026, 11, 30, 0, 0, tzinfo=UTC), True),  # day OR weekday
        ("0 0 1 12 *", datetime(2026, 11, 1, 0, 0, tzinfo=UTC), False),
        ("5-10/2 * * * *", datetime(2026, 11, 1, 0, 9, tzinfo=UTC), True),
        ("5-10/2 * * * *", datetime(2026, 11, 1, 0, 8, tzinfo=UTC), False),
    ],
)
def test_cron_expressions_match_utc_minutes(expression: str, at: datetime, expected: bool) -> None:
    assert cron.matches(expression, at) is expected


@pytest.mark.parametrize(
    "bad", ["", "* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "a b c d e"]
)
def test_malformed_cron_expressions_are_invalid(bad: str) -> None:
    assert not cron.is_valid(bad)
