"""This demotrace's version, as the installed package metadata (pyproject.toml) gives it."""

from __future__ import annotations


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("demotrace")
    except PackageNotFoundError:
        return "unknown"
