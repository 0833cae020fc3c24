from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.crm.contact import ContactEmailClaim, ContactEmailTaken, contact_email_claim_id
from domain.identity.email_claim import EmailClaim, LoginFailed
from domain.identity.invitation import (
    InvalidInvitation,
    Invitation,
    InvitationAccepted,
    InvitationIssued,
    invitation_id,
)
from domain.identity.refresh import RefreshFamily, RefreshFamilyRevoked, RefreshTokenRotated
from domain.identity.roles import Role
from domain.shared import Conflict, PreconditionFailed, expect_version
from domain.workspaces.workspace import MemberRemoved, MemberRoleChanged, Workspace

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def workspace_with(*roles: Role) -> tuple[Workspace, list]:
    workspace = Workspace(uuid4())
    owner = uuid4()
    workspace.create("Acme", owner, NOW)
    members = [owner]
    for role in roles:
        member = uuid4()
        workspace.admit(member, role, NOW)
        members.append(member)
    workspace.pending.clear()
    return workspace, members


def test_the_last_admin_cannot_be_demoted_or_removed() -> None:
    workspace, (owner, manager) = workspace_with(Role.MANAGER)
    workspace.change_role(manager, Role.ADMIN, by=owner, at=NOW)
    workspace.change_role(owner, Role.OPERATOR, by=manager, at=NOW)
    with pytest.raises(Conflict, match="last ADMIN"):
        workspace.change_role(manager, Role.AUDITOR, by=uuid4(), at=NOW)
    with pytest.raises(Conflict, match="last ADMIN"):
        workspace.remove(manager, by=uuid4(), at=NOW)
    assert [type(e) for e in workspace.pending] == [MemberRoleChanged, MemberRoleChanged]


def test_no_one_changes_or_removes_their_own_membership() -> None:
    workspace, (owner, other_admin) = workspace_with(Role.ADMIN)
    with pytest.raises(Conflict, match="your own"):
        workspace.change_role(owner, Role.AUDITOR, by=owner, at=NOW)
    with pytest.raises(Conflict, match="your own"):
        workspace.remove(owner, by=owner, at=NOW)
    workspace.remove(other_admin, by=owner, at=NOW)
    assert workspace.pending == [MemberRemoved(user_id=other_admin, at=NOW)]
    assert other_admin not in workspace.members


def test_a_member_of_another_workspace_is_not_found() -> None:
    workspace, (owner,) = workspace_with()
    with pytest.raises(Exception, match="No such member"):
        workspace.change_role(uuid4(), Role.ADMIN, by=owner, at=NOW)


def test_failures_older_than_fifteen_minutes_do_not_count() -> None:
    claim = EmailClaim.replay(
        uuid4(), [LoginFailed(user_id=None, at=NOW + timedelta(minutes=m)) for m in range(5)]
    )
    assert claim.locked_until(NOW + timedelta(minutes=5)) == NOW + timedelta(minutes=15)
    assert claim.locked_until(NOW + timedelta(minutes=15)) is None


def test_a_rotated_refresh_token_presented_again_revokes_the_family() -> None:
    family = RefreshFamily(uuid4())
    family.start(uuid4(), "first", NOW + timedelta(days=30), NOW)
    assert family.rotate("first", "second", NOW + timedelta(days=30), NOW)
    assert not family.rotate("first", "third", NOW + timedelta(days=30), NOW)
    assert not family.rotate("second", "fourth", NOW + timedelta(days=30), NOW)
    assert [type(e) for e in family.pending][1:] == [RefreshTokenRotated, RefreshFamilyRevoked]


def test_an_invitation_is_single_use_and_expires_after_seven_days() -> None:
    issued = InvitationIssued(
        workspace_id=uuid4(),
        email="b@x.io",
        role=Role.OPERATOR,
        invited_by=uuid4(),
        expires_at=NOW + timedelta(days=7),
        at=NOW,
    )
    expired = Invitation.replay(invitation_id("t"), [issued])
    with pytest.raises(InvalidInvitation):
        expired.accept(uuid4(), NOW + timedelta(days=7))
    used = Invitation.replay(
        invitation_id("t"), [issued, InvitationAccepted(user_id=uuid4(), at=NOW)]
    )
    with pytest.raises(InvalidInvitation):
        used.accept(uuid4(), NOW)


def test_contact_emails_are_unique_per_workspace_only() -> None:
    workspace = uuid4()
    assert contact_email_claim_id(workspace, "A@x.io") == contact_email_claim_id(
        workspace, "a@x.io"
    )
    assert contact_email_claim_id(workspace, "a@x.io") != contact_email_claim_id(uuid4(), "a@x.io")
    claim = ContactEmailClaim(contact_email_claim_id(workspace, "a@x.io"))
    claim.claim(uuid4(), NOW)
    with pytest.raises(ContactEmailTaken):
        claim.claim(uuid4(), NOW)


def test_if_match_names_the_version_the_client_saw() -> None:
    workspace, _ = workspace_with()
    expect_version(workspace, None)
    expect_version(workspace, workspace.version)
    with pytest.raises(PreconditionFailed):
        expect_version(workspace, workspace.version - 1)
