"""Older bundle versions migrated forward, one version step at a time (as mitmproxy's io/compat).

Each release that changes ``trajectory.json`` adds ``convert_N_to_N+1`` here
and a bundle written by the older release to ``tests/fixtures/``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from replay.bundle.errors import BundleError

Converter = Callable[[dict[str, Any]], dict[str, Any]]

# version N -> the function that turns a version-N document into version N+1.
CONVERTERS: dict[int, Converter] = {}


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
