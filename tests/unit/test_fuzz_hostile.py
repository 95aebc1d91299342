"""Hostile input, generated: every damaged bundle or task file is one clear error, never a crash.

Ten thousand trajectory.json documents, mutated from a valid bundle's, go
through the strict bundle reader; two thousand task files through the task
importer. Each must either read cleanly or raise the one-line error a user
sees (``DemotraceError``); anything else (a KeyError, a TypeError, a
traceback) is a bug.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture.errors import DemotraceError
from capture.taskfile import read_task_file
from replay.bundle.reader import open_bundle

FIXTURE = Path(__file__).parents[1] / "fixtures" / "bundle-v1"
ORIGINAL: dict[str, Any] = json.loads((FIXTURE / "trajectory.json").read_text())

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(ORIGINAL)[1:]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    doc = json.loads(json.dumps(ORIGINAL))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            how = draw(st.sampled_from(["replace", "delete", "add"]))
            if how == "replace":
                parent[path[-1]] = draw(json_values)
            elif how == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[draw(st.text(max_size=8))] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    raw = json.dumps(doc).encode()
    if draw(st.integers(0, 9)) == 0:  # now and then, damage the bytes themselves
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=8))
    return raw


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "bundle"
    shutil.copytree(FIXTURE, target)
    return target


@settings(
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(raw=mutated())
def test_a_damaged_trajectory_json_is_one_clear_error(bundle_dir: Path, raw: bytes) -> None:
    (bundle_dir / "trajectory.json").write_bytes(raw)
    try:
        bundle = open_bundle(bundle_dir)
        bundle.trajectory  # noqa: B018 - reading it is the point
    except DemotraceError as exc:
        message = str(exc)
        assert message and "\n" not in message.strip() and "Traceback" not in message


@settings(
    max_examples=2_000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
)
@given(
    text=st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    suffix=st.sampled_from([".csv", ".json", ".txt"]),
)
def test_a_damaged_task_file_is_one_clear_error(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / f"tasks{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        read_task_file(path)
    except DemotraceError as exc:
        assert str(exc).strip()
