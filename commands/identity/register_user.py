from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import msgspec

from commands.identity.new_user import new_user
from commands.identity.session import NewSession, start_session
from commands.unit_of_work import UnitOfWork
from domain.identity.email_claim import normalise_email
from domain.identity.roles import Psyche, Role
from domain.identity.user import User, UserRegistered
from domain.klepsydra.pulse import Pulse
from domain.ledger.events import CreditGranted
from domain.ledger.ledger import INITIAL_GRANT, INITIAL_GRANT_DESCRIPTION, Ledger
from domain.workspaces.workspace import Workspace


class RegisterUser(msgspec.Struct, frozen=True, kw_only=True):
    user_id: UUID
    workspace_id: UUID
    grant_id: UUID
    email: str
    password: str
    workspace_name: str
    psyche: Psyche
    agent_alias: str | None
    what_must_end: str | None
    goal: str | None
    pulse_phase: float
    session: NewSession


class Registered(msgspec.Struct, frozen=True):
    user: User
    workspace: Workspace
    ledger: Ledger


def handle(command: RegisterUser, uow: UnitOfWork) -> Registered:
    now = uow.context.now
    user = new_user(
        uow,
        UserRegistered(
            user_id=command.user_id,
            workspace_id=command.workspace_id,
            email=normalise_email(command.email),
            role=Role.ADMIN,
            psyche=command.psyche,
            agent_alias=command.agent_alias,
            what_must_end=command.what_must_end,
            goal=command.goal,
            at=now,
        ),
        command.password,
    )

    workspace = uow.get(Workspace, command.workspace_id)
    workspace.create(command.workspace_name, owner_id=command.user_id, at=now)

    ledger = uow.get(Ledger, Ledger.of(command.workspace_id).id)
    ledger.grant(
        CreditGranted(
            transaction_id=command.grant_id,
            workspace_id=command.workspace_id,
            user_id=command.user_id,
            amount=Decimal(INITIAL_GRANT),
            description=INITIAL_GRANT_DESCRIPTION,
            at=now,
        )
    )

    uow.get(Pulse, Pulse.of(command.user_id).id).create(command.user_id, command.pulse_phase, now)
    start_session(uow, command.session, command.user_id)
    return Registered(user, workspace, ledger)
