"""Every command type and the function that handles it."""

from commands.bus import Handler
from commands.identity import log_in, register_user, update_profile
from commands.workspaces import update_workspace

HANDLERS: dict[type, Handler] = {
    register_user.RegisterUser: register_user.handle,
    log_in.LogIn: log_in.handle,
    update_profile.UpdateProfile: update_profile.handle,
    update_workspace.UpdateWorkspace: update_workspace.handle,
}
