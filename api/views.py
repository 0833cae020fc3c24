"""Response bodies built from aggregates, for writes that answer with the new state."""

from __future__ import annotations

from api.schemas import UserOut, WorkspaceOut
from domain.identity.roles import Role
from domain.identity.user import User
from domain.workspaces.workspace import Workspace


def user_view(user: User, role: Role | None = None) -> UserOut:
    """`role` is the caller's current membership role; the user's own is the one it joined with."""
    assert user.role is not None
    assert user.workspace_id is not None
    return UserOut(
        id=user.id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        role=role or user.role,
        agent_alias=user.agent_alias,
        psyche=user.psyche,
        last_login_at=user.last_login_at,
        workspace_id=user.workspace_id,
    )


def workspace_view(workspace: Workspace, credits: float) -> WorkspaceOut:
    return WorkspaceOut(
        id=workspace.id, name=workspace.name, plan_tier=workspace.plan_tier, credits=credits
    )
