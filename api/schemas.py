"""Request and response bodies, camelCase exactly as in the public contract."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from domain.aegis.alert import AlertStatus, RiskLevel
from domain.agents.agent import AgentStatus
from domain.fields import Email, Name, Phone, Text
from domain.identity.roles import Psyche, Role
from domain.loom.definition import TriggerType
from domain.loom.run import RunStatus
from domain.workspaces.workspace import PlanTier

Password = Annotated[str, Meta(min_length=8, max_length=256)]
Token = Annotated[str, Meta(min_length=1, max_length=512)]


class Body(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    pass


class Out(msgspec.Struct, rename="camel", kw_only=True):
    pass


class RegisterRequest(Body):
    email: Email
    password: Password
    workspace_name: Name
    psyche: Psyche
    agent_alias: Name | None = None
    what_must_end: Text | None = None
    goal: Text | None = None


class LoginRequest(Body):
    email: Annotated[str, Meta(max_length=254)]
    password: Annotated[str, Meta(max_length=256)]


class UserUpdateRequest(Body):
    first_name: Name | UnsetType | None = UNSET
    last_name: Name | UnsetType | None = UNSET
    email: Email | UnsetType | None = UNSET
    agent_alias: Name | UnsetType | None = UNSET


class WorkspaceUpdateRequest(Body):
    name: Name | UnsetType | None = UNSET
    plan_tier: PlanTier | UnsetType | None = UNSET


class RefreshRequest(Body):
    refresh_token: Token


class InvitationRequest(Body):
    email: Email
    role: Role


class AcceptInvitationRequest(Body):
    invite_token: Token
    password: Password
    first_name: Name | None = None
    last_name: Name | None = None
    psyche: Psyche | None = None


class RoleChangeRequest(Body):
    role: Role


class ContactRequest(Body):
    email: Email | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None


class ContactUpdateRequest(Body):
    email: Email | UnsetType | None = UNSET
    first_name: Name | UnsetType | None = UNSET
    last_name: Name | UnsetType | None = UNSET
    phone: Phone | UnsetType | None = UNSET


Amount = Annotated[float, Meta(gt=0, le=1_000_000)]


class TopUpRequest(Body):
    amount: Amount


class TributeRequest(Body):
    instrument_id: Annotated[str, Meta(min_length=1, max_length=64)]
    amount: Amount | None = None


class UsageOut(Out):
    plan_tier: PlanTier
    plan_limit: int | None
    actions_used: int
    period_start: datetime
    period_end: datetime
    credit_balance: float


class PulseOut(Out):
    narrative: str
    phase: str
    value: float


class MicroAppOut(Out):
    id: str
    name: str
    credit_cost: float
    unlocked: bool


class CovenantOut(Out):
    name: str
    url_name: str
    symbol: str


class LeaderboardEntry(Out):
    user_id: UUID
    email: str
    first_name: str | None
    last_name: str | None
    score: int


class WorkflowCreationRequest(Body):
    name: Name
    definition: dict[str, Any]
    is_active: bool = True
    trigger_type: TriggerType = TriggerType.API


class WorkflowUpdateRequest(Body):
    name: Name | UnsetType = UNSET
    definition: dict[str, Any] | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class WorkflowOut(Out):
    id: UUID
    name: str
    is_active: bool
    trigger_type: TriggerType
    definition: dict[str, Any]
    definition_version: int


class RunStatusOut(Out):
    run_id: UUID
    status: RunStatus
    started_at: datetime


class WorkflowName(Out):
    name: str


class WorkflowRunOut(Out):
    id: UUID
    workflow_id: UUID
    workspace_id: UUID
    status: RunStatus
    trigger: TriggerType
    definition_version: int
    trigger_payload: dict[str, Any]
    output: dict[str, Any] | None
    log: list[dict[str, Any]]
    error: str | None
    started_at: datetime
    finished_at: datetime | None
    workflow: WorkflowName


class ResumeRequest(Body):
    approved: bool
    note: Text | None = None


class AgentRequest(Body):
    name: Name
    type: Name
    description: Text | None = None
    status: AgentStatus = AgentStatus.IDLE


class AgentUpdateRequest(Body):
    name: Name | UnsetType = UNSET
    type: Name | UnsetType = UNSET
    description: Text | UnsetType | None = UNSET
    status: AgentStatus | UnsetType = UNSET


class AgentOut(Out):
    id: UUID
    name: str
    type: str
    description: str | None
    status: AgentStatus


class SecurityAlertOut(Out):
    id: UUID
    type: str
    explanation: str
    risk_level: RiskLevel
    timestamp: datetime
    status: AlertStatus
    source: str
    actor_id: UUID | None
    note: str | None
    actionable_options: list[str]


class EdictIn(Body):
    description: Annotated[str, Meta(min_length=1, max_length=500)]
    pattern: Annotated[str, Meta(min_length=1, max_length=200)]
    risk_level: RiskLevel
    is_active: bool = True


class EdictsRequest(Body):
    edicts: Annotated[list[EdictIn], Meta(max_length=50)]


class EdictOut(Out):
    id: str
    description: str
    pattern: str
    risk_level: RiskLevel
    is_active: bool


class ThreatIndicators(Body):
    domains: Annotated[list[Annotated[str, Meta(max_length=253)]], Meta(max_length=500)] = []
    ips: Annotated[list[Annotated[str, Meta(max_length=64)]], Meta(max_length=500)] = []


class BaselineOut(Out):
    user_id: UUID
    usual_login_hours: list[int]
    known_ip_count: int
    mean_hourly_spend: float
    last_updated: datetime


class AlertNoteRequest(Body):
    note: Text | None = None


class DossierInput(Body):
    target_name: Annotated[str, Meta(min_length=1, max_length=200)]
    osint_report: dict[str, Any] | None = None
    analysis_result: dict[str, Any] | None = None
    decoy_result: dict[str, Any] | None = None


class DossierExportRequest(Body):
    format: Literal["pdf", "json"]
    dossier_input: DossierInput
    encrypt: bool = False
    password: Annotated[str, Meta(max_length=256)] | None = None
    redacted: bool = False


ConfigDetails = Annotated[
    dict[Annotated[str, Meta(min_length=1, max_length=64)], Annotated[str, Meta(max_length=2000)]],
    Meta(max_length=30),
]


class IntegrationRequest(Body):
    integration_type_id: str
    name: Name
    config_details: ConfigDetails = {}


class IntegrationUpdateRequest(Body):
    name: Name | None = None
    config_details: ConfigDetails = {}


class IntegrationOut(Out):
    id: UUID
    integration_type_id: str
    name: str
    config_details: dict[str, str]


class BeepRequest(Body):
    command: str
    context: dict[str, Any] | None = None


class ActionTriggered(Out):
    launched_apps: list[str]
    generated_reports: list[str]
    suggested_commands_count: int


class BeepOut(Out):
    response: str
    action_triggered: ActionTriggered
    suggested_commands: list[str]
    reports: list[dict[str, Any]]
    credits_charged: float
    command_id: str
    blocked: bool


class InvitationOut(Out):
    id: UUID
    email: str
    role: Role
    invite_token: str
    expires_at: datetime


class ContactOut(Out):
    id: UUID
    email: str | None
    first_name: str | None
    last_name: str | None
    phone: str | None


class UserOut(Out):
    id: UUID
    email: str
    first_name: str | None
    last_name: str | None
    role: Role
    agent_alias: str | None
    psyche: Psyche | None
    last_login_at: datetime | None
    workspace_id: UUID


class WorkspaceOut(Out):
    id: UUID
    name: str
    plan_tier: PlanTier
    credits: float


class AuthResponse(Out):
    user: UserOut
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    workspace: WorkspaceOut | None = None


class TokenResponse(Out):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret


class TransactionOut(Out):
    id: UUID
    workspace_id: UUID
    user_id: UUID | None
    type: str
    amount: float
    description: str
    status: str
    created_at: datetime
    instrument_id: str | None
    luck_weight: float | None
    outcome: str | None
    boon_amount: float | None
    user_psyche: Psyche | None


class AdminOverview(Out):
    user_count: int
    agent_count: int
    active_agent_count: int
    credit_balance: float
    plan_tier: PlanTier


def user_from_row(row: dict[str, Any]) -> UserOut:
    return UserOut(
        id=row["id"],
        email=row["email"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        role=Role(row["role"]),
        agent_alias=row["agent_alias"],
        psyche=Psyche(row["psyche"]) if row["psyche"] else None,
        last_login_at=row["last_login_at"],
        workspace_id=row["workspace_id"],
    )


def workspace_from_row(row: dict[str, Any]) -> WorkspaceOut:
    return WorkspaceOut(
        id=row["id"],
        name=row["name"],
        plan_tier=PlanTier(row["plan_tier"]),
        credits=float(row["credits"]),
    )


def contact_from_row(row: dict[str, Any]) -> ContactOut:
    return ContactOut(
        id=row["id"],
        email=row["email"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        phone=row["phone"],
    )


def changes_of(update: msgspec.Struct) -> dict[str, Any]:
    """The fields a partial update actually sent (absent fields stay as they are)."""
    return {
        name: value
        for name in update.__struct_fields__
        if (value := getattr(update, name)) is not UNSET
    }
