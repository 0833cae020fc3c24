"""`aevon dossier decrypt FILE`: opens an encrypted JSON dossier offline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aevon.envelope import EnvelopeError, open_envelope


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    envvar="AEVON_DOSSIER_PASSWORD",
    help="The export's password (asked for when not given; or AEVON_DOSSIER_PASSWORD).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the plain JSON (default: standard output).",
)
def decrypt(file: Path, password: str, out: Path | None) -> None:
    """Decrypt an encrypted JSON dossier export; fails if the file was altered."""
    try:
        plain = open_envelope(file.read_bytes(), password)
    except EnvelopeError as error:
        raise click.ClickException(str(error)) from None
    if out is None:
        sys.stdout.buffer.write(plain + b"\n")
    else:
        out.write_bytes(plain)
