"""The bundle's frame pipeline: BGRA straight from the store, banded PNG coding and
decoding, reused buffers, and import coding frames for the store on its own thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from capture.buffers import BufferPool
from capture.errors import StoreError
from capture.events import RawEvent
from capture.framecodec import DeltaFrame, FrameEncoder, decode, decode_delta, frame_hash
from capture.store.database import Database, open_database, sqlite_url
from capture.store.frames import FrameReader
from capture.store.imports import ImportedFrame, ImportedSession, import_session
from capture.store.paths import frames_dir
from capture.store.sessions import blob_store_for
from replay.bundle import BundleError, open_bundle, write_bundle
from replay.bundle.importing import import_bundle
from replay.bundle.png import content_hash, decode_bgra
from replay.bundle.writer import _Frames
from replay.export.registry import write_atomically
from replay.png import BgraEncoder, band_rows, encode
from replay.store_source import StoreTrajectory
from replay.trajectory import Trajectory
from tests.stored import stored_session
from tests.unit.test_bundle import FIXTURE_V1

W = 150
H = 3 * band_rows(W) + 7  # whole bands and a short one (inflated two at a time)


def picture(seed: int, width: int = W, height: int = H) -> np.ndarray:
    """(height, width, 3) RGB: a flat screen with a noisy patch, different per seed."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width, 3), (30 * seed) % 256, np.uint8)
    img[10:60, 20:90] = rng.integers(0, 256, (50, 70, 3), dtype=np.uint8)
    return img


def bgra_of(rgb: np.ndarray, alpha: int = 255) -> np.ndarray:
    out = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGRA)
    out[..., 3] = alpha
    return out


def test_bgra_encoder_makes_the_png_encode_makes() -> None:
    rgb = picture(1)
    bgra = bgra_of(rgb, alpha=0)
    asked: list[tuple[int, int]] = []

    def rows(y: int, n: int) -> np.ndarray:
        asked.append((y, n))
        return bgra[y : y + n]

    data = BgraEncoder().encode_rows(W, H, rows)
    step = band_rows(W)
    assert asked == [(0, step), (step, step), (2 * step, step), (3 * step, 7)]
    for png in (data, BgraEncoder().encode(bgra), encode(rgb)):
        decoded = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
        assert decoded is not None
        assert np.array_equal(decoded[..., ::-1], rgb)


def test_decode_checks_the_hash_band_by_band_and_into_a_given_array() -> None:
    rgb = picture(2)
    name = content_hash(rgb)
    out = np.zeros((H, W, 4), np.uint8)
    got = decode_bgra(encode(rgb), name, W, H, out)
    assert got is out
    assert np.array_equal(out, bgra_of(rgb))
    with pytest.raises(BundleError, match="hash mismatch"):
        decode_bgra(encode(picture(3)), name, W, H, out)
    # An array of another shape is not used.
    other = decode_bgra(encode(rgb), name, W, H, np.zeros((2, 2, 4), np.uint8))
    assert np.array_equal(other, bgra_of(rgb))


def test_png_files_of_other_writers_decode_the_general_way() -> None:
    rgb = picture(4)
    ok, filtered = cv2.imencode(".png", rgb[..., ::-1])  # row filters, another deflate
    assert ok
    assert np.array_equal(decode_bgra(filtered.tobytes(), content_hash(rgb), W, H), bgra_of(rgb))


