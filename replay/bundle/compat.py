"""Older bundle versions migrated forward, one version step at a time (as mitmproxy's io/compat).

Each release that changes ``trajectory.json`` adds ``convert_N_to_N+1`` here
and a bundle written by the older release to ``tests/fixtures/``; one that
changes the lines of ``events.jsonl`` adds ``event_N_to_N+1`` as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from replay.bundle.errors import BundleError

Converter = Callable[[dict[str, Any]], dict[str, Any]]


def convert_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the recording rules, the edit trail, the context video, and the
    markers, window changes and screen changes segmentation reads.

    A version-1 bundle kept none of them: rules unknown (null, the defaults),
    no edits, none of the rest, and any ``context.mp4`` it holds is not
    described, so ignored.
    """
    return {
        **data,
        "rules": None,
        "edits": [],
        "context_video": None,
        "markers": [],
        "windows": [],
        "screen_changes": [],
    }


def event_1_to_2(event: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds where each event landed; version 1 did not say."""
    return {**event, "window": None, "element": None}


# version N -> the function that turns a version-N document into version N+1.
CONVERTERS: dict[int, Converter] = {1: convert_1_to_2}
# version N -> the function that turns a version-N line of events.jsonl into version N+1.
EVENT_CONVERTERS: dict[int, Converter] = {1: event_1_to_2}


def migrate(
    data: dict[str, Any], current: int, converters: Mapping[int, Converter] = CONVERTERS
) -> dict[str, Any]:
    """``data`` as version ``current``; a newer version is refused."""
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BundleError(f"format_version must be a positive integer, got {version!r}")
    if version > current:
        raise BundleError(
            f"bundle format version {version} is newer than this demotrace reads "
            f"(up to {current}); update demotrace"
        )
    while version < current:
        convert = converters.get(version)
        if convert is None:
            raise BundleError(f"no migration from bundle format version {version}")
        data = convert(data)
        version += 1
        data["format_version"] = version
    return data


def migrate_event(
    event: Any, version: int, current: int, converters: Mapping[int, Converter] = EVENT_CONVERTERS
) -> Any:
    """A line of events.jsonl from a version-``version`` bundle, as version ``current``."""
    while version < current and isinstance(event, dict):
        convert = converters.get(version)
        if convert is not None:
            event = convert(event)
        version += 1
    return event
