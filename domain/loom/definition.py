"""Loom workflow definitions: `{nodes, edges}` graphs, validated before they are stored."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from domain.loom import cron
from domain.shared import InvalidInput

MAX_NODES = 200
MAX_EDGES = 400
NODE_TYPES = {"trigger", "logic", "set", "delay", "approval", "tool", "output"}
OPERATORS = {"exists", "not_exists", "eq", "neq", "gt", "lt", "contains"}
TOOLS = {"contacts.create", "alerts.raise", "ledger.meter", "beep.command"}


class TriggerType(StrEnum):
    API = "api"
    SCHEDULE = "schedule"
    EVENT = "event"


def validate(definition: dict[str, Any], trigger_type: TriggerType) -> None:
    """Raises InvalidInput naming the first problem found."""
    nodes, edges = definition.get("nodes"), definition.get("edges", [])
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise InvalidInput("A definition has a list of nodes and a list of edges.")
    if len(nodes) > MAX_NODES or len(edges) > MAX_EDGES:
        raise InvalidInput(f"A workflow has at most {MAX_NODES} nodes and {MAX_EDGES} edges.")
    by_id = _nodes_by_id(nodes)
    triggers = [n for n in by_id.values() if n["type"] == "trigger"]
    if len(triggers) != 1:
        raise InvalidInput(f"A workflow has exactly one trigger node, not {len(triggers)}.")
    outgoing = _check_edges(edges, by_id)
    for node in by_id.values():
        _check_node(node, outgoing.get(node["id"], []), trigger_type)
    _check_acyclic(by_id, outgoing)


def _nodes_by_id(nodes: list[Any]) -> dict[str, dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for node in nodes:
        if not isinstance(node, dict) or not isinstance(node.get("id"), str) or not node["id"]:
            raise InvalidInput("Every node is an object with a non-empty string id.")
        if node["id"] in by_id:
            raise InvalidInput(f"Node id {node['id']!r} is used twice.")
        if node.get("type") not in NODE_TYPES:
            raise InvalidInput(f"Node {node['id']!r} has an unknown type {node.get('type')!r}.")
        if not isinstance(node.get("data", {}), dict):
            raise InvalidInput(f"Node {node['id']!r}: data must be an object.")
        by_id[node["id"]] = node
    return by_id


def _check_edges(
    edges: list[Any], by_id: dict[str, dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    outgoing: dict[str, list[dict[str, Any]]] = {}
    for edge in edges:
        if not isinstance(edge, dict):
            raise InvalidInput("Every edge is an object {id, source, target, condition?}.")
        for end in ("source", "target"):
            if edge.get(end) not in by_id:
                raise InvalidInput(
                    f"Edge {edge.get('id')!r} points at unknown node {edge.get(end)!r}."
                )
        if edge.get("condition") not in (None, "true", "false"):
            raise InvalidInput(f'Edge {edge.get("id")!r}: condition is "true" or "false".')
        outgoing.setdefault(edge["source"], []).append(edge)
    return outgoing


def _check_node(
    node: dict[str, Any], outgoing: list[dict[str, Any]], trigger_type: TriggerType
) -> None:
    data, name = node.get("data", {}), node["id"]
    match node["type"]:
        case "trigger":
            if trigger_type is TriggerType.SCHEDULE and not cron.is_valid(
                str(data.get("schedule", ""))
            ):
                raise InvalidInput(
                    f"Trigger {name!r} needs data.schedule, a 5-field cron expression."
                )
            if trigger_type is TriggerType.EVENT:
                _check_event_trigger(name, data)
        case "logic":
            if not isinstance(data.get("variable"), str) or data.get("operator") not in OPERATORS:
                raise InvalidInput(
                    f"Logic node {name!r} needs data.variable and data.operator, one of "
                    + ", ".join(sorted(OPERATORS))
                    + "."
                )
            if {e.get("condition") for e in outgoing} != {"true", "false"}:
                raise InvalidInput(f'Logic node {name!r} needs a "true" and a "false" edge.')
        case "set" if not isinstance(data.get("values"), dict):
            raise InvalidInput(f"Set node {name!r} needs data.values, an object.")
        case "delay" if not isinstance(data.get("seconds"), int | float) or data["seconds"] < 0:
            raise InvalidInput(f"Delay node {name!r} needs data.seconds ≥ 0.")
        case "tool":
            if data.get("tool") not in TOOLS:
                raise InvalidInput(
                    f"Tool node {name!r} needs data.tool, one of " + ", ".join(sorted(TOOLS)) + "."
                )
            if not isinstance(data.get("args", {}), dict):
                raise InvalidInput(f"Tool node {name!r}: data.args must be an object.")


def _check_event_trigger(name: str, data: dict[str, Any]) -> None:
    from domain.registry import EVENT_TYPES  # the registry imports this module

    event_type = EVENT_TYPES.get(str(data.get("event")))
    if event_type is None:
        raise InvalidInput(f"Trigger {name!r} needs data.event, a domain event type.")
    if event_type.__module__ == "domain.loom.run":
        raise InvalidInput(f"Trigger {name!r}: a run's own events cannot start workflows.")
    if not isinstance(data.get("filter", {}), dict):
        raise InvalidInput(f"Trigger {name!r}: data.filter must be an object of equalities.")


def _check_acyclic(
    by_id: dict[str, dict[str, Any]], outgoing: dict[str, list[dict[str, Any]]]
) -> None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for start in by_id:
        stack = [(start, iter(outgoing.get(start, [])))]
        if state.get(start):
            continue
        state[start] = 1
        while stack:
            node, children = stack[-1]
            edge = next(children, None)
            if edge is None:
                state[node] = 2
                stack.pop()
                continue
            target = edge["target"]
            if state.get(target) == 1:
                raise InvalidInput(f"The edges form a cycle through node {target!r}.")
            if not state.get(target):
                state[target] = 1
                stack.append((target, iter(outgoing.get(target, []))))
