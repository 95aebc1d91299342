"""The display check: an X server that needs no cookie works without an authority file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from capture.display import ensure_xauthority, require_x_display
from tests.xsession import ROOT, XServer


def test_no_authority_file_gets_a_placeholder_and_a_real_one_is_kept(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path)}
    ensure_xauthority(env)
    made = Path(env["XAUTHORITY"])
    assert made.stat().st_size > 0 and made.stat().st_mode & 0o077 == 0
    real = tmp_path / "real-auth"
    real.write_bytes(b"\x01\x00cookie")
    kept = {"HOME": str(tmp_path), "XAUTHORITY": str(real)}
    ensure_xauthority(kept)
    assert kept["XAUTHORITY"] == str(real)
    empty = tmp_path / "empty-auth"
    empty.touch()
    replaced = {"XAUTHORITY": str(empty)}
    ensure_xauthority(replaced)
    assert replaced["XAUTHORITY"] == str(made)


def test_recording_starts_on_a_machine_without_an_authority_file(
    xserver: XServer, tmp_path: Path
) -> None:
    env = {**xserver.env, "HOME": str(tmp_path)}
    env.pop("XAUTHORITY", None)
    # The check itself, and pynput (which connects at import) after it, in a fresh process.
    code = (
        "import os; from capture.display import require_x_display; "
        "print(require_x_display(os.environ)); import pynput.mouse; print('listeners ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [xserver.display, "listeners ok"]  # nothing else on stdout
    assert require_x_display({**env}) == xserver.display
