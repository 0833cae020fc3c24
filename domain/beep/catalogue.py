"""Every BEEP tool: who may use it, what it costs, and the app and report it stands for."""

from __future__ import annotations

import msgspec

from domain.identity.policy import Permission
from domain.ledger.plans import ActionKind


class ToolSpec(msgspec.Struct, frozen=True):
    permission: Permission
    cost: ActionKind | None  # None: free
    app: str | None
    report: str | None
    writes: bool = False


_CONTACTS = ("contact-list", "crm")
_BILLING = ("usage-monitor", "billing")
TOOLS: dict[str, ToolSpec] = {
    "contacts.create": ToolSpec(Permission.WRITE_CONTACTS, ActionKind.TOOL_USE, *_CONTACTS, True),
    "contacts.find": ToolSpec(Permission.READ, ActionKind.TOOL_USE, *_CONTACTS),
    "contacts.list": ToolSpec(Permission.READ, ActionKind.TOOL_USE, *_CONTACTS),
    "contacts.update": ToolSpec(Permission.WRITE_CONTACTS, ActionKind.TOOL_USE, *_CONTACTS, True),
    "contacts.delete": ToolSpec(Permission.WRITE_CONTACTS, ActionKind.TOOL_USE, *_CONTACTS, True),
    "billing.balance": ToolSpec(Permission.READ, ActionKind.TOOL_USE, *_BILLING),
    "billing.usage": ToolSpec(Permission.READ, ActionKind.TOOL_USE, *_BILLING),
    "billing.transactions": ToolSpec(Permission.READ, ActionKind.TOOL_USE, *_BILLING),
    "billing.top_up": ToolSpec(
        Permission.REQUEST_TOP_UP, ActionKind.TOOL_USE, "top-up", "billing", True
    ),
    "workspace.change_plan": ToolSpec(
        Permission.CHANGE_PLAN, ActionKind.TOOL_USE, "workspace-settings", "workspace", True
    ),
    "workflows.list": ToolSpec(Permission.READ, ActionKind.TOOL_USE, None, "loom"),
    "workflows.run": ToolSpec(Permission.RUN_WORKFLOWS, ActionKind.TOOL_USE, None, "loom", True),
    "alerts.recent": ToolSpec(
        Permission.VIEW_ALERTS, ActionKind.TOOL_USE, "aegis-threatscope", "aegis"
    ),
    "pulse.current": ToolSpec(Permission.READ, ActionKind.TOOL_USE, None, "pulse"),
    "dossier.compile": ToolSpec(Permission.READ, ActionKind.COMPLEX_STEP, None, "dossier"),
    "dr_syntax.critique": ToolSpec(
        Permission.READ, ActionKind.COMPLEX_STEP, "dr-syntax", "dr-syntax"
    ),
    "help": ToolSpec(Permission.READ, None, None, None),
}
THREATSCOPE = "aegis-threatscope"
