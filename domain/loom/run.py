"""A workflow run: the event-sourced state of one execution of a workflow definition.

Every executed node is an event, so a run continues from its last recorded step after a crash.
Branches are tokens in `frontier`: a node with several outgoing edges starts parallel branches,
executed one node at a time in order; `output` ends its branch; the run completes when none is
left. A run keeps the definition version it started with.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.loom.definition import TriggerType
from domain.loom.payload import compare, merge, render
from domain.shared import Aggregate, Conflict, Event, NotFound

MAX_STEPS = 1000
MERGED_TYPES = {"set", "tool"}  # nodes whose result is merged into the payload


class RunStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    PAUSED = "paused"


FINISHED = {RunStatus.COMPLETED, RunStatus.FAILED}


class RunStarted(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    workflow_id: UUID
    workflow_name: str
    definition_version: int
    definition: dict[str, Any]
    trigger: TriggerType
    payload: dict[str, Any]
    started_by: UUID | None
    at: datetime


class NodeExecuted(Event, frozen=True, kw_only=True):
    node_id: str
    node_type: str
    label: str
    result: dict[str, Any]
    next_nodes: list[str]
    wake_at: datetime | None = None
    at: datetime


class RunPaused(Event, frozen=True, kw_only=True):
    node_id: str
    held_nodes: list[str]
    at: datetime


class RunResumed(Event, frozen=True, kw_only=True):
    approved: bool
    note: str | None
    by: UUID | None
    at: datetime


class RunCompleted(Event, frozen=True, kw_only=True):
    output: dict[str, Any]
    at: datetime


class RunFailed(Event, frozen=True, kw_only=True):
    node_id: str | None
    error: str
    at: datetime


class RunCancelled(Event, frozen=True, kw_only=True):
    by: UUID | None
    at: datetime


class RunNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Workflow run not found.")


class Run(Aggregate):
    category = "workflow_run"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.workspace_id: UUID | None = None
        self.workflow_id: UUID | None = None
        self.started_by: UUID | None = None
        self.status = RunStatus.PENDING
        self.definition: dict[str, Any] = {}
        self.payload: dict[str, Any] = {}
        self.frontier: list[str] = []
        self.held: list[str] = []
        self.wake_at: datetime | None = None
        self.steps = 0
        self.started_at: datetime | None = None

    def visible_to(self, workspace_id: UUID) -> Run:
        if not self.exists or self.workspace_id != workspace_id:
            raise RunNotFound()
        return self

    def start(self, event: RunStarted) -> None:
        if self.exists:
            raise Conflict("This run has already started.")
        self.record(event)

    def next_node(self, now: datetime) -> dict[str, Any] | None:
        """The node to execute now, or None when the run waits, sleeps or has finished."""
        if self.status not in (RunStatus.PENDING, RunStatus.RUNNING) or not self.frontier:
            return None
        if self.wake_at is not None and now < self.wake_at:
            return None
        return self._node(self.frontier[0])

    def evaluate(self, node: dict[str, Any], now: datetime) -> dict[str, Any]:
        """The result of a node that needs nothing outside the run (all but tools)."""
        data = node.get("data", {})
        match node["type"]:
            case "logic":
                outcome = compare(
                    self.payload, data["variable"], data["operator"], data.get("value")
                )
                return {"condition": outcome}
            case "set":
                values: dict[str, Any] = render(data["values"], self.payload)
                return values
            case "delay":
                until = now + timedelta(seconds=float(data["seconds"]))
                return {"delayedUntil": until.isoformat()}
            case "approval":
                return {"awaitingApproval": True}
            case _:
                return {}

    def execute(self, node: dict[str, Any], result: dict[str, Any], at: datetime) -> None:
        """Records a node's step and whatever follows from it: a pause, completion or failure."""
        if self.steps >= MAX_STEPS:
            self.fail(node["id"], f"A run executes at most {MAX_STEPS} steps.", at)
            return
        following = self._following(node, result)
        wake_at = None
        if node["type"] == "delay":
            wake_at = datetime.fromisoformat(result["delayedUntil"])
        self.record(
            NodeExecuted(
                node_id=node["id"],
                node_type=node["type"],
                label=str(node.get("data", {}).get("label", node["id"])),
                result=result,
                next_nodes=[] if node["type"] == "approval" else following,
                wake_at=wake_at,
                at=at,
            )
        )
        if node["type"] == "approval":
            self.record(RunPaused(node_id=node["id"], held_nodes=following, at=at))
        elif not self.frontier:
            self.record(RunCompleted(output=self.payload, at=at))

    def fail(self, node_id: str | None, error: str, at: datetime) -> None:
        self.record(RunFailed(node_id=node_id, error=error, at=at))

    def resume(self, approved: bool, note: str | None, by: UUID | None, at: datetime) -> None:
        if self.status is not RunStatus.PAUSED:
            raise Conflict(f"Only a paused run can be resumed; this one is {self.status}.")
        self.record(RunResumed(approved=approved, note=note, by=by, at=at))
        if not approved:
            self.fail(None, "Rejected at approval" + (f": {note}" if note else "."), at)
        elif not self.frontier:
            self.record(RunCompleted(output=self.payload, at=at))

    def cancel(self, by: UUID | None, at: datetime) -> None:
        if self.status in FINISHED:
            raise Conflict(f"This run has already {self.status}.")
        self.record(RunCancelled(by=by, at=at))

    def _node(self, node_id: str) -> dict[str, Any]:
        return next(n for n in self.definition["nodes"] if n["id"] == node_id)

    def _following(self, node: dict[str, Any], result: dict[str, Any]) -> list[str]:
        if node["type"] == "output":
            return []
        branch = str(result.get("condition")).lower() if node["type"] == "logic" else None
        return [
            edge["target"]
            for edge in self.definition.get("edges", [])
            if edge["source"] == node["id"] and edge.get("condition") in (None, branch)
        ]

    def apply(self, event: Event) -> None:
        match event:
            case RunStarted():
                self.workspace_id = event.workspace_id
                self.workflow_id = event.workflow_id
                self.started_by = event.started_by
                self.definition = event.definition
                self.payload = event.payload
                self.started_at = event.at
                self.frontier = [
                    n["id"] for n in event.definition["nodes"] if n["type"] == "trigger"
                ]
            case NodeExecuted():
                self.status = RunStatus.RUNNING
                self.steps += 1
                self.frontier.remove(event.node_id)
                self.frontier += event.next_nodes
                self.wake_at = event.wake_at or self.wake_at
                if event.node_type in MERGED_TYPES:
                    self.payload = merge(self.payload, event.result)
            case RunPaused():
                self.status = RunStatus.PAUSED
                self.held = event.held_nodes
            case RunResumed():
                self.status = RunStatus.RUNNING
                if event.approved:
                    self.frontier += self.held
                self.held = []
            case RunCompleted():
                self.status = RunStatus.COMPLETED
            case RunFailed() | RunCancelled():
                self.status = RunStatus.FAILED
                self.frontier = []
            case _:
                super().apply(event)
