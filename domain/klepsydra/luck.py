"""The pulse: luck as a function of time since the last tribute, and its phase and narrative."""

from __future__ import annotations

import math
from enum import StrEnum

from domain.klepsydra.pulse import AMPLITUDE, BASELINE_LUCK, FREQUENCY_PER_MINUTE

MIN_LUCK, MAX_LUCK = 0.05, 0.95


class Phase(StrEnum):
    CREST = "CREST"
    TROUGH = "TROUGH"
    EQUILIBRIUM = "EQUILIBRIUM"


NARRATIVES = {
    Phase.CREST: "The river of fortune swells. Ride it before it turns.",
    Phase.TROUGH: "The divine pendulum tilts. Not in your favor, today.",
    Phase.EQUILIBRIUM: "The threads of fate are in balance. All outcomes are your own.",
}


def luck(minutes: float, phase_offset: float, frustration: float, flow: float) -> float:
    wave = AMPLITUDE * math.sin(2 * math.pi * FREQUENCY_PER_MINUTE * minutes + phase_offset)
    value = BASELINE_LUCK + wave + 0.05 * flow + 0.075 * frustration
    return min(MAX_LUCK, max(MIN_LUCK, value))


def phase_of(value: float) -> Phase:
    if value > BASELINE_LUCK + AMPLITUDE / 2:
        return Phase.CREST
    if value < BASELINE_LUCK - AMPLITUDE / 2:
        return Phase.TROUGH
    return Phase.EQUILIBRIUM
