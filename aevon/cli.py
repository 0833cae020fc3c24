"""`aevon`: the one command-line entry point."""

from __future__ import annotations

import os
import warnings
from contextlib import ExitStack

import click
import uvloop

from aevon.heap import settle_heap
from aevon.logs import configure
from aevon.settings import Settings, load_settings

warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


def _configure_logging(settings: Settings) -> None:
    configure(settings.log_level, settings.log_format)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """ΛΞVON OS backend."""
    settings = load_settings()
    _configure_logging(settings)
    settle_heap()
    ctx.obj = settings


@main.command()
@click.pass_obj
def up(settings: Settings) -> None:
    """Run everything: embedded servers unless configured, the API and the worker."""
    from aevon.supervisor import Supervisor

    Supervisor(settings).run()


@main.command()
@click.pass_obj
def api(settings: Settings) -> None:
    """Run the HTTP API."""
    import uvicorn

    from api.app import create_app

    with ExitStack() as stack:
        from aevon.servers import resolve_servers

        settings = resolve_servers(settings, stack)
        options = {
            "host": settings.http_host,
            "port": settings.http_port,
            "log_level": settings.log_level.lower(),
            "access_log": False,
            "log_config": None,  # uvicorn logs through ours: JSON lines
        }
        if settings.api_workers == 1:
            uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
            return
        # Worker processes build the app from the environment, servers included.
        os.environ.update(settings.as_environment())
        uvicorn.run(
            "api.app:app_from_environment",
            factory=True,
            workers=settings.api_workers,
            **options,  # type: ignore[arg-type]
        )


@main.command()
@click.option(
    "--only",
    "parts",
    multiple=True,
    type=click.Choice(["relay", "projections", "loom", "aegis"]),
    help="Run only these parts (repeatable); all of them by default.",
)
@click.pass_obj
def worker(settings: Settings, parts: tuple[str, ...]) -> None:
    """Run the relay, the projection runners, the Loom engine and the Aegis engine."""
    from aevon.servers import resolve_servers
    from workers.main import PARTS, run_worker

    with ExitStack() as stack:
        uvloop.run(run_worker(resolve_servers(settings, stack), parts or PARTS))


@main.group()
def projections() -> None:
    """Inspect and rebuild read models."""


from aevon.cli_projections import rebuild, status  # noqa: E402

projections.add_command(rebuild)
projections.add_command(status)


@main.group()
def dossier() -> None:
    """Work with exported dossiers."""


from aevon.cli_dossier import decrypt  # noqa: E402

dossier.add_command(decrypt)


@main.group()
def events() -> None:
    """Read the event history."""


@main.group()
def audit() -> None:
    """Check the audit trail."""


from aevon.cli_audit import replay, verify_command  # noqa: E402

events.add_command(replay)
audit.add_command(verify_command)

if __name__ == "__main__":
    main()
