"""The micro-app catalogue (domain-reference.md): unlock cost in Ξ, 0 = included."""

from __future__ import annotations

import re
from decimal import Decimal

import msgspec


class MicroApp(msgspec.Struct, frozen=True):
    id: str
    name: str
    credit_cost: Decimal

    @property
    def included(self) -> bool:
        return self.credit_cost == 0


def _kebab(name: str) -> str:
    """ "Dr. Syntax" → dr-syntax, "Sterile-ish" → sterileish (as the alignment table names it)."""
    return "-".join(re.sub(r"[^a-z0-9 ]", "", name.lower()).split())


_PRICED = {
    "Spectre Intelligence Suite": 999,
    "Command & Cauldron": 999,
    "Sterile-ish": 500,
    "Barbara": 350,
    "Winston Wolfe": 300,
    "Auditor Generalissimo": 250,
    "Dr. Syntax": 200,
    "Foremanator": 200,
    "J-ROC Business Kit": 150,
    "BEEP Wingman": 120,
    "Reno Mode": 100,
    "KENDRA": 99,
    "Rolodex": 90,
    "Paper Trail": 90,
    "VIN Diesel": 90,
    "Kif Kroker": 90,
    "Lahey Surveillance": 90,
    "Pam Poovey": 70,
    "Patrickt": 69,
    "Vandelay": 50,
    "Lucille Bluth": 50,
    "Project Lumbergh": 50,
    "Stonks Bot": 10,
}
_INCLUDED = [
    "contact-list",
    "usage-monitor",
    "top-up",
    "aegis-threatscope",
    "aegis-command",
    "armory",
    "validator",
    "user-profile-settings",
    "workspace-settings",
    "admin-console",
    "integration-nexus",
    "ritual-quests",
    "oracle-of-delphi-valley",
    "sisyphus-ascent",
    "merchant-of-cabbage",
    "proxy-agent",
    "file-explorer",
    "terminal",
]

CATALOGUE: dict[str, MicroApp] = {
    app.id: app
    for app in (
        *(MicroApp(_kebab(name), name, Decimal(cost)) for name, cost in _PRICED.items()),
        *(MicroApp(i, i.replace("-", " ").title(), Decimal(0)) for i in _INCLUDED),
    )
}
