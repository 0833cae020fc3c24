"""`aevon events replay` and `aevon audit verify`: the audit trail for auditors, offline."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import click
import msgspec
import uvloop
from psycopg import AsyncConnection
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress

from aevon.audit import ChainCheck, Verdict, decoder, record_of, verify
from aevon.servers import resolve_servers
from aevon.settings import Settings
from projections.audit.queries import whole_chain

console = Console(stderr=True)
_encoder = msgspec.json.Encoder(decimal_format="number")


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        console=console, transient=True,
    )  # fmt: skip


async def _chain_length(conn: AsyncConnection[Any], workspace: UUID) -> int:
    cur = await conn.execute(
        "SELECT count(*) FROM rm_audit.chain WHERE workspace_id=%s", (workspace,)
    )
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def _replay(url: str, workspace: UUID, until: datetime | None, out: IO[bytes]) -> int:
    written = 0
    async with await AsyncConnection.connect(url) as conn:
        with _progress() as progress:
            task = progress.add_task("replaying", total=await _chain_length(conn, workspace))
            async for event, _, digest, previous in whole_chain(conn, workspace):
                progress.advance(task)
                if event is None:
                    continue
                record = record_of(event)
                if until is not None and datetime.fromisoformat(record["occurredAt"]) > until:
                    break
                out.write(_encoder.encode(record | {"hash": digest, "prevHash": previous}) + b"\n")
                written += 1
    return written


async def _live_chain(url: str, workspace: UUID) -> Verdict:
    check = ChainCheck()
    async with await AsyncConnection.connect(url) as conn:
        with _progress() as progress:
            task = progress.add_task("verifying", total=await _chain_length(conn, workspace))
            async for event, position, digest, previous in whole_chain(conn, workspace):
                progress.advance(task)
                if not check.add(record_of(event) if event else None, position, digest, previous):
                    break
    return check.verdict


def _file_chain(path: Path) -> Iterator[tuple[dict[str, Any], int, str, str]]:
    with path.open("rb") as lines, _progress() as progress:
        task = progress.add_task("verifying", total=path.stat().st_size)
        for line in lines:
            progress.advance(task, len(line))
            if line.strip():
                record = decoder.decode(line)
                yield record, record["position"], record["hash"], record["prevHash"]


@click.command()
@click.option("--workspace", required=True, type=click.UUID, help="The workspace to replay.")
@click.option("--until", type=click.DateTime(), help="Only events up to this moment (UTC).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="JSON Lines file.")
@click.pass_obj
def replay(settings: Settings, workspace: UUID, until: datetime | None, out: Path | None) -> None:
    """Write a workspace's history as JSON Lines, each event with its chained hash."""
    if until is not None and until.tzinfo is None:
        until = until.astimezone()
    with ExitStack() as stack:
        url = resolve_servers(settings, stack).database_url
        assert url
        target = out.open("wb") if out else sys.stdout.buffer
        try:
            written = uvloop.run(_replay(url, workspace, until, target))
        finally:
            if out:
                target.close()
    console.print(f"{written} events written")


@click.command(name="verify")
@click.option("--workspace", required=True, type=click.UUID, help="The workspace to check.")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Check an exported replay file offline instead of the live store.",
)
@click.pass_obj
def verify_command(settings: Settings, workspace: UUID, path: Path | None) -> None:
    """Recompute the hash chain and report the first altered position (exit 1 if any)."""
    if path is not None:
        verdict = verify(_file_chain(path))
    else:
        with ExitStack() as stack:
            url = resolve_servers(settings, stack).database_url
            assert url
            verdict = uvloop.run(_live_chain(url, workspace))
    if verdict.verified:
        click.echo(f"verified: {verdict.events} events, head {verdict.head}")
        return
    click.echo(
        f"MISMATCH at position {verdict.first_mismatch} (after {verdict.events - 1} good events)"
    )
    sys.exit(1)
