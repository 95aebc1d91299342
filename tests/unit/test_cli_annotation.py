"""The annotator's commands: tasks, annotate, edit, submit (in-process, on a real store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import Script, session_row

from capture.store.database import Database, open_database, sqlite_url
from capture.store.steps import resegment, stored_steps
from desktop.cli import main


@pytest.fixture
def store(tmp_path: Path) -> tuple[Database, str]:
    url = sqlite_url(tmp_path / "cli.db")
    db = open_database(url)
    sid = session_row(db, Script().click(10, 10).wait(4000).type("hello").key("Return"))
    resegment(db, sid)
    return db, url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_tasks_add_list_and_import(
    store: tuple[Database, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, url = store
    code, out, _ = run(
        capsys, "tasks", "add", "Send the report", "--reasoning-mode", "live", "--db", url
    )
    assert code == 0 and out.startswith("task ")
    good = tmp_path / "good.csv"
    good.write_text("instruction,category\nOne,feedback\nTwo,error_recovery\n")
    assert run(capsys, "tasks", "import", str(good), "--db", url)[1] == (
        f"imported 2 tasks from {good}\n"
    )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"instruction": "Three"}, {"instruction": ""}, {"title": "x"}]))
    code, _, err = run(capsys, "tasks", "import", str(bad), "--db", url)
    assert code == 2
    assert err.splitlines() == [
        "demotrace: error: bad.json item 2: instruction is empty",
        "demotrace: error: bad.json item 3: unknown field(s) title; known: instruction, "
        "category, setup_notes, expected_outcome, setup_command, reset_command, reasoning_mode; "
        "instruction is empty",
        f"demotrace: error: nothing imported from {bad}",
    ]
    code, out, _ = run(capsys, "tasks", "--json", "--db", url)
    listed = json.loads(out)
    assert [(t["instruction"], t["reasoning_mode"], t["sessions"]) for t in listed] == [
        ("Send the report", "live", 0),
        ("One", "after", 0),
        ("Two", "after", 0),
    ]


def test_annotate_edit_and_submit(
    store: tuple[Database, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db, url = store
    code, _, err = run(capsys, "submit", "s1", "--db", url)
    assert code == 1
    assert err.splitlines() == [
        "demotrace: error: step 0 is a decision point (first) without a note",
        "demotrace: error: step 1 is a decision point (pause) without a note",
    ]
    assert run(capsys, "annotate", "s1", "--step", "0", "--note", "open it", "--db", url)[0] == 0
    code, _, err = run(
        capsys,
        "annotate",
        "s1",
        "--step",
        "1",
        "--no-decision",
        "--tag",
        "redundant",
        "--outcome",
        "partial",
        "--db",
        url,
    )
    assert code == 0, err
    code, _, err = run(capsys, "annotate", "s1", "--step", "9", "--note", "x", "--db", url)
    assert (code, err) == (2, "demotrace: error: index 9 is not a step (there are 3)\n")
    code, out, err = run(capsys, "edit", "s1", "move", "2", "1", "--db", url)
    assert code == 0, err
    code, _, err = run(capsys, "edit", "s1", "merge", "0", "--db", url)
    assert code == 2 and "do not combine" in err and len(err.splitlines()) == 1
    code, out, _ = run(capsys, "steps", "s1", "--json", "--db", url)
    steps = json.loads(out)
    assert [s["action"]["type"] for s in steps] == ["click", "key", "type"]
    assert steps[2]["tags"] == ["redundant"] and steps[2]["outcome"] == "partial"
    assert steps[2]["decision_point"] is False
    assert {"index", "action", "decision_reason", "note", "draft_note", "comments"} <= set(steps[0])
    code, out, _ = run(capsys, "submit", "s1", "--db", url)
    assert (code, out) == (0, "submitted session s1\n")
    assert [s.note for s in stored_steps(db, "s1")] == ["open it", "", ""]


def test_split_and_delete_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_url(tmp_path / "split.db")
    db = open_database(url)
    session_row(db, Script().type("hello").wait(100).type("world"), "t1")
    resegment(db, "t1")
    (typed,) = stored_steps(db, "t1")
    assert typed.action["text"] == "helloworld"
    code, _, err = run(capsys, "edit", "t1", "split", "0", "--at-seq", "10", "--db", url)
    assert code == 0, err
    assert [s.action["text"] for s in stored_steps(db, "t1")] == ["hello", "world"]
    code, _, err = run(capsys, "edit", "t1", "split", "1", "--at-seq", "3", "--db", url)
    assert code == 2 and err.startswith("demotrace: error: at_seq 3 is not inside the step's")
    assert run(capsys, "edit", "t1", "delete", "0", "--db", url)[0] == 0
    assert [s.action["text"] for s in stored_steps(db, "t1")] == ["world"]
