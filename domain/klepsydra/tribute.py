"""Resolving a tribute: a rarity tier weighted by luck × odds, then a boon within the tier.

Both random draws are inputs (uniform in [0, 1)), recorded with the outcome so a replay agrees.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TypeVar

import msgspec

from domain.identity.roles import Psyche
from domain.klepsydra.instruments import Boon, Instrument, Tier

T = TypeVar("T")

PSYCHE_FACTORS: dict[Psyche, tuple[float, Decimal]] = {  # (odds, boon)
    Psyche.ZEN_ARCHITECT: (1.0, Decimal("1.0")),
    Psyche.SYNDICATE_ENFORCER: (0.85, Decimal("1.25")),
    Psyche.RISK_AVERSE_ARTISAN: (1.15, Decimal("0.8")),
}
PITY_AFTER_LOSSES = 5
PITY_MULTIPLIER = Decimal("1.5")
CARD_MULTIPLIER = Decimal("1.5")
CENT = Decimal("0.01")


class TributeOutcome(msgspec.Struct, frozen=True, kw_only=True):
    outcome: str  # common (a loss), uncommon, rare, mythic, pity_boon
    boon: Decimal
    multiplier: Decimal | None
    card: str | None

    @property
    def won(self) -> bool:
        return self.outcome != Tier.COMMON


def tier_weights(instrument: Instrument, luck: float, odds: float) -> dict[Tier, float]:
    lucky = luck * odds
    return {
        tier: base / lucky if tier is Tier.COMMON else base * lucky
        for tier, (base, _) in instrument.tiers.items()
    }


def resolve_tribute(
    instrument: Instrument,
    tribute: Decimal,
    luck: float,
    psyche: Psyche | None,
    losses: int,
    tier_draw: float,
    boon_draw: float,
) -> TributeOutcome:
    odds, boon_factor = PSYCHE_FACTORS[psyche or Psyche.ZEN_ARCHITECT]
    if losses >= PITY_AFTER_LOSSES:
        return TributeOutcome(
            outcome="pity_boon", boon=_cents(tribute * PITY_MULTIPLIER), multiplier=None, card=None
        )
    weights = tier_weights(instrument, luck, odds)
    tier = _pick(list(weights), list(weights.values()), tier_draw)
    boons = instrument.tiers[tier][1]
    boon = _pick(list(boons), [b.weight for b in boons], boon_draw)
    return TributeOutcome(
        outcome=tier.value,
        boon=_cents(_value(boon, tribute) * boon_factor),
        multiplier=None if boon.card else boon.multiplier,
        card=boon.card,
    )


def _value(boon: Boon, tribute: Decimal) -> Decimal:
    return boon.card_cost * CARD_MULTIPLIER if boon.card else tribute * boon.multiplier


def _pick(options: Sequence[T], weights: Sequence[float], draw: float) -> T:
    target = draw * sum(weights)
    for option, weight in zip(options, weights, strict=True):
        if target < weight:
            return option
        target -= weight
    return options[-1]


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
