"""A JSON object read strictly: exactly the expected keys, typed getters that name the path."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from replay.bundle.errors import BundleError


class Fields:
    """An object read from JSON, checked to hold exactly ``keys``; typed getters name the path."""

    def __init__(self, data: Any, keys: tuple[str, ...], path: str) -> None:
        if not isinstance(data, dict):
            raise BundleError(f"{path or 'trajectory.json'} must be an object")
        missing = [k for k in keys if k not in data]
        unknown = sorted(set(data) - set(keys))
        where = f" in {path}" if path else ""
        if missing:
            raise BundleError(f"missing field {missing[0]!r}{where}")
        if unknown:
            raise BundleError(f"unknown field {unknown[0]!r}{where}")
        self.data = data
        self.path = path

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _wrong(self, key: str, kind: str) -> BundleError:
        return BundleError(f"{self._name(key)} must be {kind}, got {self.data[key]!r:.60}")

    def integer(self, key: str, minimum: int | None = None) -> int:
        v = self.data[key]
        if isinstance(v, bool) or not isinstance(v, int) or (minimum is not None and v < minimum):
            raise self._wrong(key, "an integer" + (f" >= {minimum}" if minimum is not None else ""))
        return v

    def opt_int(self, key: str) -> int | None:
        return None if self.data[key] is None else self.integer(key)

    def number(self, key: str) -> float:
        v = self.data[key]
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise self._wrong(key, "a number")
        return float(v)

    def text(self, key: str) -> str:
        v = self.data[key]
        if not isinstance(v, str):
            raise self._wrong(key, "a string")
        return v

    def instant(self, key: str) -> str:
        """An ISO 8601 date and time."""
        v = self.text(key)
        try:
            datetime.fromisoformat(v)
        except ValueError:
            raise self._wrong(key, "an ISO 8601 date and time") from None
        return v

    def choice(self, key: str, allowed: tuple[str, ...], optional: bool = False) -> str | None:
        v = self.data[key]
        if (v is None and optional) or v in allowed:
            return v
        raise self._wrong(key, "one of " + ", ".join(allowed) + (" or null" if optional else ""))

    def opt_str(self, key: str) -> str | None:
        return None if self.data[key] is None else self.text(key)

    def flag(self, key: str) -> bool:
        v = self.data[key]
        if not isinstance(v, bool):
            raise self._wrong(key, "true or false")
        return v

    def items(self, key: str) -> list[Any]:
        v = self.data[key]
        if not isinstance(v, list):
            raise self._wrong(key, "a list")
        return v

    def obj(self, key: str) -> dict[str, Any]:
        v = self.data[key]
        if not isinstance(v, dict):
            raise self._wrong(key, "an object")
        return v

    def opt_obj(self, key: str) -> dict[str, Any] | None:
        return None if self.data[key] is None else self.obj(key)

    def child(self, key: str, keys: tuple[str, ...]) -> Fields:
        return Fields(self.data[key], keys, self._name(key))

    def strings(self, key: str) -> tuple[str, ...]:
        items = self.items(key)
        if not all(isinstance(i, str) for i in items):
            raise self._wrong(key, "a list of strings")
        return tuple(items)
