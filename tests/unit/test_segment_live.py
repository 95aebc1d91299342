"""The live segmenter gives exactly the batch steps, however the inputs are chunked."""

from __future__ import annotations

from itertools import pairwise

import pytest
from factories import MS, Script
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture.events import Marker, WindowChange
from capture.segment import LateInputError, LiveSegmenter, OwnWindow, SegmentationRules, segment

RULES = SegmentationRules(own_windows=(OwnWindow(0, 0, 200, 40),))


@st.composite
def demonstrations(draw: st.DrawFn) -> Script:
    """Realistic mixed input: glides, clicks, drags, wheel, typing, keys, hotkeys, pauses."""
    s = Script()
    xs = st.integers(0, 800)
    for _ in range(draw(st.integers(1, 14))):
        what = draw(
            st.sampled_from(
                [
                    "glide",
                    "click",
                    "clicks",
                    "drag",
                    "scroll",
                    "type",
                    "key",
                    "hotkey",
                    "control",
                    "modifier",
                    "pause",
                    "own",
                    "ctrl_click",
                    "hold_key",
                    "rest",
                ]
            )
        )
        x, y = draw(xs), draw(xs)
        if what == "glide":
            s.glide(s.x, s.y, x, y, steps=draw(st.integers(1, 8)))
        elif what == "click":
            s.click(
                x,
                y,
                draw(st.sampled_from(["left", "right", "middle"])),
                gap_ms=draw(st.integers(1, 600)),
            )
        elif what == "clicks":
            s.clicks(draw(st.integers(2, 4)), x, y, interval_ms=draw(st.integers(80, 700)))
        elif what == "drag":
            s.drag(s.x, s.y, x, y, steps=draw(st.integers(1, 6)))
        elif what == "scroll":
            s.scroll(
                dy=draw(st.integers(-1, 1)),
                dx=draw(st.integers(-1, 1)),
                x=x,
                y=y,
                notches=draw(st.integers(1, 4)),
                gap_ms=draw(st.integers(20, 600)),
            )
        elif what == "type":
            s.type(
                draw(st.text("abAB !?\b", min_size=1, max_size=25)),
                gap_ms=draw(st.integers(20, 400)),
            )
        elif what == "key":
            s.key(
                draw(st.sampled_from(["Return", "Down", "Tab", "F5", "BackSpace"])),
                times=draw(st.integers(1, 3)),
                gap_ms=draw(st.integers(30, 700)),
            )
        elif what == "hotkey":
            s.hotkey(
                *draw(st.sampled_from([("ctrl", "s"), ("ctrl", "shift", "Left"), ("alt", "Tab")]))
            )
        elif what == "control":
            s.hotkey("ctrl", "alt", "s")
        elif what == "modifier":
            s.key(draw(st.sampled_from(["ctrl", "shift", "alt"])))
        elif what == "pause":
            s.wait(draw(st.sampled_from([300, 900, 2500, 4000, 7000])))
        elif what == "own":
            s.click(draw(st.integers(0, 199)), draw(st.integers(0, 39)))
        elif what == "ctrl_click":
            s.key_down("ctrl").click(x, y).key_up("ctrl")
        elif what == "rest":
            s.glide(s.x, s.y, x, y, steps=3).wait(draw(st.integers(700, 1600)))
        elif what == "hold_key":
            s.press(x, y).move(x + 30, y).tap("Escape").release(x + 30, y)
    return s


@st.composite
def sessions(draw: st.DrawFn) -> dict:
    s = draw(demonstrations())
    end_ms = s.t // MS + 6000
    times = st.integers(0, end_ms)
    # The screen reacts in bursts: a few changes 50 ms apart from random moments.
    changes = sorted(
        ((t + 50 * i) * MS, f)
        for t, n, f in draw(
            st.lists(
                st.tuples(
                    times, st.integers(1, 12), st.sampled_from([0.00005, 0.001, 0.01, 0.05, 0.3])
                ),
                max_size=25,
            )
        )
        for i in range(n)
    )
    # ...and right after many of the person's actions.
    rnd = draw(st.randoms(use_true_random=False))
    for e in s.events:
        if e.kind in ("press", "key_down", "scroll") and rnd.random() < 0.6:
            changes.append((e.t_ns + rnd.randint(20, 400) * MS, rnd.choice([0.001, 0.02, 0.3])))
    changes.sort()
    changes = list(dict(changes).items())  # one change per time
    frames = [(i, t) for i, t in enumerate(sorted({t for t, _ in changes} | {0}))]
    markers = sorted(
        (
            Marker(t * MS, k)
            for t, k in draw(
                st.lists(st.tuples(times, st.sampled_from(["mark", "pause", "resume"])), max_size=4)
            )
        ),
        key=lambda m: m.t_ns,
    )
    windows = sorted(
        (
            WindowChange(t * MS, a, a)
            for t, a in draw(
                st.lists(
                    st.tuples(times, st.sampled_from(["gedit", "firefox", "demotrace"])), max_size=3
                )
            )
        ),
        key=lambda w: w.t_ns,
    )
    return {
        "events": s.events,
        "frames": frames,
        "screen_changes": changes,
        "markers": markers,
        "windows": windows,
    }


