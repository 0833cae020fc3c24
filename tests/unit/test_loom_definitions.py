from typing import Any

import pytest

from domain.loom import cron
from domain.loom.definition import TriggerType, validate
from domain.shared import InvalidInput


def node(id: str, type: str, **data: Any) -> dict[str, Any]:
    return {"id": id, "type": type, "data": {"label": id, **data}}


def edge(source: str, target: str, condition: str | None = None) -> dict[str, Any]:
    found = {"id": f"{source}-{target}", "source": source, "target": target}
    return found | ({"condition": condition} if condition else {})


LEAD_INTAKE = {
    "nodes": [
        node("start", "trigger"),
        node("has-email", "logic", variable="lead.email", operator="exists"),
        node("add", "tool", tool="contacts.create", args={"email": "{{lead.email}}"}),
        node("skip", "set", values={"skipped": True}),
        node("done", "output"),
    ],
    "edges": [
        edge("start", "has-email"),
        edge("has-email", "add", "true"),
        edge("has-email", "skip", "false"),
        edge("add", "done"),
        edge("skip", "done"),
    ],
}


def test_a_well_formed_definition_passes() -> None:
    validate(LEAD_INTAKE, TriggerType.API)


def broken(**changes: Any) -> dict[str, Any]:
    return {**LEAD_INTAKE, **changes}


@pytest.mark.parametrize(
    ("definition", "trigger", "problem"),
    [
        ({"nodes": "x"}, TriggerType.API, "list of nodes"),
        (broken(nodes=LEAD_INTAKE["nodes"][1:]), TriggerType.API, "exactly one trigger"),
        (
            broken(nodes=[*LEAD_INTAKE["nodes"], node("again", "trigger")]),
            TriggerType.API,
            "exactly one trigger",
        ),
        (
            broken(nodes=[*LEAD_INTAKE["nodes"], node("x", "teleport")]),
            TriggerType.API,
            "unknown type",
        ),
        (
            broken(nodes=[*LEAD_INTAKE["nodes"], node("done", "output")]),
            TriggerType.API,
            "used twice",
        ),
        (
            broken(edges=[*LEAD_INTAKE["edges"], edge("done", "nowhere")]),
            TriggerType.API,
            "unknown node",
        ),
        (broken(edges=[*LEAD_INTAKE["edges"], edge("done", "start")]), TriggerType.API, "cycle"),
        (
            broken(edges=LEAD_INTAKE["edges"][:2] + LEAD_INTAKE["edges"][3:]),
            TriggerType.API,
            '"false" edge',
        ),
        (
            broken(edges=[*LEAD_INTAKE["edges"], edge("add", "skip", "maybe")]),
            TriggerType.API,
            "condition",
        ),
        (LEAD_INTAKE, TriggerType.SCHEDULE, "cron"),
        (LEAD_INTAKE, TriggerType.EVENT, "data.event"),
        (
            {"nodes": [node("t", "trigger"), node("w", "delay", seconds=-1)], "edges": []},
            TriggerType.API,
            "seconds",
        ),
        (
            {"nodes": [node("t", "trigger"), node("s", "set")], "edges": []},
            TriggerType.API,
            "data.values",
        ),
        (
            {"nodes": [node("t", "trigger"), node("x", "tool", tool="rm -rf")], "edges": []},
            TriggerType.API,
            "data.tool",
        ),
        (
            {
                "nodes": [node("t", "trigger"), node("l", "logic", variable="a", operator="like")],
                "edges": [],
            },
            TriggerType.API,
            "operator",
        ),
        (
            {
                "nodes": [node("t", "trigger")] + [node(f"n{i}", "output") for i in range(200)],
                "edges": [],
            },
            TriggerType.API,
            "at most 200",
        ),
    ],
)
def test_a_broken_definition_is_refused_naming_the_problem(
    definition: dict[str, Any], trigger: TriggerType, problem: str
) -> None:
    with pytest.raises(InvalidInput, match=problem):
        validate(definition, trigger)


def test_schedule_and_event_triggers_need_their_field() -> None:
    scheduled = {"nodes": [node("t", "trigger", schedule="*/5 * * * 1-5")], "edges": []}
    validate(scheduled, TriggerType.SCHEDULE)
    on_event = {"nodes": [node("t", "trigger", event="ContactCreated")], "edges": []}
    validate(on_event, TriggerType.EVENT)
    assert not cron.is_valid("every minute")
    assert not cron.is_valid("* * * *")
    assert not cron.is_valid("61 * * * *")
    on_unknown_event = {"nodes": [node("t", "trigger", event="NoSuchThing")], "edges": []}
    with pytest.raises(InvalidInput, match="domain event type"):
        validate(on_unknown_event, TriggerType.EVENT)
