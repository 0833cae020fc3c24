"""Every event type by its stored name."""

from domain.aegis.alert import AlertAcknowledged, AlertDismissed, SecurityAlertRaised
from domain.aegis.policy import EdictsReplaced, ThreatIndicatorsReplaced
from domain.agents.agent import AgentCreated, AgentDeleted, AgentUpdated
from domain.beep.command import BeepCommandProcessed
from domain.crm.contact import (
    ContactCreated,
    ContactDeleted,
    ContactEmailClaimed,
    ContactEmailReleased,
    ContactUpdated,
)
from domain.dossier.dossier import DossierExported
from domain.identity.email_claim import EmailClaimed, EmailReleased, LoginFailed
from domain.identity.invitation import InvitationAccepted, InvitationIssued
from domain.identity.refresh import (
    RefreshFamilyRevoked,
    RefreshFamilyStarted,
    RefreshTokenRotated,
)
from domain.identity.user import (
    PasswordHashSet,
    UserLoggedIn,
    UserProfileUpdated,
    UserRegistered,
    UserRemoved,
)
from domain.integrations.integration import (
    IntegrationCreated,
    IntegrationDeleted,
    IntegrationUpdated,
)
from domain.klepsydra.pulse import PulseInteracted, PulseProfileCreated
from domain.ledger.events import (
    ActionsMetered,
    CreditGranted,
    MicroAppUnlocked,
    TopUpConfirmed,
    TopUpRequested,
    TributePaid,
)
from domain.loom.run import (
    NodeExecuted,
    RunCancelled,
    RunCompleted,
    RunFailed,
    RunPaused,
    RunResumed,
    RunStarted,
)
from domain.loom.workflow import WorkflowCreated, WorkflowDeleted, WorkflowUpdated
from domain.shared import Event
from domain.workspaces.workspace import (
    LastAdminGuardHit,
    MemberJoined,
    MemberRemoved,
    MemberRoleChanged,
    PlanTierChanged,
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
        LastAdminGuardHit,
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
        WorkflowCreated,
        WorkflowUpdated,
        WorkflowDeleted,
        RunStarted,
        NodeExecuted,
        RunPaused,
        RunResumed,
        RunCompleted,
        RunFailed,
        RunCancelled,
        SecurityAlertRaised,
        AlertAcknowledged,
        AlertDismissed,
        EdictsReplaced,
        ThreatIndicatorsReplaced,
        BeepCommandProcessed,
        AgentCreated,
        AgentUpdated,
        AgentDeleted,
        DossierExported,
        IntegrationCreated,
        IntegrationUpdated,
        IntegrationDeleted,
    )
}
