from __future__ import annotations

from litestar import Controller, Response
from litestar.exceptions import ClientException

from api.beep.pipeline import MAX_COMMAND, answer
from api.routes import post
from api.schemas import ActionTriggered, BeepOut, BeepRequest
from api.security import Member, requires
from api.services import Services
from domain.identity.policy import Permission


class BeepController(Controller):
    path = "/beep"
    tags = ["BEEP"]

    @post("/command", operation_id="sendBeepCommand", status_code=200, **requires(Permission.READ))
    async def command(
        self, data: BeepRequest, member: Member, services: Services
    ) -> Response[BeepOut]:
        """Send a natural-language command; BEEP scans, plans and runs platform tools."""
        text = data.command.strip()
        if not 0 < len(text) <= MAX_COMMAND:
            raise ClientException(f"A command is 1 to {MAX_COMMAND} characters of text.")
        result = await answer(text, member, services)
        body = BeepOut(
            response=result.response,
            action_triggered=ActionTriggered(
                launched_apps=result.launched_apps,
                generated_reports=result.generated_reports,
                suggested_commands_count=len(result.suggested_commands),
            ),
            suggested_commands=result.suggested_commands,
            reports=result.reports,
            credits_charged=result.credits_charged,
            command_id=result.command_id,
            blocked=result.blocked,
        )
        return Response(body, headers=result.headers)
