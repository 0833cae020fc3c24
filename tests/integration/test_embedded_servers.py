from pathlib import Path

import pytest

from aevon.embedded import EmbeddedNats


def go_threads(server: EmbeddedNats) -> str | None:
    environ = Path(f"/proc/{server.process.pid}/environ").read_bytes().split(b"\0")
    values = [v.partition(b"=")[2].decode() for v in environ if v.startswith(b"GOMAXPROCS=")]
    return values[-1] if values else None


@pytest.mark.parametrize(("configured", "expected"), [(None, "1"), ("2", "2")])
def test_embedded_nats_runs_on_one_go_thread_unless_told_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: str | None, expected: str
) -> None:
    if configured is None:
        monkeypatch.delenv("GOMAXPROCS", raising=False)
    else:
        monkeypatch.setenv("GOMAXPROCS", configured)
    server = EmbeddedNats(tmp_path)
    try:
        assert go_threads(server) == expected
    finally:
        server.stop()
