"""Matching windows by glob on their application class or title (case-insensitive)."""

from __future__ import annotations

from fnmatch import fnmatchcase


def glob_matches(pattern: str, text: str) -> bool:
    """Shell-style glob (``*``, ``?``, ``[...]``) over the whole of ``text``, ignoring case."""
    return bool(text) and fnmatchcase(text.casefold(), pattern.casefold())


def window_matches(pattern: str, title: str, app: str) -> bool:
    """The window's application class or its title matches ``pattern``."""
    return glob_matches(pattern, app) or glob_matches(pattern, title)
