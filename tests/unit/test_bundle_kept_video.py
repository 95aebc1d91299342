"""An imported bundle's context.mp4 is kept in the store and exported back as it came,
unless redactions apply to the session (its video predates them)."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from capture.privacy.redact import Redaction
from capture.screen import Rect
from capture.store import videos
from capture.store.database import Database, open_database, sqlite_url
from capture.store.models import SessionRow
from capture.store.redactions import add_redaction
from desktop.cli import main
from replay.bundle import open_bundle
from replay.bundle.importing import import_bundle
from tests.stored import stored_session
from tests.unit.test_bundle import FIXTURE_V2, copy_fixture

VIDEO = "context.mp4"


def _export(url: str, session: str, out: Path, *flags: str) -> Path:
    args = ["export", session, "--format", "bundle", "--out", str(out), "--db", url, *flags]
    assert main(args) == 0
    return out


def _member(bundle: Path, name: str) -> bytes:
    if bundle.suffix == ".zip":
        with zipfile.ZipFile(bundle) as zf:
            return zf.read(name)
    return (bundle / name).read_bytes()


def _document(bundle: Path) -> dict[str, object]:
    doc = json.loads(_member(bundle, "trajectory.json"))
    assert isinstance(doc, dict)
    return doc


def _store_files(url_path: Path) -> list[Path]:
    frames = url_path.with_suffix(".frames")
    return [p for p in frames.rglob("*") if p.is_file()] if frames.exists() else []


@pytest.mark.parametrize("name", ["b", "b.zip"])
def test_export_import_export_keeps_the_video_byte_for_byte(
    db: Database, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = stored_session(db)
    first = _export(sqlite_url(tmp_path / "store.db"), stored.id, tmp_path / f"1{name}", "--video")
    mp4 = _member(first, VIDEO)

    urls = [sqlite_url(tmp_path / f"{n}.db") for n in ("x", "y")]
    assert main(["import", str(first), "--db", urls[0]]) == 0
    assert "its context.mp4 was kept with it" in capsys.readouterr().out
    # Without --video too: the video is part of the session now.
    second = _export(urls[0], stored.id, tmp_path / f"2{name}")
    assert main(["import", str(second), "--db", urls[1]]) == 0
    third = _export(urls[1], stored.id, tmp_path / f"3{name}", "--video")
    assert capsys.readouterr().err == ""

    assert _member(second, VIDEO) == _member(third, VIDEO) == mp4
    assert _member(second, "trajectory.json") == _member(third, "trajectory.json")
    recorded, imported = _document(first), _document(second)
    assert imported.pop("origin") == "imported" and recorded.pop("origin") == "recorded"
    assert imported == recorded
    with open_bundle(third) as bundle:
        bundle.check()


def test_the_video_is_kept_as_blobs_with_its_header_on_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(videos, "CHUNK", 1000)  # several chunks from the small fixture
    path = tmp_path / "store.db"
    db = open_database(sqlite_url(path))
    try:
        result = import_bundle(db, FIXTURE_V2)
        assert result.imported and result.video
        with db.session() as s:
            kept = s.scalars(select(SessionRow.context_video)).one()
    finally:
        db.close()
    data = (FIXTURE_V2 / VIDEO).read_bytes()
    assert kept is not None
    assert kept["header"] == _document(FIXTURE_V2)["context_video"]
    assert (kept["size"], kept["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    parts = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    assert kept["chunks"] == [hashlib.sha256(p).hexdigest() for p in parts]
    names = {p.name for p in _store_files(path)}
    assert set(kept["chunks"]) <= names


def test_a_failed_import_leaves_no_video_blob(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = copy_fixture(tmp_path, FIXTURE_V2)
    doc = _document(bundle)
    frames = doc["frames"]
    assert isinstance(frames, list)
    last, other = frames[-1]["hash"], frames[0]["hash"]
    # The last frame's file holds another frame's pixels: found only when decoded, after
    # the video is in the blob store.
    shutil.copy(bundle / "frames" / f"{other}.png", bundle / "frames" / f"{last}.png")
    path = tmp_path / "store.db"
    assert main(["import", str(bundle), "--db", sqlite_url(path)]) == 2
    assert "hash mismatch" in capsys.readouterr().err
    assert _store_files(path) == []
    db = open_database(sqlite_url(path))
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(SessionRow)) == 0
    finally:
        db.close()
    # The same bundle, whole, leaves the video's blob there: the check above can fail.
    assert main(["import", str(FIXTURE_V2), "--db", sqlite_url(path)]) == 0
    digest = hashlib.sha256((FIXTURE_V2 / VIDEO).read_bytes()).hexdigest()
    assert digest in {p.name for p in _store_files(path)}


@pytest.mark.parametrize("scope", ["session", "global"])
def test_a_redaction_added_after_import_keeps_the_video_out(
    tmp_path: Path, scope: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_url(tmp_path / "store.db")
    db = open_database(url)
    try:
        sid = import_bundle(db, FIXTURE_V2).session_id
        rect = Rect(24, 16, 32, 32)
        add_redaction(
            db, Redaction("rect", rect=rect, session_id=sid if scope == "session" else None)
        )
    finally:
        db.close()
    kept = (FIXTURE_V2 / VIDEO).read_bytes()

    plain = _export(url, sid, tmp_path / "plain")
    assert not (plain / VIDEO).exists() and _document(plain)["context_video"] is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "context.mp4 is left out, as redactions apply" in err

    encoded = _export(url, sid, tmp_path / "encoded", "--video")
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "encoding one from the redacted frames" in err
    assert (encoded / VIDEO).read_bytes() != kept
    with open_bundle(encoded) as bundle:
        bundle.check()
        assert bundle.video is not None and bundle.video.frames >= 1


def test_a_damaged_kept_video_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "store.db"
    url = sqlite_url(path)
    db = open_database(url)
    try:
        sid = import_bundle(db, FIXTURE_V2).session_id
    finally:
        db.close()
    digest = hashlib.sha256((FIXTURE_V2 / VIDEO).read_bytes()).hexdigest()
    (blob,) = [p for p in _store_files(path) if p.name == digest]
    blob.write_bytes(b"\0" * blob.stat().st_size)
    out = tmp_path / "out"
    args = ["export", sid, "--format", "bundle", "--out", str(out), "--db", url]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "kept context video is damaged" in err
    assert not out.exists()


def test_the_app_hears_why_the_kept_video_was_left_out(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The export dialog shows what the command prints: the notes come to its callback."""
    from desktop.commands.export import ExportRequest, export_sessions

    sid = import_bundle(db, FIXTURE_V2).session_id
    add_redaction(db, Redaction("rect", rect=Rect(24, 16, 32, 32), session_id=sid))
    notes: list[str] = []
    request = ExportRequest(format="bundle", out=tmp_path / "out", session=sid)
    assert export_sessions(db, request, lambda done, total: None, notes.append) == 1
    assert len(notes) == 1 and "context.mp4 is left out, as redactions apply" in notes[0]
    assert capsys.readouterr().err == ""  # nothing printed behind the app's back
