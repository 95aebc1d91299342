import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capture.framecodec import (
    DELTA,
    KEYFRAME,
    FrameDecodeError,
    FrameEncoder,
    blob_info,
    changed_rows,
    decode,
    frame_hash,
)


def screen(width: int = 64, height: int = 48, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = np.zeros((height, width, 4), np.uint8)
    img[..., 3] = 255
    img[8:20, 4:40, :3] = rng.integers(0, 255, (12, 36, 3))
    return img


def test_changed_rows_finds_the_band() -> None:
    a = screen()
    b = a.copy()
    b[30, 5] = 1
    b[33, 60] = 2
    assert changed_rows(a.tobytes(), b.tobytes(), 64 * 4) == (30, 34)
    assert changed_rows(a.tobytes(), a.tobytes(), 64 * 4) is None


def test_first_frame_is_a_keyframe_then_small_changes_are_deltas() -> None:
    enc = FrameEncoder()
    a = screen()
    b = a.copy()
    b[40:42, 10:20, :3] = 200
    ka = enc.encode(a.tobytes(), 64, 48, frame_hash(a.tobytes(), 64, 48))
    kb = enc.encode(b.tobytes(), 64, 48, frame_hash(b.tobytes(), 64, 48))
    assert ka.is_keyframe and blob_info(ka.data).kind == KEYFRAME
    assert not kb.is_keyframe
    info = blob_info(kb.data)
    assert (info.kind, info.y0, info.y1) == (DELTA, 40, 42)
    assert info.base == frame_hash(a.tobytes(), 64, 48)
    store = {info.base: ka.data}
    assert np.array_equal(decode(kb.data, store.__getitem__), b)
    assert np.array_equal(decode(ka.data, store.__getitem__), a)


def test_a_large_change_starts_a_new_keyframe() -> None:
    enc = FrameEncoder()
    a = screen(seed=1)
    enc.encode(a.tobytes(), 64, 48, "a" * 32)
    b = np.random.default_rng(5).integers(0, 255, (48, 64, 4), dtype=np.uint8)
    assert enc.encode(b.tobytes(), 64, 48, "b" * 32).is_keyframe


def test_a_new_screen_size_starts_a_new_keyframe() -> None:
    enc = FrameEncoder()
    enc.encode(screen().tobytes(), 64, 48, "a" * 32)
    small = screen(48, 48)
    assert enc.encode(small.tobytes(), 48, 48, "c" * 32).is_keyframe


def test_hash_depends_on_size_as_well_as_bytes() -> None:
    data = bytes(64 * 48 * 4)
    assert frame_hash(data, 64, 48) != frame_hash(data, 48, 64)
    assert len(frame_hash(data, 64, 48)) == 32


def test_corrupt_blobs_are_refused() -> None:
    with pytest.raises(FrameDecodeError):
        blob_info(b"PNG....")
    enc = FrameEncoder()
    blob = enc.encode(screen().tobytes(), 64, 48, "a" * 32).data
    with pytest.raises(FrameDecodeError):
        decode(blob[:-8] + b"\0" * 4, lambda _: b"")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 47), st.integers(0, 63), st.integers(0, 255)),
        min_size=0,
        max_size=30,
    ),
    st.integers(0, 3),
)
def test_every_sequence_of_frames_decodes_to_what_was_encoded(
    edits: list[tuple[int, int, int]], seed: int
) -> None:
    enc = FrameEncoder()
    store: dict[str, bytes] = {}
    current = screen(seed=seed)
    frames = []
    for y, x, value in [(0, 0, 0), *edits]:
        current = current.copy()
        current[y, x, :3] = value
        digest = frame_hash(current.tobytes(), 64, 48)
        store.setdefault(digest, enc.encode(current.tobytes(), 64, 48, digest).data)
        frames.append((digest, current))
    for digest, pixels in frames:
        assert np.array_equal(decode(store[digest], store.__getitem__), pixels)
