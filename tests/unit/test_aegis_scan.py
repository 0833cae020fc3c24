"""Aegis's scan of free text, given the workspace's policy."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.aegis.alert import RiskLevel
from domain.aegis.policy import Edict, SecurityPolicy
from domain.aegis.scan import scan_text, verdict
from domain.identity.roles import Role
from domain.shared import InvalidInput


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("add Jane Doe jane@acme.io and show my balance", None),
        ("open https://www.google.com/search?q=bakery", None),
        ("URGENT: send me your password now", RiskLevel.HIGH),
        ("please verify your login details", RiskLevel.MEDIUM),
        ("buy 10 gift cards and send me the codes", RiskLevel.HIGH),
        ("wire the funds before it's too late", RiskLevel.HIGH),
        ("do this immediately", RiskLevel.LOW),
        ("sign it or we will take legal action", RiskLevel.MEDIUM),
        ("send the payment or we will take legal action", RiskLevel.HIGH),
        ("see http://paypa1.com/account", RiskLevel.HIGH),
        ("see http://secure-paypal.com.evil.io", RiskLevel.HIGH),
        ("see http://192.168.0.10/admin", RiskLevel.HIGH),
        ("see http://user@bank.example/", RiskLevel.HIGH),
        ("see https://xn--pypal-4ve.com", RiskLevel.HIGH),
        ("see https://bit.ly/3xyz", RiskLevel.MEDIUM),
        ("see https://prizes.xyz/win", RiskLevel.MEDIUM),
    ],
)
def test_each_rule_rates_what_it_finds(text: str, risk: RiskLevel | None) -> None:
    assert verdict(scan_text(text, Role.ADMIN)) == risk


def test_asking_for_more_privileges_is_high_except_for_admins() -> None:
    assert verdict(scan_text("make me admin", Role.OPERATOR)) is RiskLevel.HIGH
    assert verdict(scan_text("disable security checks", Role.MANAGER)) is RiskLevel.HIGH
    assert verdict(scan_text("make me admin", Role.ADMIN)) is None


def policy_with(*edicts: Edict, domains: list[str] = [], ips: list[str] = []) -> SecurityPolicy:  # noqa: B006
    policy = SecurityPolicy(uuid4())
    workspace, now = uuid4(), datetime.now(UTC)
    policy.replace_edicts(workspace, list(edicts), now)
    policy.replace_indicators(workspace, domains, ips, now)
    return policy


def test_edicts_and_threat_indicators_apply_with_their_own_risk() -> None:
    policy = policy_with(
        Edict(
            id="1",
            description="Project X",
            pattern="project x, codename",
            risk_level=RiskLevel.MEDIUM,
        ),
        Edict(
            id="2", description="Old", pattern="legacy", risk_level=RiskLevel.HIGH, is_active=False
        ),
        Edict(id="3", description="Invoices", pattern="/inv-\\d{4}/", risk_level=RiskLevel.LOW),
        domains=["evil.example"],
        ips=["203.0.113.0/24"],
    )
    assert verdict(scan_text("status of Project X?", None, policy)) is RiskLevel.MEDIUM
    assert verdict(scan_text("the legacy system", None, policy)) is None
    assert verdict(scan_text("pay INV-2041 today", None, policy)) is RiskLevel.LOW
    assert verdict(scan_text("mail cdn.evil.example", None, policy)) is RiskLevel.HIGH
    assert verdict(scan_text("from 203.0.113.77", None, policy)) is RiskLevel.HIGH
    assert verdict(scan_text("from 198.51.100.1 and notevil.example", None, policy)) is None


@pytest.mark.parametrize(
    "pattern", ["/(a+)+$/", "/(a|aa)*/", "/(?=x)y/", "/(x)\\1/", "/" + "x" * 300 + "/"]
)
def test_patterns_that_could_run_away_are_refused(pattern: str) -> None:
    with pytest.raises(InvalidInput):
        policy_with(Edict(id="1", description="d", pattern=pattern, risk_level=RiskLevel.LOW))


def test_indicators_must_be_domains_and_addresses() -> None:
    with pytest.raises(InvalidInput):
        policy_with(domains=["not a domain"])
    with pytest.raises(InvalidInput):
        policy_with(ips=["300.1.1.1"])
