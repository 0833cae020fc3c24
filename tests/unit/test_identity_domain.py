from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.identity.email_claim import EmailClaim, EmailClaimed, EmailReleased, email_claim_id
from domain.identity.errors import EmailAlreadyRegistered
from domain.workspaces.workspace import (
    MemberJoined,
    PlanTier,
    PlanTierChanged,
    Workspace,
    WorkspaceCreated,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_claim_id_is_case_and_space_insensitive() -> None:
    assert email_claim_id(" Ann@Example.COM ") == email_claim_id("ann@example.com")


def test_a_claimed_email_cannot_be_claimed_again() -> None:
    claim = EmailClaim.replay(
        email_claim_id("a@x.io"), [EmailClaimed(email="a@x.io", user_id=uuid4(), at=NOW)]
    )
    with pytest.raises(EmailAlreadyRegistered):
        claim.claim("A@x.io", uuid4(), NOW)
    assert claim.pending == []


def test_a_released_email_can_be_claimed_by_someone_else() -> None:
    first, second = uuid4(), uuid4()
    claim = EmailClaim.replay(
        email_claim_id("a@x.io"),
        [
            EmailClaimed(email="a@x.io", user_id=first, at=NOW),
            EmailReleased(user_id=first, at=NOW),
        ],
    )
    claim.claim("a@x.io", second, NOW)
    assert claim.pending == [EmailClaimed(email="a@x.io", user_id=second, at=NOW)]
    assert claim.version == 3


def test_creating_a_workspace_makes_the_owner_its_admin_on_apprentice() -> None:
    owner = uuid4()
    workspace = Workspace(uuid4())
    workspace.create("Acme", owner, NOW)
    assert [type(e) for e in workspace.pending] == [WorkspaceCreated, MemberJoined]
    assert workspace.plan_tier is PlanTier.APPRENTICE
    assert workspace.members == {owner: "ADMIN"}


def test_changing_to_the_same_plan_records_nothing() -> None:
    workspace = Workspace(uuid4())
    workspace.create("Acme", uuid4(), NOW)
    workspace.pending.clear()
    workspace.change_plan(PlanTier.APPRENTICE, NOW)
    assert workspace.pending == []
    workspace.change_plan(PlanTier.ARTISAN, NOW)
    assert workspace.pending == [
        PlanTierChanged(plan_tier=PlanTier.ARTISAN, previous=PlanTier.APPRENTICE, at=NOW)
    ]
