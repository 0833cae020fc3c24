"""BEEP's answer in plain sentences, one or more per tool, and the suggestions that follow."""

from __future__ import annotations

from typing import Any

from domain.beep.command import ToolRun

EXAMPLES = [
    "add Jane Doe jane@acme.io",
    "find Jane",
    "update Jane's phone to +1 555 123 4567",
    "show my balance and usage",
    "recent transactions",
    "top up 50 credits",
    'run the "Lead intake" workflow with score=80',
    "any security alerts?",
    "how is my luck today",
    "compile a dossier on Jane Doe",
    "critique this: Our product is basically very unique.",
]
FOLLOW_UPS = {
    "contacts.create": ["find {firstName}", "list my contacts"],
    "contacts.find": ["compile a dossier on {target}"],
    "billing.balance": ["show usage", "top up 50 credits"],
    "billing.usage": ["show my balance"],
    "billing.transactions": ["show my balance"],
    "workflows.list": ["list workflow runs"],
    "alerts.recent": ["show recent transactions"],
}


def sentence(run: ToolRun, result: dict[str, Any], report: dict[str, Any]) -> str:
    if run.status == "denied":
        return run.detail or f"Your role may not use {run.tool}."
    if run.status in ("unresolved", "failed"):
        return f"I could not do that ({run.tool}): {run.detail}"
    args = run.args
    match run.tool:
        case "contacts.create":
            who = " ".join(filter(None, (args.get("firstName"), args.get("lastName"))))
            return f"Added {who or args.get('email') or 'the contact'} to your contacts."
        case "contacts.update":
            return f"Updated {args.get('target')}: " + _pairs(args.get("changes", {})) + "."
        case "contacts.delete":
            return f"Deleted {args.get('target')}."
        case "contacts.find":
            found = report.get("contacts", [])
            if not found:
                return f"No contact matches “{args.get('target')}”."
            return "Found " + "; ".join(_contact(c) for c in found) + "."
        case "contacts.list":
            shown = ", ".join(c["name"] or c["email"] or "?" for c in report.get("contacts", []))
            return f"You have {report.get('count', 0)} contacts" + (f": {shown}." if shown else ".")
        case "billing.balance":
            return f"Your balance is {report.get('balance', 0):.2f} Ξ."
        case "billing.usage":
            limit = report.get("planLimit")
            of = f" of {limit}" if limit is not None else " (unlimited)"
            used, plan = report.get("actionsUsed"), report.get("planTier")
            return f"You used {used}{of} actions this month on the {plan} plan."
        case "billing.transactions":
            rows = report.get("transactions", [])
            return (
                "Recent transactions: "
                + "; ".join(
                    f"{t['type']} {t['amount']:+.2f} Ξ {t['description'].rstrip('.')}" for t in rows
                )
                + "."
                if rows
                else "No transactions yet."
            )
        case "billing.top_up":
            return f"Requested a top-up of {result.get('amount')} Ξ; an admin confirms it."
        case "workspace.change_plan":
            return f"Your workspace is now on the {result.get('planTier')} plan."
        case "workflows.list":
            names = [w["name"] for w in report.get("workflows", [])]
            return "Your workflows: " + ", ".join(names) + "." if names else "No workflows yet."
        case "workflows.run":
            return f"Started the workflow “{args.get('name')}” (run {result.get('runId')})."
        case "alerts.recent":
            alerts = report.get("alerts", [])
            return (
                "Recent alerts: "
                + "; ".join(f"{a['riskLevel']}: {a['type']}" for a in alerts)
                + "."
                if alerts
                else "No security alerts. All quiet."
            )
        case "pulse.current":
            return report.get("narrative") or "No pulse profile yet."
        case "dossier.compile":
            return (
                f"Dossier on {args.get('target')}: {len(report.get('contacts', []))} contact(s), "
                f"{len(report.get('workflowRuns', []))} workflow run(s), "
                f"{len(report.get('alerts', []))} alert(s)."
            )
        case "dr_syntax.critique":
            return f"Dr. Syntax grades it {report.get('grade')}/100. " + " ".join(
                report.get("suggestions", [])
            )
        case "help":
            return (
                "I can manage contacts, billing, workflows, alerts, your pulse, dossiers and"
                " critique your writing. Try: " + "; ".join(f"“{e}”" for e in EXAMPLES[:5]) + "."
            )
    return "Done."


def suggestions(tools: list[ToolRun]) -> list[str]:
    if not any(run.status == "ok" for run in tools):
        return EXAMPLES[:4]
    found: list[str] = []
    for run in tools:
        for template in FOLLOW_UPS.get(run.tool, []):
            try:
                text = template.format(**run.args)
            except (KeyError, IndexError):
                continue
            if text not in found:
                found.append(text)
    return found[:4] or EXAMPLES[:2]


def _pairs(changes: dict[str, Any]) -> str:
    return ", ".join(f"{k} → {v}" for k, v in changes.items())


def _contact(contact: dict[str, Any]) -> str:
    details = ", ".join(filter(None, (contact.get("email"), contact.get("phone"))))
    return f"{contact['name'] or contact['email']}" + (f" ({details})" if details else "")


def _transaction(row: dict[str, Any]) -> str:
    return f"{row['type']} {row['amount']:+.2f} Ξ {row['description'].rstrip('.')}"