def test_a_truncated_frame_is_refused() -> None:
    rgb = picture(5)
    data = encode(rgb)
    with pytest.raises(BundleError):
        decode_bgra(data[: len(data) // 2], content_hash(rgb), W, H)


def test_a_delta_read_band_by_band_over_its_keyframe_is_the_frame() -> None:
    enc, blobs = FrameEncoder(), {}
    frames = []
    for i in range(4):
        pixels = bgra_of(picture(6))
        pixels[100 + 90 * i : 130 + 90 * i, 5:9] = (i, 2 * i, 3 * i, 255)  # deltas
        digest = frame_hash(pixels.tobytes(), W, H)
        blobs[digest] = enc.encode(pixels.tobytes(), W, H, digest).data
        frames.append((digest, pixels))
    keyframe = decode(blobs[frames[0][0]], blobs.__getitem__)
    keyframe.flags.writeable = False  # as the reader's cache holds it
    scratch = np.empty((40, W, 4), np.uint8)
    for digest, pixels in frames:
        frame = decode_delta(blobs[digest], lambda _: keyframe)
        assert frame.shape == (H, W, 4)
        assert np.array_equal(frame.pixels(), pixels)
        for y in range(0, H, 40):  # bands before, across, inside and after the delta's
            assert np.array_equal(frame.rows(y, min(40, H - y), scratch), pixels[y : y + 40])
    assert np.array_equal(keyframe, frames[0][1])


def test_buffer_pool_hands_back_arrays_of_the_asked_shape() -> None:
    pool = BufferPool(keep=1)
    a = pool.take((2, 3, 4))
    pool.give(a)
    pool.give(np.empty((2, 3, 4), np.uint8))  # over ``keep``: dropped
    assert pool.take((5, 3, 4)).shape == (5, 3, 4)
    assert pool.take((2, 3, 4)) is a
    assert pool.take((2, 3, 4)) is not a


def _session(frames: list[ImportedFrame]) -> ImportedSession:
    rect = {"left": 0, "top": 0, "width": W, "height": H}
    return ImportedSession(
        id="f" * 32,
        task_text="t",
        task=None,
        status="finished",
        stage="draft",
        source_session_id=None,
        fault=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        duration_ns=len(frames),
        platform="test",
        app_version="0",
        username="u",
        screen={"virtual": rect, "monitors": [{**rect, "primary": True}]},
        scale=1.0,
        double_click_ms=400,
        double_click_px=5,
        fps=10.0,
        frames=frames,
    )


def _screens(n: int) -> list[np.ndarray]:
    """BGRA frames mostly a few rows apart (deltas), now and then a new screen (keyframes)."""
    out, current = [], bgra_of(picture(7))
    for i in range(n):
        current = bgra_of(picture(8 + i)) if i % 5 == 4 else current.copy()
        current[(37 * i) % H, :, :3] = i
        out.append(current)
    return out


def test_import_through_one_reused_array_keeps_every_frame(db: Database) -> None:
    """Each frame arrives in the same array, overwritten as soon as it is coded: the
    store's encoder must still compare later frames with the right keyframe."""
    screens = _screens(12)
    frames = [
        ImportedFrame(frame_hash(s.tobytes(), W, H), i, 0, 0, W, H) for i, s in enumerate(screens)
    ]
    pool = BufferPool(keep=1)

    def arrive() -> Iterator[np.ndarray]:
        for s in screens:
            buf = pool.take((H, W, 4))
            buf[...] = s
            yield buf

    import_session(db, _session(frames), arrive(), hashed=True, buffers=pool)
    reader = FrameReader(blob_store_for(db))
    with db.session() as s:
        for frame, pixels in zip(frames, screens, strict=True):
            assert np.array_equal(reader.pixels(frame.hash, s), pixels)


def test_import_of_pixels_not_yet_hashed_checks_them(db: Database) -> None:
    screens = _screens(2)
    frames = [ImportedFrame("0" * 32, 0, 0, 0, W, H), ImportedFrame("1" * 32, 1, 0, 0, W, H)]
    with pytest.raises(StoreError, match="hashed to"):
        import_session(db, _session(frames), iter(screens))
    with db.session() as s:
        assert not blob_store_for(db).has(frame_hash(screens[0].tobytes(), W, H), s)


@dataclass
class _Source:
    """A store session seen through another frame source."""

    inner: StoreTrajectory
    frames: object

    @property
    def trajectory(self) -> Trajectory:
        return self.inner.trajectory

    def events(self) -> Iterator[RawEvent]:
        return self.inner.events()


class _Transparent:
    """The store's frames with alpha 0, as a grab may leave it, each made a delta over
    its (shared, read-only) keyframe: alpha 0 in rows read from the keyframe and in
    rows the delta changes."""

    def __init__(self, inner: StoreTrajectory) -> None:
        self._inner = inner

    def bgra_delta(self, frame: str) -> DeltaFrame:
        base = self._inner.frames.bgra_delta(frame).pixels()
        base[..., 3] = 0
        base.flags.writeable = False
        band = np.random.default_rng(0).integers(0, 256, (50, base.shape[1], 4), np.uint8)
        band[..., 3] = 0
        return DeltaFrame(base, 10, 60, band)


@pytest.mark.parametrize("name", ["out", "out.zip"])
def test_frames_are_named_by_their_opaque_pixels_whatever_the_stored_alpha(
    db: Database, tmp_path: Path, name: str
) -> None:
    stored = stored_session(db)
    source = StoreTrajectory(db, stored.id)
    frames = _Transparent(source)
    write_bundle(_Source(source, frames), tmp_path / name)  # type: ignore[arg-type]
    with open_bundle(tmp_path / name) as bundle:
        bundle.check()
        expected = {}
        for digest in source.trajectory.frames:
            rgb = cv2.cvtColor(frames.bgra_delta(digest).pixels(), cv2.COLOR_BGRA2RGB)
            expected[content_hash(rgb)] = rgb
        assert set(bundle.trajectory.frames) == set(expected)
        for digest, rgb in expected.items():
            assert np.array_equal(bundle.frames.rgb(digest), rgb)


def test_a_bundle_written_from_a_bundle_names_frames_alike(tmp_path: Path) -> None:
    """Sources without BGRA (a bundle read back) go through RGB."""
    with open_bundle(FIXTURE_V1) as bundle:
        write_bundle(bundle, tmp_path / "copy")
        names = set(bundle.trajectory.frames)
    assert {p.stem for p in (tmp_path / "copy" / "frames").iterdir()} == names


def test_a_failed_import_removes_the_frames_it_added(db: Database, tmp_path: Path) -> None:
    stored = stored_session(db)
    write_bundle(StoreTrajectory(db, stored.id), tmp_path / "b")
    last = sorted((tmp_path / "b" / "frames").iterdir())[-1]
    last.write_bytes(encode(picture(9, 320, 200)))  # a frame whose pixels do not match its name
    other = open_database(sqlite_url(tmp_path / "other.db"))
    try:
        with pytest.raises(BundleError, match="hash mismatch"):
            import_bundle(other, tmp_path / "b")
        names = [p.stem for p in (tmp_path / "b" / "frames").iterdir()]
        blobs = blob_store_for(other)
        with other.session() as s:
            assert not [n for n in names if blobs.has(n, s)]
    finally:
        other.close()


def test_a_frame_whose_deflate_stream_is_damaged_is_refused() -> None:
    rgb = picture(10)
    data = bytearray(encode(rgb))
    idat = data.index(b"IDAT") + 4
    data[idat] ^= 0x0F  # the zlib header: no longer deflate
    with pytest.raises(BundleError, match="not a readable PNG"):
        decode_bgra(bytes(data), content_hash(rgb), W, H)
    data[idat] ^= 0x0F
    data[idat + 40] ^= 0xFF  # inside the compressed pixels
    with pytest.raises(BundleError):
        decode_bgra(bytes(data), content_hash(rgb), W, H)


class _Kept:
    concurrent = False

    def write(self, name: str, data: bytes, compress: bool) -> None:
        raise AssertionError("frames go back to the writer's thread")

    def close(self) -> None:
        pass


def test_a_transparent_frame_is_hashed_and_encoded_opaque_in_every_band() -> None:
    """Rows read straight from a shared keyframe, rows across and inside the delta: each
    made opaque without touching the keyframe."""
    base = bgra_of(picture(11), alpha=0)
    base.flags.writeable = False
    band = np.random.default_rng(1).integers(0, 256, (40, W, 4), np.uint8)
    frame = DeltaFrame(base, band_rows(W) - 20, band_rows(W) + 20, band)
    name, data = _Frames(_Kept())(frame)
    rgb = cv2.cvtColor(frame.pixels(), cv2.COLOR_BGRA2RGB)
    assert name == content_hash(rgb)
    assert data is not None
    assert np.array_equal(decode_bgra(data, name, W, H), bgra_of(rgb))
    assert not base[..., 3].any()


class _Stop(Exception):
    pass


def _stop_at(n: int) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        if done == n:
            raise _Stop

    return progress


def test_an_import_stopped_midway_leaves_no_blob_behind(db: Database, tmp_path: Path) -> None:
    """Blob files are written on threads of their own: all of them are done (and
    removed again) before the import returns its error."""
    stored = stored_session(db)
    write_bundle(StoreTrajectory(db, stored.id), tmp_path / "b")
    other = open_database(sqlite_url(tmp_path / "other.db"))
    try:
        with pytest.raises(_Stop):
            import_bundle(other, tmp_path / "b", _stop_at(3))
        blobs = frames_dir(tmp_path / "other.db")
        assert blobs.is_dir()  # some were written
        assert not [p for p in blobs.rglob("*") if p.is_file()]
    finally:
        other.close()


def test_an_export_stopped_midway_leaves_nothing_behind(db: Database, tmp_path: Path) -> None:
    stored = stored_session(db)
    source = StoreTrajectory(db, stored.id)
    out = tmp_path / "exports" / "b"
    with pytest.raises(_Stop):
        write_atomically(out, False, lambda tmp: write_bundle(source, tmp, _stop_at(2)))
    assert list((tmp_path / "exports").iterdir()) == []


def test_rows_of_the_wrong_shape_are_refused_not_encoded() -> None:
    bgra = bgra_of(picture(12))
    with pytest.raises(ValueError, match="not"):
        BgraEncoder().encode_rows(W, H, lambda y, n: bgra[y : y + n, :-1])
