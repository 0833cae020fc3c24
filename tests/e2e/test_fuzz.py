"""Schemathesis against the running app's own OpenAPI document: no 5xx, no off-schema answer."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support import Service, registration

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
INTERPRETER_CRASH = "AST constructor recursion depth mismatch"


def test_fuzzing_the_api_finds_no_server_error_and_no_schema_violation(
    service: Service, tmp_path: Path
) -> None:
    registered = httpx.post(f"{service.base_url}/v1/auth/register", json=registration(), timeout=30)
    token = registered.json()["accessToken"]
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st, "schemathesis is a dev dependency"
    command = [
        st,
        "run",
        f"{service.base_url}/schema/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        os.environ.get("AEVON_FUZZ_EXAMPLES", "40"),
        "--seed",
        os.environ.get("AEVON_FUZZ_SEED", "20261126"),
        "--workers",
        "1",
        # The coverage phase trips the same interpreter bug much more often.
        "--phases",
        "examples,fuzzing,stateful",
        "--request-timeout",
        "15",
    ]
    for _ in range(3):
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False
        )
        # CPython 3.11.7 sometimes crashes inside schemathesis' own data generation (fixed in
        # later 3.11 releases). Only that crash is run again, never a failed check.
        if INTERPRETER_CRASH not in result.stdout:
            break
    assert result.returncode == 0, result.stdout[-6000:]
