"""Covenants derive from a member's psyche; vow alignment scores their recent spending."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from domain.identity.roles import Psyche


class Covenant(msgspec.Struct, frozen=True):
    name: str
    url_name: str
    symbol: str
    psyche: Psyche


COVENANTS: dict[str, Covenant] = {
    c.url_name: c
    for c in (
        Covenant("Covenant of Motion", "motion", "🜁", Psyche.SYNDICATE_ENFORCER),
        Covenant("Covenant of Worship", "worship", "🜃", Psyche.RISK_AVERSE_ARTISAN),
        Covenant("Covenant of Silence", "silence", "🜄", Psyche.ZEN_ARCHITECT),
    )
}
BY_PSYCHE = {c.psyche: c for c in COVENANTS.values()}

ALIGNMENT: dict[Psyche, dict[str, int]] = {
    Psyche.ZEN_ARCHITECT: {
        "vandelay": 5,
        "dr-syntax": 3,
        "orphean-oracle": 3,
        "validator": 2,
        "stonks-bot": -10,
    },
    Psyche.SYNDICATE_ENFORCER: {"lahey-surveillance": 3, "stonks-bot": 5, "inventory-daemon": 4},
    Psyche.RISK_AVERSE_ARTISAN: {
        "sterileish": 5,
        "sterile-ish": 5,
        "barbara": 5,
        "winston-wolfe": 4,
        "rolodex": 3,
        "validator": 3,
        "stonks-bot": -15,
    },
}


def vow_alignment(psyche: Psyche, instruments: Iterable[str | None]) -> int:
    """Over a member's DEBIT instruments of the last 30 days: none → 100."""
    spent = list(instruments)
    if not spent:
        return 100
    table = ALIGNMENT[psyche]
    total = sum(table.get(instrument or "", 0) for instrument in spent)
    if psyche is Psyche.ZEN_ARCHITECT:
        total -= len(spent) // 5
    elif psyche is Psyche.SYNDICATE_ENFORCER:
        total += len(spent) // 3
    return max(0, round(100 + 10 * total))
