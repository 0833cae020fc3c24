from __future__ import annotations

from uuid import UUID

import msgspec

from commands.identity.new_user import new_user
from commands.identity.session import NewSession, start_session
from commands.unit_of_work import UnitOfWork
from domain.identity.invitation import Invitation, invitation_id
from domain.identity.roles import Psyche
from domain.identity.user import User, UserRegistered
from domain.klepsydra.pulse import Pulse
from domain.workspaces.workspace import Workspace


class AcceptInvitation(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    user_id: UUID
    password: str
    first_name: str | None
    last_name: str | None
    psyche: Psyche | None
    pulse_phase: float
    session: NewSession


def handle(command: AcceptInvitation, uow: UnitOfWork) -> User:
    now = uow.context.now
    invitation = uow.get(Invitation, invitation_id(command.token))
    invitation.accept(command.user_id, now)
    assert invitation.workspace_id is not None
    uow.act_as(invitation.workspace_id, command.user_id)
    user = new_user(
        uow,
        UserRegistered(
            user_id=command.user_id,
            workspace_id=invitation.workspace_id,
            email=invitation.email,
            role=invitation.role,
            psyche=command.psyche,
            first_name=command.first_name,
            last_name=command.last_name,
            at=now,
        ),
        command.password,
    )
    uow.get(Workspace, invitation.workspace_id).admit(command.user_id, invitation.role, now)
    uow.get(Pulse, Pulse.of(command.user_id).id).create(command.user_id, command.pulse_phase, now)
    start_session(uow, command.session, command.user_id)
    return user
