from pathlib import Path
from typing import Any

from aevon.eventstore import RecordedEvent
from projections.base import Projection, Writes

projection = Projection("users", Path(__file__).with_name("schema.sql"))
# The events that change a member's workspace or role, which API processes remember.
MEMBERSHIP_CHANGES = frozenset({"MemberRoleChanged", "UserRemoved"})


@projection.on("UserRegistered")
async def registered(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO users (id, workspace_id, email, first_name, last_name, role, agent_alias,"
        " psyche, joined_at, version, position) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
        (
            event.aggregate_id,
            data["workspace_id"],
            data["email"],
            data.get("first_name"),
            data.get("last_name"),
            data["role"],
            data.get("agent_alias"),
            data.get("psyche"),
            data["at"],
            event.version,
            event.position,
        ),
    )


@projection.on("UserProfileUpdated")
async def profile_updated(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE users SET email=%s, first_name=%s, last_name=%s, agent_alias=%s, version=%s"
        " WHERE id=%s",
        (
            data["email"],
            data["first_name"],
            data["last_name"],
            data["agent_alias"],
            event.version,
            event.aggregate_id,
        ),
    )


@projection.on("UserLoggedIn", "PasswordHashSet")
async def touched(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE users SET last_login_at = COALESCE(%s, last_login_at), version=%s WHERE id=%s",
        (data["at"] if event.type == "UserLoggedIn" else None, event.version, event.aggregate_id),
    )


@projection.on("MemberRoleChanged")
async def role_changed(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE users SET role=%s WHERE id=%s AND workspace_id=%s",
        (data["role"], data["user_id"], event.aggregate_id),
    )


@projection.on("UserRemoved")
async def removed(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute("DELETE FROM users WHERE id=%s", (event.aggregate_id,))


@projection.on("PulseProfileCreated")
async def pulse_created(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO pulses (id, user_id, phase_offset, frustration, flow, losses, since)"
        " VALUES (%s, %s, %s, %s, %s, 0, %s)",
        (
            event.aggregate_id,
            data["user_id"],
            data["phase_offset"],
            data["frustration"],
            data["flow"],
            data["at"],
        ),
    )


@projection.on("PulseInteracted")
async def pulse_moved(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE pulses SET frustration=%s, flow=%s, losses=%s,"
        " since = CASE WHEN %s THEN %s ELSE since END WHERE id=%s",
        (
            data["frustration"],
            data["flow"],
            data["losses"],
            data["reason"] == "tribute",
            data["at"],
            event.aggregate_id,
        ),
    )
