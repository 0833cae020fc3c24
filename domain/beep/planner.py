"""The offline planner: a command in plain words → the tool calls that carry it out.

Deterministic and rule based: the command is cut into clauses ("add Jane … and show my
balance"), typos of known words are corrected, and each clause is matched against intent rules in
order, most specific first; entities (emails, phones, amounts, names, quoted text) become arguments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import msgspec

from domain.beep import entities as e

PLANS = ("apprentice", "artisan", "priesthood")
FIELDS = {
    "phone": "phone", "number": "phone", "mobile": "phone", "cell": "phone",
    "email": "email", "mail": "email",
    "first": "firstName", "last": "lastName", "surname": "lastName", "name": "name",
}  # fmt: skip
_CLAUSES = re.compile(
    r"\s*(?:;|\.\s+|\?\s*|!\s*|,?\s+and then\s+|,?\s+then\s+|,?\s+and also\s+|,?\s+also\s+"
    r"|,?\s+plus\s+|,?\s+and\s+|,\s+)\s*",
    re.IGNORECASE,
)
_CRITIQUE = re.compile(
    r"(?:critique|proof-?read|check (?:the |my )?(?:grammar|spelling|writing|text|copy|style)"
    r"|grade (?:my |this )?(?:writing|text|copy)|readability|dr\.? ?syntax|review (?:my |this )"
    r"(?:text|copy|writing|draft|email|paragraph)|improve (?:my |this )(?:text|writing|copy)"
    r"|polish (?:my |this )(?:text|writing|copy))",
    re.IGNORECASE,
)


class ToolCall(msgspec.Struct, frozen=True):
    tool: str
    args: dict[str, Any] = {}


Rule = tuple[str, Callable[[set[str], str], bool], Callable[[str], dict[str, Any]]]


def _has(*words: str) -> Callable[[set[str], str], bool]:
    return lambda tokens, _: any(w in tokens for w in words)


def _phrase(pattern: str, flags: int = re.IGNORECASE) -> Callable[[set[str], str], bool]:
    compiled = re.compile(pattern, flags)
    return lambda _, clause: bool(compiled.search(clause))


def _both(*tests: Callable[[set[str], str], bool]) -> Callable[[set[str], str], bool]:
    return lambda tokens, clause: all(t(tokens, clause) for t in tests)


def _either(*tests: Callable[[set[str], str], bool]) -> Callable[[set[str], str], bool]:
    return lambda tokens, clause: any(t(tokens, clause) for t in tests)


def _no_args(_: str) -> dict[str, Any]:
    return {}


def _person(clause: str) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if found := e.emails(clause):
        args["email"] = found[0].lower()
    if found := e.phones(clause):
        args["phone"] = found[0]
    if name := e.name_in(clause, KEYWORDS):
        first, _, last = name.partition(" ")
        args["firstName"] = first
        if last:
            args["lastName"] = last
    return args


def _target(clause: str) -> dict[str, Any]:
    quoted = e.quoted(clause)
    if quoted:
        return {"target": quoted[0]}
    found = e.emails(clause)
    target = found[0].lower() if found else e.name_in(clause, KEYWORDS)
    return {"target": target} if target else {}


def _update(clause: str) -> dict[str, Any]:
    match = re.search(
        r"(?P<field>first name|last name|surname|phone(?: number)?|number|mobile|cell"
        r"|e-?mail(?: address)?|name)\s+(?:of|for)?\s*(?P<who>.*?)\s*(?:to|=|is|as|:)\s+"
        r"(?P<value>.+)$",
        clause,
        re.IGNORECASE,
    )
    if not match:
        return _target(clause)
    field = FIELDS.get(match["field"].lower().replace("e-mail", "email").split()[0], "name")
    before = clause[: match.start()]
    who = _target(f"{before} {match['who']}").get("target")
    value = match["value"].strip().strip("\"'.")
    if field == "email" and (found := e.emails(value)):
        value = found[0].lower()
    elif field == "phone" and (found := e.phones(value)):
        value = found[0]
    args: dict[str, Any] = {"changes": {field: value}}
    return args | ({"target": who} if who else {})


def _amount(clause: str) -> dict[str, Any]:
    amount = e.amount(clause)
    return {"amount": amount} if amount is not None else {}


def _plan(clause: str) -> dict[str, Any]:
    found = [p for p in PLANS if p in clause.lower()]
    return {"planTier": found[0].title()} if found else {}


def _workflow(clause: str) -> dict[str, Any]:
    quoted = e.quoted(clause)
    payload: dict[str, Any] = dict(e.pairs(clause))
    if found := e.emails(clause):
        payload.setdefault("email", found[0].lower())
    head = re.split(r"\s+(?:with|using|for|payload)\s+", clause, maxsplit=1, flags=re.I)[0]
    name = quoted[0] if quoted else e.name_in(head, WORKFLOW_WORDS, e.ARTICLES)
    return {"name": name, "payload": payload} if name else {"payload": payload}


def _text(clause: str) -> dict[str, Any]:
    return {"text": clause}


CONTACT_NOUNS = _has("contact", "contacts", "lead", "leads", "customer", "customers", "client",
                     "clients", "crm", "rolodex", "people")  # fmt: skip
RULES: list[Rule] = [
    ("dossier.compile", _either(_has("dossier", "dossiers", "background"),
                                _phrase(r"everything (?:we know|you have|about)|profile (?:on|of)")
                                ), _target),
    ("workspace.change_plan", _both(_has("plan", "tier", "upgrade", "downgrade", *PLANS),
                                    _has("upgrade", "downgrade", "change", "switch", "move",
                                         "set", *PLANS)), _plan),
    ("billing.top_up", _either(_phrase(r"\btop[ -]?up\b|\brecharge\b|\brefill\b"),
                               _both(_has("buy", "add", "purchase", "get", "request", "order"),
                                     _has("credits", "credit", "ξ", "xi"))), _amount),
    ("billing.transactions", _either(_has("transactions", "transaction", "history", "statement",
                                          "ledger", "spending", "spent", "charges", "payments",
                                          "debits")), _no_args),
    ("billing.usage", _either(_has("usage", "quota"),
                              _phrase(r"actions? (?:used|left|remaining)|how many actions")),
     _no_args),
    ("billing.balance", _either(_has("balance", "credits", "funds", "wallet", "money"),
                                _phrase(r"how much (?:credit|ξ|xi)")), _no_args),
    ("workflows.list", _both(_has("workflows", "automations", "flows", "workflow"),
                             _has("list", "show", "which", "what", "all", "my", "our", "view",
                                  "display", "see", "available")), _no_args),
    ("workflows.run", _either(_both(_has("run", "start", "trigger", "execute", "launch", "kick",
                                         "fire", "begin"),
                                    _has("workflow", "automation", "flow", "loom")),
                              _both(_has("run", "trigger", "execute"),
                                    _phrase(r"[\"“'].+[\"”']"))), _workflow),
    ("alerts.recent", _either(_has("alerts", "alert", "threats", "threat", "incidents", "aegis",
                                   "security", "suspicious", "breaches")), _no_args),
    ("pulse.current", _either(_has("pulse", "luck", "fortune", "klepsydra", "destiny", "fate",
                                   "lucky", "narrative")), _no_args),
    ("contacts.delete", _has("delete", "remove", "erase", "drop", "forget"), _target),
    ("contacts.update", _has("update", "change", "edit", "correct", "modify", "rename", "set"),
     _update),
    ("contacts.list", _either(_both(CONTACT_NOUNS, _has("list", "all", "show", "display", "view",
                                                        "many", "see", "browse", "my", "our")),
                              _phrase(r"^(?:contacts|leads|customers|clients)$")), _no_args),
    ("contacts.create", _has("add", "create", "new", "save", "register", "insert", "store",
                             "record", "capture"), _person),
    ("contacts.find", _either(_has("find", "search", "lookup", "look", "who", "locate", "get"),
                              _phrase(r"\b(?:do (?:we|i) have|is there)\b"),
                              _both(_has("show"), _phrase(r"\b[A-Z][a-z]+|@", 0))), _target),
    ("help", _either(_has("help", "commands", "capabilities", "examples", "options"),
                     _phrase(r"what (?:can|do) you do|how (?:do|does) (?:this|it|beep) work")),
     _no_args),
]  # fmt: skip
_KEYWORDS = """
    dossier dossiers background compile report profile everything plan tier upgrade downgrade
    change switch move set top recharge refill buy add purchase request order credits credit xi
    transactions transaction history statement ledger spending spent charges payments debits
    usage quota actions action used left remaining balance funds wallet money workflows
    workflow automations automation flows flow list show which view display see available run
    start trigger execute launch kick off fire begin alerts alert threats threat incidents
    aegis security suspicious breaches pulse luck fortune klepsydra destiny fate lucky
    narrative delete remove erase drop forget update edit correct modify rename browse find
    search lookup look who locate get create save register insert store record capture help
    commands capabilities examples options loom
