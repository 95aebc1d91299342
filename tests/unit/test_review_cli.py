"""``demotrace review``, ``reviews`` and ``compare`` in-process: one clear line for bad input."""

from __future__ import annotations

import json

import pytest

from capture.store.database import Database
from desktop.cli import main
from tests.stored import stored_session
from tests.unit.test_compare import detour


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--verdict", "maybe"],
            "verdict must be one of accept, needs-changes, reject, not 'maybe'",
        ),
        (
            ["--verdict", "accept", "--goal", "achieved", "--efficiency", "five"],
            "--efficiency must be a whole number 1..5, not 'five'",
        ),
        (
            [
                "--verdict",
                "accept",
                "--goal",
                "achieved",
                "--efficiency",
                "9",
                "--error-handling",
                "3",
                "--note-quality",
                "3",
            ],
            "efficiency must be 1..5, not 9",
        ),
        (["--verdict", "reject"], "reject needs a reason"),
        (["--verdict", "reject", "--reason", "x", "--comment", "nine:bad"], "a comment starts"),
        (["--verdict", "reject", "--reason", "x", "--comment", "9:no"], "comment on step 9"),
        (["--verdict", "reject", "--reason", "x", "--redundant", "a"], "--redundant takes"),
        (["--verdict", "accept", "--goal", "mostly"], "goal must be one of"),
    ],
)
def test_bad_reviews_are_one_line_and_store_nothing(
    db: Database, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    sid = stored_session(db).id
    code, out, err = run(capsys, "review", sid, "--db", db.url, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"demotrace: error: {message}")
    code, out, _ = run(capsys, "reviews", sid, "--db", db.url, "--json")
    assert json.loads(out)["reviews"] == [] and json.loads(out)["stage"] == "draft"


def test_review_then_reviews_then_compare(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    a = stored_session(db, task="Save the note").id
    b = stored_session(db, detour(), task="Save the note").id
    code, out, err = run(
        capsys, "review", a[:8], "--db", db.url, "--verdict", "accept", "--goal", "achieved",
        "--efficiency", "4", "--error-handling", "5", "--note-quality", "3", "--reviewer", "rita",
        "--comment", "3:tidy drag", "--comment", "*:good",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == (
        f"reviewed {a[:12]}: accept (goal achieved, efficiency 4, error handling 5, notes 3), "
        "2 comment(s)"
    )
    run(
        capsys,
        "review",
        a,
        "--db",
        db.url,
        "--verdict",
        "reject",
        "--reason",
        "no",
        "--reviewer",
        "bob",
    )
    code, out, _ = run(capsys, "reviews", a, "--db", db.url)
    assert "step 3 (rita): tidy drag" in out and "trajectory (rita): good" in out
    assert "verdicts agree on 0% of pairs" in out
    reviews = json.loads(run(capsys, "reviews", a, "--db", db.url, "--json")[1])
    assert reviews["stage"] == "rejected"
    assert reviews["agreement"]["verdicts"] == {"accept": 1, "reject": 1}
    code, out, _ = run(capsys, "compare", "Save the note", "--db", db.url, "--json")
    result = json.loads(out)
    assert {t["session_id"] for t in result["trajectories"]} == {a, b}
    code, out, err = run(capsys, "compare", "Nothing like it", "--db", db.url)
    assert (
        code == 2
        and err.strip() == "demotrace: error: no task or session matches 'Nothing like it'"
    )
