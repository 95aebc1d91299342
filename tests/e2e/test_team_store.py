"""Team mode: recording into a real PostgreSQL server, frames kept in the database."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from capture.events import EventKind
from capture.store.database import open_database
from capture.store.frames import FrameReader
from capture.store.models import BlobRow
from capture.store.recording import load_recording
from capture.store.sessions import blob_store_for
from tests.postgres import PostgresServer
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
