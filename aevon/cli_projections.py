"""`aevon projections rebuild|status`."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, datetime
from typing import Any

import click
import uvloop
from psycopg import AsyncConnection
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeRemainingColumn
from rich.table import Table

from aevon.eventlog import head_position, read_events
from aevon.eventstore import ensure_store
from aevon.servers import resolve_servers
from aevon.settings import Settings
from projections.catalogue import PROJECTIONS
from projections.engine import TRACKING_DDL
from projections.rebuild import rebuild as rebuild_projection

console = Console(stderr=True)


@click.command()
@click.argument("name", required=False)
@click.option("--all", "everything", is_flag=True, help="Rebuild every projection.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def rebuild(settings: Settings, name: str | None, everything: bool, yes: bool) -> None:
    """Rebuild NAME (or --all) from the event store, then swap it in atomically."""
    if everything == bool(name):
        raise click.UsageError("Give one projection NAME or --all.")
    names = list(PROJECTIONS) if everything else [name or ""]
    unknown = [n for n in names if n not in PROJECTIONS]
    if unknown:
        raise click.BadParameter(
            f"unknown projection {unknown[0]!r}; known: {', '.join(PROJECTIONS)}"
        )
    if not yes:
        click.confirm(f"Rebuild {', '.join(names)}?", abort=True)
    with ExitStack() as stack:
        resolved = resolve_servers(settings, stack)
        uvloop.run(_rebuild(resolved, names))


async def _rebuild(settings: Settings, names: list[str]) -> None:
    assert settings.database_url
    ensure_store(settings.database_url)
    url = settings.database_url
    async with (
        await AsyncConnection.connect(url, autocommit=True) as conn,
        await AsyncConnection.connect(url, autocommit=True) as reader,
    ):
        with Progress(
            "[bold]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            for name in names:
                task = progress.add_task(name, total=None)

                def report(done: int, total: int, task: TaskID = task) -> None:
                    progress.update(task, completed=done, total=total)

                position = await rebuild_projection(conn, reader, PROJECTIONS[name], report)
                progress.update(task, completed=position, total=position)
    console.print(f"rebuilt {', '.join(names)}")


@click.command()
@click.pass_obj
def status(settings: Settings) -> None:
    """Show each projection's position and lag behind the store."""
    with ExitStack() as stack:
        uvloop.run(_status(resolve_servers(settings, stack)))


async def _lag_seconds(conn: AsyncConnection[Any], position: int) -> float:
    """How long ago the oldest event the projection has not applied yet happened (0 if none)."""
    waiting = await read_events(conn, position, 1)
    if not waiting:
        return 0.0
    occurred = waiting[0].envelope.meta.occurred_at
    return max(0.0, (datetime.now(UTC) - occurred).total_seconds())


async def _status(settings: Settings) -> None:
    assert settings.database_url
    ensure_store(settings.database_url)
    async with await AsyncConnection.connect(settings.database_url, autocommit=True) as conn:
        await conn.execute(TRACKING_DDL)
        head = await head_position(conn)
        cur = await conn.execute(
            "SELECT projection, position, updated_at FROM public.aevon_tracking ORDER BY 1"
        )
        rows = {r[0]: r for r in await cur.fetchall()}
        lags = {
            name: await _lag_seconds(conn, int(rows[name][1]) if name in rows else 0)
            for name in PROJECTIONS
        }
    table = Table("projection", "position", "lag (events)", "lag (s)", "updated")
    for name in PROJECTIONS:
        row = rows.get(name)
        position = int(row[1]) if row else 0
        updated = str(row[2]) if row else "never"
        table.add_row(name, str(position), str(head - position), f"{lags[name]:.1f}", updated)
    Console().print(table)
    Console().print(f"store head: {head}")
