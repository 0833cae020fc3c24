from __future__ import annotations

import msgspec

from commands.context import Context
from domain.ledger.ledger import ledger_id


class LedgerCommand(msgspec.Struct, frozen=True, kw_only=True):
    """A command on the caller's workspace ledger: those of one ledger share a lane of their own,
    so that a slow one (an export, a BEEP command) does not hold up the workspace's others."""

    def serial_key(self, context: Context) -> object:
        return ledger_id(context.workspace_id) if context.workspace_id else None
