"""Every event type by its stored name, and every aggregate type by its category."""

from domain.identity.email_claim import EmailClaim, EmailClaimed, EmailReleased
from domain.identity.user import (
    PasswordHashSet,
    User,
    UserLoggedIn,
    UserProfileUpdated,
    UserRegistered,
)
from domain.klepsydra.pulse import Pulse, PulseProfileCreated
from domain.ledger.ledger import CreditGranted, Ledger
from domain.shared import Aggregate, Event
from domain.workspaces.workspace import (
    MemberJoined,
    PlanTierChanged,
    Workspace,
    WorkspaceCreated,
    WorkspaceRenamed,
)

EVENT_TYPES: dict[str, type[Event]] = {
    cls.type_name(): cls
    for cls in (
        EmailClaimed,
        EmailReleased,
        UserRegistered,
        PasswordHashSet,
        UserProfileUpdated,
        UserLoggedIn,
        WorkspaceCreated,
        MemberJoined,
        WorkspaceRenamed,
        PlanTierChanged,
        CreditGranted,
        PulseProfileCreated,
    )
}

AGGREGATE_TYPES: dict[str, type[Aggregate]] = {
    cls.category: cls for cls in (EmailClaim, User, Workspace, Ledger, Pulse)
}
