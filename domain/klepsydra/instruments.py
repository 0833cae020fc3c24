"""Folly instruments and their tier tables (domain-reference.md)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import msgspec


class Tier(StrEnum):
    COMMON = "common"
    UNCOMMON = "uncommon"
    RARE = "rare"
    MYTHIC = "mythic"


class Boon(msgspec.Struct, frozen=True):
    """A multiplier of the tribute, or a card paying 1.5 × its cost; `weight` within its tier."""

    weight: int
    multiplier: Decimal = Decimal(0)
    card: str | None = None
    card_cost: Decimal = Decimal(0)


class Instrument(msgspec.Struct, frozen=True):
    id: str
    default_tribute: Decimal
    tiers: dict[Tier, tuple[int, tuple[Boon, ...]]]


def _m(multiplier: str, weight: int) -> Boon:
    return Boon(weight=weight, multiplier=Decimal(multiplier))


def _card(name: str, cost: int, weight: int) -> Boon:
    return Boon(weight=weight, card=name, card_cost=Decimal(cost))


NOTHING = (_m("0", 1),)

INSTRUMENTS: dict[str, Instrument] = {
    i.id: i
    for i in (
        Instrument(
            "SISYPHUSS_ASCENT",
            Decimal(10),
            {
                Tier.COMMON: (7499, NOTHING),
                Tier.UNCOMMON: (1500, (_m("0.5", 50), _m("1.0", 40), _m("1.5", 10))),
                Tier.RARE: (850, (_m("3", 60), _m("5", 30), _card("WEEPING_GLASS", 50, 10))),
                Tier.MYTHIC: (150, (_m("25", 70), _m("50", 20), _card("GORDIAN_KNOT", 400, 10))),
            },
        ),
        Instrument(
            "ORACLE_OF_DELPHI_VALLEY",
            Decimal(25),
            {
                Tier.COMMON: (7000, NOTHING),
                Tier.UNCOMMON: (2000, (_m("1.0", 60), _m("1.5", 40))),
                Tier.RARE: (850, (_m("4", 60), _m("8", 30), _card("SOCRATIC_METHOD", 200, 10))),
                Tier.MYTHIC: (149, (_m("50", 70), _m("100", 20), _card("KRONOSS_GIFT", 600, 10))),
            },
        ),
        Instrument(
            "MERCHANT_OF_CABBAGE",
            Decimal(15),
            {
                Tier.COMMON: (6000, NOTHING),
                Tier.UNCOMMON: (2500, (_m("1.2", 80), _m("2.0", 20))),
                Tier.RARE: (1350, (_m("5", 80), _card("MYCELIAL_NETWORK", 500, 20))),
                Tier.MYTHIC: (149, (_m("75", 90), _card("ROSETTA_STONE", 1200, 10))),
            },
        ),
    )
}