def feed_in_chunks(session: dict, cuts: st.DataObject) -> list:
    live = LiveSegmenter(RULES)
    adders = {
        "events": live.add_events,
        "frames": live.add_frames,
        "screen_changes": live.add_screen_changes,
        "markers": live.add_markers,
        "windows": live.add_windows,
    }

    def t_of(name: str, item: object) -> int:
        if name == "frames":
            return item[1]  # type: ignore[index]
        if name == "screen_changes":
            return item[0]  # type: ignore[index]
        return item.t_ns  # type: ignore[attr-defined]

    pos = dict.fromkeys(adders, 0)
    out = []
    while any(pos[n] < len(session[n]) for n in adders):
        for name, add in adders.items():
            items = session[name]
            take = cuts.draw(st.integers(0, 6))
            add(items[pos[name] : pos[name] + take])
            pos[name] = min(len(items), pos[name] + take)
        pending = [t_of(n, session[n][pos[n]]) for n in adders if pos[n] < len(session[n])]
        mark = (
            min(pending)
            if pending
            else max([t_of(n, session[n][-1]) for n in adders if session[n]], default=0)
            + cuts.draw(st.integers(0, 10_000)) * MS
        )
        out.extend(live.advance(mark))
    out.extend(live.flush())
    return out


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
@given(session=sessions(), cuts=st.data())
def test_live_equals_batch_for_any_chunking(session: dict, cuts: st.DataObject) -> None:
    batch = segment(**session, rules=RULES)
    assert feed_in_chunks(session, cuts) == batch
    assert [s.index for s in batch] == list(range(len(batch)))
    assert all(a.t_start <= b.t_start for a, b in pairwise(batch))


def test_live_emits_a_step_once_nothing_can_change_it():
    live = LiveSegmenter()
    s = Script().click(100, 100)
    live.add_events(s.events)
    assert live.advance(s.t + 100 * MS) == []  # a second click could still come
    (step,) = live.advance(s.t + 4000 * MS)  # and the screen has had time to settle
    assert step.action.type == "click" and step.decision_reason == "first"
    assert live.flush() == []
    assert live.steps == [step]


def test_live_emits_typing_before_the_recording_ends():
    live = LiveSegmenter()
    s = Script().type("hi").key("Return").glide(0, 0, 50, 50)
    live.add_events(s.events)
    out = live.advance(s.t + 1000 * MS)
    assert [st.action.type for st in out] == ["type"]  # Return's after frame still open


def test_input_older_than_the_watermark_is_refused():
    live = LiveSegmenter()
    live.advance(1000 * MS)
    with pytest.raises(LateInputError, match="advance with a larger delay"):
        live.add_events(Script().click(1, 1).events)
    with pytest.raises(LateInputError):
        live.add_screen_changes([(5, 0.1)])


def test_events_out_of_order_are_refused():
    live = LiveSegmenter()
    events = Script().click(1, 1).events
    with pytest.raises(LateInputError, match="older"):
        live.add_events([events[1], events[0]])


def test_nothing_is_fed_after_flush():
    live = LiveSegmenter()
    live.flush()
    with pytest.raises(LateInputError, match="flushed"):
        live.add_events(Script().click(1, 1).events)


def advance_by_steps(session: dict, every_ms: int, until_ms: int) -> list:
    live = LiveSegmenter(RULES)
    live.add_frames(session["frames"])
    live.add_screen_changes(session["screen_changes"])
    live.add_events(session["events"])
    out = []
    for t in range(0, until_ms, every_ms):
        out.extend(live.advance(t * MS))
    return out + live.flush()


def test_a_pending_hover_holds_back_the_step_before_it():
    s = Script().at(1000).click(500, 500, gap_ms=0).at(1300).glide(500, 500, 900, 300, steps=5)
    rest = s.t // MS
    s.at(5000).click(100, 700, gap_ms=0)
    changes = [(t * MS, 0.001) for t in (1100, 1400, rest - 100, rest + 100)]
    changes.append(((rest + 200) * MS, 0.05))  # the menu opens under the resting pointer
    frames = [(0, 0)] + [(t // MS, t) for t, _ in changes]
    session = {"events": s.events, "frames": frames, "screen_changes": changes}
    batch = segment(**session, rules=RULES)
    assert [st.action.type for st in batch] == ["click", "move", "click"]
    assert batch[0].after_frame == batch[1].before_frame == rest - 100
    assert advance_by_steps(session, 100, 7000) == batch


def test_an_open_typing_run_holds_back_the_step_before_it():
    s = Script().at(1000).click(500, 500, gap_ms=0).at(1300).type("a long sentence", gap_ms=250)
    changes = [(e.t_ns + 30 * MS, 0.001) for e in s.events if e.kind == "key_down"]
    changes.insert(0, (1100 * MS, 0.3))
    frames = [(0, 0)] + [(t // MS, t) for t, _ in changes]
    session = {"events": s.events, "frames": frames, "screen_changes": changes}
    batch = segment(**session, rules=RULES)
    assert batch[0].after_frame == 1100
    assert advance_by_steps(session, 100, 7000) == batch
