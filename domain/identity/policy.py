"""The one role policy table (DESIGN §8): which roles may do what in their workspace."""

from enum import StrEnum

from domain.identity.roles import Role

EVERYONE = frozenset(Role)
WRITERS = frozenset({Role.ADMIN, Role.MANAGER, Role.OPERATOR})


class Permission(StrEnum):
    READ = "read"
    EDIT_OWN_PROFILE = "edit own profile"
    RENAME_WORKSPACE = "rename the workspace"
    CHANGE_PLAN = "change the plan"
    VIEW_ADMIN = "view admin statistics and members"
    MANAGE_MEMBERS = "invite, change and remove members"
    WRITE_CONTACTS = "create, update and delete contacts"
    REQUEST_TOP_UP = "request a credit top-up"
    CONFIRM_TOP_UP = "confirm a credit top-up"
    PAY_TRIBUTE = "pay tributes"
    UNLOCK_MICRO_APPS = "unlock micro-apps"
    WRITE_WORKFLOWS = "create, update and delete workflows"
    RUN_WORKFLOWS = "run workflows"
    CONTROL_RUNS = "resume and cancel workflow runs"
    WRITE_AGENTS = "create, update and delete agents"
    VIEW_ALERTS = "view security alerts and baselines"
    MANAGE_SECURITY = "acknowledge alerts and set edicts and threat indicators"
    CONNECT_INTEGRATIONS = "connect integrations"
    AUDIT = "read and verify the audit trail"
    CHANGE_INTEGRATIONS = "change and remove integrations"


POLICY: dict[Permission, frozenset[Role]] = {
    Permission.READ: EVERYONE,
    Permission.EDIT_OWN_PROFILE: EVERYONE,
    Permission.RENAME_WORKSPACE: frozenset({Role.ADMIN, Role.MANAGER}),
    Permission.CHANGE_PLAN: frozenset({Role.ADMIN}),
    Permission.VIEW_ADMIN: frozenset({Role.ADMIN}),
    Permission.MANAGE_MEMBERS: frozenset({Role.ADMIN}),
    Permission.WRITE_CONTACTS: WRITERS,
    Permission.REQUEST_TOP_UP: WRITERS,
    Permission.CONFIRM_TOP_UP: frozenset({Role.ADMIN}),
    Permission.PAY_TRIBUTE: WRITERS,
    Permission.UNLOCK_MICRO_APPS: frozenset({Role.ADMIN}),
    Permission.WRITE_WORKFLOWS: frozenset({Role.ADMIN, Role.MANAGER}),
    Permission.RUN_WORKFLOWS: EVERYONE - {Role.AUDITOR},
    Permission.CONTROL_RUNS: frozenset({Role.ADMIN, Role.MANAGER}),
    Permission.WRITE_AGENTS: frozenset({Role.ADMIN, Role.MANAGER}),
    Permission.VIEW_ALERTS: frozenset({Role.ADMIN, Role.MANAGER, Role.AUDITOR}),
    Permission.MANAGE_SECURITY: frozenset({Role.ADMIN, Role.MANAGER}),
    Permission.CONNECT_INTEGRATIONS: frozenset({Role.ADMIN}),
    Permission.AUDIT: frozenset({Role.ADMIN, Role.AUDITOR}),
    Permission.CHANGE_INTEGRATIONS: frozenset({Role.ADMIN, Role.MANAGER}),
}


def allows(role: Role, permission: Permission) -> bool:
    return role in POLICY[permission]