"""
KEYWORDS = frozenset(_KEYWORDS.split()) | frozenset(PLANS)
TARGETED = {"contacts.find", "contacts.update", "contacts.delete", "dossier.compile"}
WORKFLOW_WORDS = KEYWORDS - {"report", "background", "record", "request", "order"}
VOCABULARY = KEYWORDS | {"contact", "contacts", "customer", "customers", "client", "clients"}


def plan(command: str) -> list[ToolCall]:
    """The tool calls for a command, in order; empty when no intent is recognised."""
    critique = _CRITIQUE.search(command)
    if critique:
        before = command[: critique.start()]
        text = _critique_text(command[critique.end() :])
        calls = _plan_clauses(before) if before.strip() else []
        return [*calls, ToolCall("dr_syntax.critique", {"text": text})]
    return _plan_clauses(command)


def _critique_text(rest: str) -> str:
    quoted = e.quoted(rest)
    if quoted:
        return max(quoted, key=len)
    return rest.split(":", 1)[1].strip() if ":" in rest else rest.strip(" :")


def _plan_clauses(command: str) -> list[ToolCall]:
    calls: list[ToolCall] = []
    pending = ""
    for clause in _clauses(command):
        call = _match(f"{pending} {clause}".strip() if pending else clause)
        if call is None:
            if calls:  # words that add to the previous request ("… and her phone is …")
                previous = calls.pop()
                merged = _match(f"{previous.args.get('_clause', '')} {clause}")
                calls.append(merged or previous)
            else:
                pending = f"{pending} {clause}".strip()
            continue
        pending = ""
        calls.append(call)
    planned: list[ToolCall] = []
    person: str | None = None
    for call in calls:
        args = {k: v for k, v in call.args.items() if k != "_clause"}
        if call.tool in TARGETED and "target" not in args and person:
            args["target"] = person  # "… and compile a dossier on her"
        person = args.get("target") or _named(args) or person
        clean = ToolCall(call.tool, args)
        if clean not in planned:  # "… show the statement" said twice is one request
            planned.append(clean)
    return planned


def _named(args: dict[str, Any]) -> str | None:
    name = " ".join(filter(None, (args.get("firstName"), args.get("lastName"))))
    return name or args.get("email")


def _clauses(command: str) -> list[str]:
    protected = e.QUOTED.sub(lambda m: m.group(0).replace(" and ", " \x00 "), command)
    parts = _CLAUSES.split(protected.strip())
    return [p.replace("\x00", "and").strip() for p in parts if p and p.strip(" ,.")]


def _match(clause: str) -> ToolCall | None:
    words = re.findall(r"[a-zà-ÿξ]+", e.EMAIL.sub(" ", clause).lower())
    tokens = set(e.corrected(words, VOCABULARY))
    fixed_clause = " ".join(e.corrected(clause.split(), VOCABULARY))
    for tool, test, arguments in RULES:
        if test(tokens, fixed_clause):
            return ToolCall(tool, {**arguments(clause), "_clause": clause})
    return None
