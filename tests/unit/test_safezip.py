"""Unpacking untrusted zips: nothing outside the target, nothing half-unpacked, one clear error."""

from __future__ import annotations

import io
import stat
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replay.safezip import UnsafeArchiveError, ZipLimits, extract_zip


def make_zip(path: Path, entries: list[tuple[str, bytes]], **info: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name)
            zi.compress_type = zipfile.ZIP_DEFLATED
            for key, value in info.items():
                setattr(zi, key, value)
            z.writestr(zi, data)
    return path


def encrypted(path: Path) -> Path:
    """Set the "encrypted" flag in the local and the central header of every entry."""
    data = bytearray(path.read_bytes())
    for magic, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(magic)
        while at != -1:
            data[at + offset] |= 0x1
            at = data.find(magic, at + 4)
    path.write_bytes(bytes(data))
    return path


def test_a_bundle_unpacks_into_its_target(tmp_path: Path) -> None:
    src = make_zip(tmp_path / "b.zip", [("trajectory.json", b"{}"), ("frames/ab.png", b"\x89PNG")])
    files = extract_zip(src, tmp_path / "out" / "bundle")
    assert sorted(p.relative_to(tmp_path / "out" / "bundle").as_posix() for p in files) == [
        "frames/ab.png",
        "trajectory.json",
    ]
    assert (tmp_path / "out" / "bundle" / "frames" / "ab.png").read_bytes() == b"\x89PNG"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["bundle"]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("../evil.txt", "path leaving the archive"),
        ("frames/../../evil.txt", "path leaving the archive"),
        ("/etc/passwd", "absolute path"),
        ("C:/windows/evil", "absolute path"),
        ("frames\\..\\evil", "unsafe name"),
    ],
)
def test_names_that_could_land_outside_are_refused(tmp_path: Path, name: str, says: str) -> None:
    src = make_zip(tmp_path / "b.zip", [("ok.txt", b"fine"), (name, b"x")])
    with pytest.raises(UnsafeArchiveError, match=says):
        extract_zip(src, tmp_path / "out" / "bundle")
    assert list((tmp_path / "out").iterdir()) == []  # nothing half-unpacked
    assert not (tmp_path / "evil.txt").exists()


def test_symlinks_are_refused(tmp_path: Path) -> None:
    link = (stat.S_IFLNK | 0o777) << 16
    src = make_zip(tmp_path / "b.zip", [("frames", b"/etc")], external_attr=link)
    with pytest.raises(UnsafeArchiveError, match="is a symlink"):
        extract_zip(src, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_zip_bomb_is_refused_while_unpacking(tmp_path: Path) -> None:
    src = make_zip(tmp_path / "bomb.zip", [("frames/a.png", bytes(50 << 20))])
    assert src.stat().st_size < 200_000
    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        extract_zip(src, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_limits_on_entries_and_sizes(tmp_path: Path) -> None:
    many = make_zip(tmp_path / "many.zip", [(f"f{i}", b"x") for i in range(5)])
    with pytest.raises(UnsafeArchiveError, match="5 entries; at most 4"):
        extract_zip(many, tmp_path / "a", ZipLimits(max_entries=4))
    big = make_zip(tmp_path / "big.zip", [("a", b"y" * 1000), ("b", b"y" * 1000)])
    with pytest.raises(UnsafeArchiveError, match="larger than 500 bytes"):
        extract_zip(big, tmp_path / "b", ZipLimits(max_entry_bytes=500))
    with pytest.raises(UnsafeArchiveError, match="more than 1500 bytes"):
        extract_zip(big, tmp_path / "c", ZipLimits(max_total_bytes=1500))


def test_duplicates_collisions_encryption_and_garbage(tmp_path: Path) -> None:
    twice = make_zip(tmp_path / "twice.zip", [("a.json", b"1"), ("A.json", b"2")])
    with pytest.raises(UnsafeArchiveError, match="twice"):
        extract_zip(twice, tmp_path / "t")
    clash = make_zip(tmp_path / "clash.zip", [("frames", b"1"), ("frames/x.png", b"2")])
    with pytest.raises(UnsafeArchiveError, match="collides"):
        extract_zip(clash, tmp_path / "c")
    locked = encrypted(make_zip(tmp_path / "locked.zip", [("a", b"1")]))
    with pytest.raises(UnsafeArchiveError, match="encrypted"):
        extract_zip(locked, tmp_path / "l")
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UnsafeArchiveError, match="not a readable zip"):
        extract_zip(garbage, tmp_path / "g")
    whole = make_zip(tmp_path / "whole.zip", [("a.json", b"x" * 5000)]).read_bytes()
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(whole[:40] + bytes(len(whole) - 80) + whole[-40:])
    with pytest.raises(UnsafeArchiveError):
        extract_zip(damaged, tmp_path / "d")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".zip") == []


names = st.lists(
    st.one_of(
        st.sampled_from(["..", ".", "", "/", "frames", "a.png", "C:", "\\", "x\x00"]),
        st.text(min_size=1, max_size=6),
    ),
    min_size=1,
    max_size=4,
).map("/".join)
entries = st.lists(st.tuples(names, st.binary(max_size=64), st.booleans()), max_size=6)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=entries)
def test_whatever_the_zip_holds_nothing_lands_outside(
    tmp_path_factory: pytest.TempPathFactory, entries: list[tuple[str, bytes, bool]]
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as z:
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are part of the fuzz
        for name, data, link in entries:
            info = zipfile.ZipInfo(name)
            if link:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, data)
    src = root / "in.zip"
    src.write_bytes(buffer.getvalue())
    place = root / "place"
    place.mkdir()
    target = place / "bundle"
    try:
        files = extract_zip(src, target)
    except UnsafeArchiveError:
        assert list(place.iterdir()) == []
    else:
        for f in files:
            assert f.resolve().is_relative_to(target.resolve())
        assert [p.name for p in place.iterdir()] == ["bundle"]
    assert sorted(p.name for p in root.iterdir()) == ["in.zip", "place"]
