"""Every event type by its stored name, and every aggregate type by its category."""

from domain.crm.contact import (
    Contact,
    ContactCreated,
    ContactDeleted,
    ContactEmailClaim,
    ContactEmailClaimed,
    ContactEmailReleased,
    ContactUpdated,
)
from domain.identity.email_claim import EmailClaim, EmailClaimed, EmailReleased, LoginFailed
from domain.identity.invitation import Invitation, InvitationAccepted, InvitationIssued
from domain.identity.refresh import (
    RefreshFamily,
    RefreshFamilyRevoked,
    RefreshFamilyStarted,
    RefreshTokenRotated,
)
from domain.identity.user import (
    PasswordHashSet,
    User,
    UserLoggedIn,
    UserProfileUpdated,
    UserRegistered,
    UserRemoved,
)
from domain.klepsydra.pulse import Pulse, PulseInteracted, PulseProfileCreated
from domain.ledger.events import (
    ActionsMetered,
    CreditGranted,
    MicroAppUnlocked,
    TopUpConfirmed,
    TopUpRequested,
    TributePaid,
)
from domain.ledger.ledger import Ledger
from domain.shared import Aggregate, Event
from domain.workspaces.workspace import (
    MemberJoined,
    MemberRemoved,
    MemberRoleChanged,
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
        LoginFailed,
        InvitationIssued,
        InvitationAccepted,
        RefreshFamilyStarted,
        RefreshTokenRotated,
        RefreshFamilyRevoked,
        UserRemoved,
        MemberRoleChanged,
        MemberRemoved,
        UserRegistered,
        PasswordHashSet,
        UserProfileUpdated,
        UserLoggedIn,
        WorkspaceCreated,
        MemberJoined,
        WorkspaceRenamed,
        PlanTierChanged,
        CreditGranted,
        ActionsMetered,
        TopUpRequested,
        TopUpConfirmed,
        MicroAppUnlocked,
        TributePaid,
        PulseProfileCreated,
        PulseInteracted,
        ContactCreated,
        ContactUpdated,
        ContactDeleted,
        ContactEmailClaimed,
        ContactEmailReleased,
    )
}

AGGREGATE_TYPES: dict[str, type[Aggregate]] = {
    cls.category: cls
    for cls in (
        EmailClaim,
        User,
        Workspace,
        Ledger,
        Pulse,
        Invitation,
        RefreshFamily,
        Contact,
        ContactEmailClaim,
    )
}
