"""Secret mode, excluded windows and redaction: the logic, without a screen."""

from __future__ import annotations

import numpy as np
import pytest

from capture.events import EventKind, RawEvent, WindowChange
from capture.privacy.exclusions import DEFAULT_EXCLUDED, Exclusions
from capture.privacy.guard import PrivacyGuard
from capture.privacy.redact import ActiveWindow, Redaction, redact_frame
from capture.privacy.secret import SECRET_PLACEHOLDER, SecretFilter
from capture.screen import Rect
from capture.segment import segment
from tests.unit.factories import Script


def admitted(f: SecretFilter, events: list[RawEvent]) -> list[RawEvent]:
    return [e for e in (f.admit(ev) for ev in events) if e is not None]


def test_secret_typing_leaves_only_one_placeholder_per_run() -> None:
    s = Script().type("user").key("Tab")
    start = len(s.events)
    s.type("Hunter2!").key("Return")
    f = SecretFilter()
    before = admitted(f, s.events[:start])
    assert f.set(True) and not f.set(True)
    during = admitted(f, s.events[start:])
    assert [e.key for e in before if e.kind is EventKind.KEY_DOWN] == ["u", "s", "e", "r", "Tab"]
    assert [(e.kind, e.key, e.char, e.modifiers) for e in during] == [
        (EventKind.KEY_DOWN, SECRET_PLACEHOLDER, None, frozenset()),
        (EventKind.KEY_DOWN, "Return", None, frozenset()),
        (EventKind.KEY_UP, "Return", None, frozenset()),
    ]
    first_secret = next(e for e in s.events[start:] if e.key == "H")
    assert during[0].t_ns == first_secret.t_ns  # when, but not what or how long
    assert f.set(False)
    assert admitted(f, s.events[:start]) == before


def test_a_click_starts_a_new_secret_run() -> None:
    f = SecretFilter()
    f.set(True)
    s = Script().type("ab").click(10, 10).type("cd")
    kinds = [(e.kind, e.key) for e in admitted(f, s.events)]
    assert kinds.count((EventKind.KEY_DOWN, SECRET_PLACEHOLDER)) == 2
    assert (EventKind.PRESS, None) in kinds


def test_secret_steps_are_typed_placeholders() -> None:
    f = SecretFilter()
    s = Script().type("hi")
    plain = len(s.events)
    s.wait(200).type("s3cret").key("Return")
    events = admitted(f, s.events[:plain])
    f.set(True)
    events += admitted(f, s.events[plain:])
    steps = segment([e for e in events])
    assert [s.action.to_json() for s in steps] == [
        {"type": "type", "text": "hi"},
        {"type": "type", "text": SECRET_PLACEHOLDER},
        {"type": "key", "keys": ["Return"], "repeat": 1},
    ]


def test_default_exclusions_match_password_managers_by_class_not_by_mention() -> None:
    ex = Exclusions()
    assert ex.patterns == DEFAULT_EXCLUDED
    assert ex.match("Passwords.kdbx - KeePassXC", "KeePassXC") == "KeePassXC"
    assert ex.match("Vault", "bitwarden") == "Bitwarden"
    assert ex.match("KeePassXC - Wikipedia - Mozilla Firefox", "firefox") is None
    custom = Exclusions.with_defaults(["*Bank*"], defaults=False)
    assert custom.patterns == ("*Bank*",)
    assert custom.match("My bank - Online banking", "firefox") == "*Bank*"
    assert custom.match("Passwords", "KeePassXC") is None


def test_guard_pauses_while_an_excluded_window_has_the_focus() -> None:
    guard = PrivacyGuard(Exclusions.with_defaults(["secret-app"]))
    key = RawEvent(1, EventKind.KEY_DOWN, key="a", char="a")
    first = guard.window(WindowChange(1, "Editor", "editor"))
    assert first.store and not first.entered and not first.left
    entered = guard.window(WindowChange(2, "Vault", "secret-app"))
    assert entered.entered and not entered.store
    assert guard.state.excluded == "secret-app" and guard.state.capture_paused
    assert guard.admit(key) is None
    again = guard.window(WindowChange(3, "Other vault", "KeePassXC"))
    assert not again.entered and not again.store  # still excluded: no second pause
    left = guard.window(WindowChange(4, "Editor", "editor"))
    assert left.left and left.store
    assert guard.admit(key) == key


def striped(height: int, width: int) -> np.ndarray:
    image = np.zeros((height, width, 4), np.uint8)
    image[:, ::2] = 255  # one-pixel stripes: the finest detail there is
    image[..., 3] = 255
    return image


def test_a_rect_redaction_blurs_that_rectangle_only() -> None:
    image = striped(100, 200)
    rule = Redaction("rect", rect=Rect(50, 20, 64, 48))
    out = redact_frame(image, [rule])
    assert out is not image
    inside = out[20:68, 50:114, :3].astype(int)
    # Stripes 0/255 become a flat grey: the detail is gone, not just softened.
    assert inside.max() - inside.min() < 40
    np.testing.assert_array_equal(out[:20], image[:20])
    np.testing.assert_array_equal(out[:, :50], image[:, :50])
    np.testing.assert_array_equal(image, striped(100, 200))  # the input is untouched


def test_rects_are_in_screen_coordinates() -> None:
    image = striped(50, 50)
    out = redact_frame(image, [Redaction("rect", rect=Rect(110, 10, 20, 20))], origin=(100, 0))
    assert not np.array_equal(out[10:30, 10:30], image[10:30, 10:30])
    np.testing.assert_array_equal(out[:, 30:], image[:, 30:])


def test_window_rules_blur_the_window_or_the_whole_frame() -> None:
    image = striped(40, 80)
    rule = Redaction("window_class", pattern="mail*")
    assert redact_frame(image, [rule], ActiveWindow("Inbox", "editor")) is image
    whole = redact_frame(image, [rule], ActiveWindow("Inbox", "Mailspring"))
    assert int(whole[..., 0].max()) - int(whole[..., 0].min()) < 40
    part = redact_frame(image, [rule], ActiveWindow("Inbox", "mail", Rect(0, 0, 40, 40)))
    np.testing.assert_array_equal(part[:, 40:], image[:, 40:])
    by_title = Redaction("window_title", pattern="*invoice*")
    assert redact_frame(image, [by_title], ActiveWindow("Invoice 42", "editor")) is not image


def test_nothing_to_redact_returns_the_frame_itself() -> None:
    image = striped(10, 10)
    assert redact_frame(image, []) is image
    assert redact_frame(image, [Redaction("rect", rect=Rect(500, 500, 5, 5))]) is not None


@pytest.mark.parametrize(
    ("kind", "pattern", "rect"),
    [("rect", "", None), ("window_class", " ", None), ("circle", "x", None)],
)
def test_malformed_redactions_are_refused(kind: str, pattern: str, rect: Rect | None) -> None:
    with pytest.raises(ValueError):
        Redaction(kind, pattern=pattern, rect=rect)
