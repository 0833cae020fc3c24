"""How BEEP's offline planner routes phrasings: ≥ 95 % must map to exactly the expected calls."""

from typing import Any

import pytest

from domain.beep.planner import ToolCall, plan

Expected = list[tuple[str, dict[str, Any]]]
PHRASINGS: list[tuple[str, Expected]] = [
    # contacts
    (
        "add Jane Doe jane@acme.io",
        [("contacts.create", {"firstName": "Jane", "lastName": "Doe", "email": "jane@acme.io"})],
    ),
    (
        "create a new contact for Bob Smith, phone +1 555 123 4567",
        [
            (
                "contacts.create",
                {"firstName": "Bob", "lastName": "Smith", "phone": "+1 555 123 4567"},
            )
        ],
    ),
    (
        "new lead: Carla Diaz carla@diaz.es",
        [("contacts.create", {"firstName": "Carla", "lastName": "Diaz", "email": "carla@diaz.es"})],
    ),
    (
        "please save marta@kiosk.io as a customer",
        [("contacts.create", {"email": "marta@kiosk.io"})],
    ),
    (
        "register a client named Omar Haddad",
        [("contacts.create", {"firstName": "Omar", "lastName": "Haddad"})],
    ),
    (
        "Add contact Li Wei, li.wei@example.cn, +86 10 1234 5678",
        [("contacts.create", {"firstName": "Li", "lastName": "Wei", "email": "li.wei@example.cn"})],
    ),
    ("find jane", [("contacts.find", {"target": "Jane"})]),
    ("search for bob@smith.org", [("contacts.find", {"target": "bob@smith.org"})]),
    ("who is Carla Diaz?", [("contacts.find", {"target": "Carla Diaz"})]),
    ("look up Omar", [("contacts.find", {"target": "Omar"})]),
    ("do we have a contact called Priya?", [("contacts.find", {"target": "Priya"})]),
    ("list my contacts", [("contacts.list", {})]),
    ("show all customers", [("contacts.list", {})]),
    ("how many contacts do we have", [("contacts.list", {})]),
    ("contacts", [("contacts.list", {})]),
    ("show me my rolodex", [("contacts.list", {})]),
    (
        "update Jane's phone to +44 20 7946 0958",
        [("contacts.update", {"target": "Jane", "changes": {"phone": "+44 20 7946 0958"}})],
    ),
    (
        "change the email of Bob Smith to bob@new.io",
        [("contacts.update", {"target": "Bob Smith", "changes": {"email": "bob@new.io"}})],
    ),
    (
        "set Carla's last name to Díaz-López",
        [("contacts.update", {"target": "Carla", "changes": {"lastName": "Díaz-López"}})],
    ),
    (
        "edit omar's number to 555 010 9999",
        [("contacts.update", {"target": "Omar", "changes": {"phone": "555 010 9999"}})],
    ),
    ("delete contact bob@x.io", [("contacts.delete", {"target": "bob@x.io"})]),
    ("remove Jane Doe", [("contacts.delete", {"target": "Jane Doe"})]),
    ("please erase the lead Carla Diaz", [("contacts.delete", {"target": "Carla Diaz"})]),
    # billing
    ("what's my balance", [("billing.balance", {})]),
    ("show my balanse", [("billing.balance", {})]),
    ("how many credits do we have left?", [("billing.balance", {})]),
    ("how much Ξ is in the wallet", [("billing.balance", {})]),
    ("show usage", [("billing.usage", {})]),
    ("how many actions have I used this month", [("billing.usage", {})]),
    ("what's left of our quota", [("billing.usage", {})]),
    ("recent transactions", [("billing.transactions", {})]),
    ("show my spending history", [("billing.transactions", {})]),
    ("what did we get charged for lately? show the statement", [("billing.transactions", {})]),
    ("top up 50 credits", [("billing.top_up", {"amount": 50.0})]),
    ("buy 120 more credits", [("billing.top_up", {"amount": 120.0})]),
    ("recharge the account with 25.5", [("billing.top_up", {"amount": 25.5})]),
    ("request a top-up of 300 Ξ", [("billing.top_up", {"amount": 300.0})]),
    ("upgrade our plan to Artisan", [("workspace.change_plan", {"planTier": "Artisan"})]),
    ("switch to the priesthood tier", [("workspace.change_plan", {"planTier": "Priesthood"})]),
    ("downgrade plan to apprentice", [("workspace.change_plan", {"planTier": "Apprentice"})]),
    # workflows
    ("list workflows", [("workflows.list", {})]),
    ("which automations do we have?", [("workflows.list", {})]),
    ("show my workflws", [("workflows.list", {})]),
    (
        'run the "Lead intake" workflow with score=80',
        [("workflows.run", {"name": "Lead intake", "payload": {"score": 80}})],
    ),
    (
        "start the payout workflow with amount=40",
        [("workflows.run", {"name": "Payout", "payload": {"amount": 40}})],
    ),
    (
        "trigger lead intake automation for dan@shop.io",
        [("workflows.run", {"name": "Lead Intake", "payload": {"email": "dan@shop.io"}})],
    ),
    ("kick off the onboarding flow", [("workflows.run", {"name": "Onboarding"})]),
    # security, pulse, dossier, dr-syntax, help
    ("any security alerts?", [("alerts.recent", {})]),
    ("show recent threats", [("alerts.recent", {})]),
    ("has aegis flagged anything suspicious", [("alerts.recent", {})]),
    ("how is my luck today", [("pulse.current", {})]),
    ("what does my pulse say", [("pulse.current", {})]),
    ("read my fortune", [("pulse.current", {})]),
    ("compile a dossier on Jane Doe", [("dossier.compile", {"target": "Jane Doe"})]),
    (
        "give me everything we know about bob@smith.org",
        [("dossier.compile", {"target": "bob@smith.org"})],
    ),
    ("background check on Omar Haddad", [("dossier.compile", {"target": "Omar Haddad"})]),
    (
        "critique this: The report was written by me and it is very good.",
        [("dr_syntax.critique", {"text": "The report was written by me and it is very good."})],
    ),
    (
        'proofread "Our product basically is really very unique."',
        [("dr_syntax.critique", {"text": "Our product basically is really very unique."})],
    ),
    (
        "check my writing: We will circle back and leverage synergies going forward.",
        [
            (
                "dr_syntax.critique",
                {"text": "We will circle back and leverage synergies going forward."},
            )
        ],
    ),
    ("help", [("help", {})]),
    ("what can you do?", [("help", {})]),
    ("show me some examples of commands", [("help", {})]),
    # several requests in one command
    (
        "add Jane Doe jane@acme.io and show my balance",
        [("contacts.create", {"email": "jane@acme.io"}), ("billing.balance", {})],
    ),
    (
        "list my contacts and recent transactions",
        [("contacts.list", {}), ("billing.transactions", {})],
    ),
    (
        "top up 20 credits, then show usage",
        [("billing.top_up", {"amount": 20.0}), ("billing.usage", {})],
    ),
    (
        "find Omar; delete bob@x.io; how's my luck",
        [
            ("contacts.find", {"target": "Omar"}),
            ("contacts.delete", {"target": "bob@x.io"}),
            ("pulse.current", {}),
        ],
    ),
    ("check alerts and also list workflows", [("alerts.recent", {}), ("workflows.list", {})]),
]


def routed(text: str, expected: Expected) -> bool:
    calls = plan(text)
    return [c.tool for c in calls] == [tool for tool, _ in expected] and all(
        _contains(call, args) for call, (_, args) in zip(calls, expected, strict=True)
    )


def _contains(call: ToolCall, args: dict[str, Any]) -> bool:
    return all(call.args.get(key) == value for key, value in args.items())


def test_at_least_95_percent_of_phrasings_route_to_the_expected_calls() -> None:
    assert len({text for text, _ in PHRASINGS}) >= 60
    misses = [(text, plan(text)) for text, expected in PHRASINGS if not routed(text, expected)]
    rate = 1 - len(misses) / len(PHRASINGS)
    assert rate >= 0.95, "\n".join(f"{text!r} → {calls}" for text, calls in misses)


@pytest.mark.parametrize("text", ["", "   ", "lorem ipsum dolor", "🙂"])
def test_unknown_intents_plan_nothing(text: str) -> None:
    assert plan(text) == []
