from __future__ import annotations

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.identity.email_claim import EmailClaim, normalise_email
from domain.identity.errors import EmailAlreadyRegistered
from domain.identity.invitation import VALIDITY, Invitation, InvitationIssued, invitation_id
from domain.identity.roles import Role


class InviteMember(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    role: Role
    token: str


def handle(command: InviteMember, uow: UnitOfWork) -> Invitation:
    now = uow.context.now
    if uow.get(EmailClaim, EmailClaim.for_email(command.email).id).user_id is not None:
        raise EmailAlreadyRegistered()
    invitation = uow.get(Invitation, invitation_id(command.token))
    invitation.issue(
        InvitationIssued(
            workspace_id=uow.context.workspace,
            email=normalise_email(command.email),
            role=command.role,
            invited_by=uow.context.actor,
            expires_at=now + VALIDITY,
            at=now,
        )
    )
    return invitation
