"""Every command type and the function that handles it."""

from commands.aegis import (
    acknowledge_alert,
    dismiss_alert,
    raise_alert,
    replace_edicts,
    replace_threat_indicators,
)
from commands.agents import create_agent, delete_agent, update_agent
from commands.beep import process_beep_command
from commands.bus import Handler
from commands.crm import create_contact, delete_contact, update_contact
from commands.dossier import export_dossier
from commands.identity import log_in, log_out, refresh_session, register_user, update_profile
from commands.integrations import create_integration, delete_integration, update_integration
from commands.klepsydra import pay_tribute
from commands.ledger import confirm_top_up, meter_actions, request_top_up, unlock_micro_app
from commands.loom import (
    advance_run,
    cancel_run,
    create_workflow,
    delete_workflow,
    resume_run,
    start_run,
    update_workflow,
)
from commands.members import accept_invitation, change_member_role, invite_member, remove_member
from commands.workspaces import update_workspace

HANDLERS: dict[type, Handler] = {
    register_user.RegisterUser: register_user.handle,
    log_in.LogIn: log_in.handle,
    refresh_session.RefreshSession: refresh_session.handle,
    log_out.LogOut: log_out.handle,
    update_profile.UpdateProfile: update_profile.handle,
    update_workspace.UpdateWorkspace: update_workspace.handle,
    invite_member.InviteMember: invite_member.handle,
    accept_invitation.AcceptInvitation: accept_invitation.handle,
    change_member_role.ChangeMemberRole: change_member_role.handle,
    remove_member.RemoveMember: remove_member.handle,
    create_contact.CreateContact: create_contact.handle,
    update_contact.UpdateContact: update_contact.handle,
    delete_contact.DeleteContact: delete_contact.handle,
    meter_actions.MeterActions: meter_actions.handle,
    request_top_up.RequestTopUp: request_top_up.handle,
    confirm_top_up.ConfirmTopUp: confirm_top_up.handle,
    unlock_micro_app.UnlockMicroApp: unlock_micro_app.handle,
    pay_tribute.PayTribute: pay_tribute.handle,
    create_workflow.CreateWorkflow: create_workflow.handle,
    update_workflow.UpdateWorkflow: update_workflow.handle,
    delete_workflow.DeleteWorkflow: delete_workflow.handle,
    start_run.StartRun: start_run.handle,
    advance_run.AdvanceRun: advance_run.handle,
    resume_run.ResumeRun: resume_run.handle,
    cancel_run.CancelRun: cancel_run.handle,
    process_beep_command.ProcessBeepCommand: process_beep_command.handle,
    raise_alert.RaiseAlert: raise_alert.handle,
    acknowledge_alert.AcknowledgeAlert: acknowledge_alert.handle,
    dismiss_alert.DismissAlert: dismiss_alert.handle,
    replace_edicts.ReplaceEdicts: replace_edicts.handle,
    replace_threat_indicators.ReplaceThreatIndicators: replace_threat_indicators.handle,
    create_agent.CreateAgent: create_agent.handle,
    export_dossier.ExportDossier: export_dossier.handle,
    create_integration.CreateIntegration: create_integration.handle,
    update_integration.UpdateIntegration: update_integration.handle,
    delete_integration.DeleteIntegration: delete_integration.handle,
    update_agent.UpdateAgent: update_agent.handle,
    delete_agent.DeleteAgent: delete_agent.handle,
}
