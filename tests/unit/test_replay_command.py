"""``demotrace replay`` without a display: the timeline, and the errors a user can make."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from tests.unit.test_bundle import FIXTURE_V1


def test_timeline_lists_every_step_with_time_and_note(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(FIXTURE_V1)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("session 0123456789abcdef0123456789abcdef: Fill in the form")
    assert len(out) == 7
    assert "#0" in out[1] and "click" in out[1] and "# The form is empty" in out[1]
    assert '"hello world"' in out[2]
    assert out[1].strip().startswith("0.00s")


def test_timeline_range_and_speed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(FIXTURE_V1), "--from", "2", "--to", "3", "--speed", "2"]) == 0
    out = capsys.readouterr().out.splitlines()[1:]
    assert [line.split()[1] for line in out] == ["#2", "#3"]
    assert out[0].split()[0] == "0.00s"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--verify"], "--verify checks an execution; add --execute"),
        (["--from", "9"], "--from 9: the trajectory has steps 0..5"),
        (["--speed", "0"], "--speed must be positive, not 0"),
    ],
)
def test_user_errors_are_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", str(FIXTURE_V1), *args]) == 2
    err = capsys.readouterr().err
    assert err == f"demotrace: error: {message}\n"


def test_a_missing_bundle_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(tmp_path / "nothing.zip")]) == 2
    assert "no such bundle" in capsys.readouterr().err
