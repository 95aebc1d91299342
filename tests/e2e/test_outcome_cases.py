"""Suggested outcomes on labelled cases recorded from a real Qt app with the real recorder."""

from __future__ import annotations

from pathlib import Path

from capture.store.database import sqlite_url
from scripted.outcome_cases import quick_cases, record_cases
from scripted.xserver import XServer


def test_suggestions_match_the_known_outcomes(xserver: XServer, tmp_path: Path) -> None:
    cases = quick_cases()
    assert {c.expected for c in cases} == {"success", "failure"}
    _, results = record_cases(xserver, sqlite_url(tmp_path / "cases.db"), cases, tmp_path)
    wrong = [(r.case.name, r.suggested, r.reason) for r in results if not r.right]
    assert all(r.suggested is not None for r in results), wrong
    assert sum(r.right for r in results) / len(results) >= 0.9, wrong
    by_name = {r.case.name: r for r in results}
    assert "Permission denied" in by_name["submit and get permission denied"].reason
    assert by_name["click a disabled button"].suggested == "failure"
