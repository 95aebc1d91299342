"""Excluded applications: while one is focused, screen and input capture pause on their own.

Patterns are globs on the focused window's application class or title
(case-insensitive). The defaults name common password managers by their
window class, so a browser tab that merely mentions one is not excluded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from capture.privacy.windows import window_matches

DEFAULT_EXCLUDED = (
    "KeePassXC",
    "KeePass2",
    "KeeWeb",
    "1Password",
    "Bitwarden",
    "Enpass",
    "Dashlane",
    "NordPass",
    "Proton Pass",
    "Seahorse",  # GNOME Passwords and Keys
    "KWalletManager*",
    "gcr-prompter",  # the GNOME keyring's password prompt
    "pinentry*",
)


@dataclass(frozen=True)
class Exclusions:
    patterns: tuple[str, ...] = DEFAULT_EXCLUDED

    @classmethod
    def with_defaults(cls, extra: Iterable[str] = (), defaults: bool = True) -> Exclusions:
        base = DEFAULT_EXCLUDED if defaults else ()
        return cls(tuple(dict.fromkeys((*base, *(p for p in extra if p.strip())))))

    def match(self, title: str, app: str) -> str | None:
        """The first pattern the window matches, or None when it may be recorded."""
        return next((p for p in self.patterns if window_matches(p, title, app)), None)
