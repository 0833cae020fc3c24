import subprocess
import sys

from tests.support import Servers


def aevon(servers: Servers, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aevon.cli", *args],
        env=servers.environment(0),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_status_lists_every_projection_with_its_lag(servers: Servers) -> None:
    result = aevon(servers, "projections", "status")
    assert result.returncode == 0, result.stderr
    for name in ("users", "workspaces", "ledger", "audit"):
        assert name in result.stdout
    assert "lag (s)" in result.stdout
    assert "store head" in result.stdout


def test_rebuild_refuses_an_unknown_projection_with_a_usage_error(servers: Servers) -> None:
    result = aevon(servers, "projections", "rebuild", "nosuch", "--yes")
    assert result.returncode == 2
    assert "unknown projection 'nosuch'" in result.stderr


def test_rebuild_needs_exactly_one_target(servers: Servers) -> None:
    assert aevon(servers, "projections", "rebuild", "--yes").returncode == 2
    assert aevon(servers, "projections", "rebuild", "users", "--all", "--yes").returncode == 2
