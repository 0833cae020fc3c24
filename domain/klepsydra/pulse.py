"""A user's Klepsydra pulse: the state behind their luck, moved by wins and losses."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_OID, UUID, uuid5

from domain.shared import Aggregate, Event

AMPLITUDE = 0.2
FREQUENCY_PER_MINUTE = 0.01
BASELINE_LUCK = 0.5
INITIAL_FRUSTRATION = 0.1
INITIAL_FLOW = 0.1


def pulse_id(user_id: UUID) -> UUID:
    return uuid5(NAMESPACE_OID, f"aevon:pulse:{user_id}")


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 6)


class PulseProfileCreated(Event, frozen=True, kw_only=True):
    user_id: UUID
    amplitude: float
    frequency: float
    baseline_luck: float
    frustration: float
    flow: float
    phase_offset: float
    at: datetime


class PulseInteracted(Event, frozen=True, kw_only=True):
    """A win or a loss (a tribute, a BEEP command), with the state it leaves."""

    won: bool
    reason: str
    frustration: float
    flow: float
    losses: int
    at: datetime


class Pulse(Aggregate):
    category = "pulse"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.user_id: UUID | None = None
        self.phase_offset = 0.0
        self.frustration = INITIAL_FRUSTRATION
        self.flow = INITIAL_FLOW
        self.losses = 0
        self.since: datetime | None = None

    @classmethod
    def of(cls, user_id: UUID) -> Pulse:
        return cls(pulse_id(user_id))

    def minutes_since_last_tribute(self, at: datetime) -> float:
        return max(0.0, (at - self.since).total_seconds() / 60) if self.since else 0.0

    def create(self, user_id: UUID, phase_offset: float, at: datetime) -> None:
        self.record(
            PulseProfileCreated(
                user_id=user_id,
                amplitude=AMPLITUDE,
                frequency=FREQUENCY_PER_MINUTE,
                baseline_luck=BASELINE_LUCK,
                frustration=INITIAL_FRUSTRATION,
                flow=INITIAL_FLOW,
                phase_offset=phase_offset,
                at=at,
            )
        )

    def interact(self, won: bool, reason: str, at: datetime) -> None:
        if won:
            frustration, flow, losses = self.frustration - 0.2, self.flow + 0.1, 0
        else:
            frustration, flow, losses = self.frustration + 0.15, self.flow - 0.05, self.losses + 1
        self.record(
            PulseInteracted(
                won=won,
                reason=reason,
                frustration=_clamp(frustration),
                flow=_clamp(flow),
                losses=losses,
                at=at,
            )
        )

    def apply(self, event: Event) -> None:
        match event:
            case PulseProfileCreated():
                self.user_id = event.user_id
                self.phase_offset = event.phase_offset
                self.frustration = event.frustration
                self.flow = event.flow
                self.since = event.at
            case PulseInteracted():
                self.frustration = event.frustration
                self.flow = event.flow
                self.losses = event.losses
                if event.reason == "tribute":
                    self.since = event.at
            case _:
                super().apply(event)
