"""A short run of the fault suite (`make chaos` runs the long one)."""

import os

import pytest

from tests.chaos.suite import run

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("AEVON_TEST_DATABASE_URL") or os.environ.get("AEVON_TEST_NATS_URL")),
    reason="the fault suite stops and restarts its own embedded servers",
)


def test_no_acknowledged_write_is_lost_or_duplicated_under_faults() -> None:
    report = run(seconds=5, nats_down=3)
    assert [s["name"] for s in report["scenarios"]][-1] == "combined"
    assert report["acknowledged"] > 50
    assert report["lost"] == 0, report
    assert report["duplicates"] == 0, report
    assert report["failures"] == [], report
    for scenario in report["scenarios"]:
        assert scenario["ledger_whole"], scenario
        assert scenario["rebuild_matches"], scenario
    assert report["max_recovery_s"] < 30, report
