"""Team mode: recording into a real PostgreSQL server, frames kept in the database."""

from __future__ import annotations

import json
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from capture.events import EventKind
from capture.store.database import open_database
from capture.store.frames import FrameReader
from capture.store.models import BlobRow, SessionRow
from capture.store.recording import load_recording
from capture.store.sessions import blob_store_for
from replay.bundle.importing import import_bundle
from tests.postgres import PostgresServer
from tests.unit.test_bundle import FIXTURE_V2
from tests.xsession import FormApp, XServer, demotrace, start_recorder


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    yield server
    server.stop()


def test_record_into_postgresql(xserver: XServer, form: FormApp, postgres: PostgresServer) -> None:
    url = postgres.create_database("team")
    rec = start_recorder(xserver, url, "--task", "team demo")
    toggle = form.center("toggle")
    xserver.xdotool("mousemove", *map(str, toggle))
    time.sleep(0.3)
    xserver.xdotool("click", "1")
    time.sleep(0.3)
    xserver.xdotool("click", "1")
    time.sleep(0.3)
    assert rec.stop() == 0, rec.stderr_text

    db = open_database(url)
    timeline = load_recording(db, rec.session_id)
    presses = [e for e in timeline.events if e.event.kind is EventKind.PRESS]
    assert [(p.event.x, p.event.y) for p in presses] == [toggle, toggle]
    px, py = form.center("patch")
    reader = FrameReader(blob_store_for(db))
    frames = {f.id: f for f in timeline.frames}
    with db.session() as s:
        colors = [
            tuple(int(c) for c in reader.rgb(frames[p.frame_id or 0].blob, s)[py, px])
            for p in presses
        ]
        blobs = s.scalar(select(func.count()).select_from(BlobRow))
    assert colors == [(255, 0, 0), (0, 255, 0)]
    assert blobs is not None and blobs >= 2
    db.close()

    listed = demotrace("sessions", "--db", url)
    assert listed.returncode == 0 and rec.session_id[:12] in listed.stdout
    shown = demotrace("show", rec.session_id, "--db", url)
    assert shown.returncode == 0 and "team demo" in shown.stdout


def test_second_recorder_is_refused_across_hosts_of_one_team_store(
    xserver: XServer, postgres: PostgresServer
) -> None:
    url = postgres.create_database("busy")
    rec = start_recorder(xserver, url)
    other = demotrace("record", "--db", url, "--session", rec.session_id, env=xserver.env)
    assert rec.stop() == 0
    assert other.returncode != 0
    assert other.stderr.strip().count("\n") == 0
    assert "is being recorded by" in other.stderr


def test_imported_context_video_round_trips_through_postgresql(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    """The kept video's header in a JSON column and its bytes as ``blobs`` rows, on PostgreSQL."""
    url = postgres.create_database("video")
    bundle = tmp_path / "bad"
    shutil.copytree(FIXTURE_V2, bundle)
    frames = json.loads((bundle / "trajectory.json").read_text())["frames"]
    last, first = frames[-1]["hash"], frames[0]["hash"]
    shutil.copy(bundle / "frames" / f"{first}.png", bundle / "frames" / f"{last}.png")
    failed = demotrace("import", str(bundle), "--db", url)
    assert failed.returncode == 2 and "hash mismatch" in failed.stderr

    db = open_database(url)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(BlobRow)) == 0  # no video chunk
        assert import_bundle(db, FIXTURE_V2).video
        with db.session() as s:
            kept = s.scalars(select(SessionRow.context_video)).one()
            column = inspect(s.get_bind()).get_columns("sessions")
    finally:
        db.close()
    assert kept is not None and kept["header"]["frames"] == 6
    assert [str(c["type"]) for c in column if c["name"] == "context_video"] == ["JSON"]

    sid = json.loads((FIXTURE_V2 / "trajectory.json").read_text())["session_id"]
    out = tmp_path / "again.zip"
    exported = demotrace("export", sid, "--format", "bundle", "--out", str(out), "--db", url)
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(out) as zf:
        assert zf.read("context.mp4") == (FIXTURE_V2 / "context.mp4").read_bytes()
        header = json.loads(zf.read("trajectory.json"))["context_video"]
    assert header == json.loads((FIXTURE_V2 / "trajectory.json").read_text())["context_video"]
