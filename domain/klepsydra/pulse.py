"""A user's Klepsydra pulse profile; the luck formula arrives with the ledger's tributes."""

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


class PulseProfileCreated(Event, frozen=True, kw_only=True):
    user_id: UUID
    amplitude: float
    frequency: float
    baseline_luck: float
    frustration: float
    flow: float
    phase_offset: float
    at: datetime


class Pulse(Aggregate):
    category = "pulse"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.phase_offset = 0.0
        self.frustration = INITIAL_FRUSTRATION
        self.flow = INITIAL_FLOW

    @classmethod
    def of(cls, user_id: UUID) -> Pulse:
        return cls(pulse_id(user_id))

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

    def apply(self, event: Event) -> None:
        match event:
            case PulseProfileCreated():
                self.phase_offset = event.phase_offset
                self.frustration = event.frustration
                self.flow = event.flow
            case _:
                super().apply(event)
