"""One JSON object per line, its long list written an item at a time (exports stream)."""

from __future__ import annotations

import json
from typing import Any, TextIO


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Record:
    """``{**head, key: [items...], **tail}`` on one line, never held whole in memory."""

    def __init__(self, out: TextIO, head: dict[str, Any], key: str) -> None:
        self._out = out
        self._first = True
        body = _dump(head)[:-1]
        out.write(body + (", " if head else "") + _dump(key) + ": [")

    def add(self, item: Any) -> None:
        self._out.write(("" if self._first else ", ") + _dump(item))
        self._first = False

    def close(self, tail: dict[str, Any]) -> None:
        rest = _dump(tail)[1:]
        self._out.write("]" + (", " + rest if tail else "}") + "\n")
