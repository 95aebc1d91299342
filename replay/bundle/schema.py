"""``trajectory.json`` and ``events.jsonl`` to and from the trajectory model, strictly.

Every object must hold exactly the fields docs/bundle.md lists, each of the
right type; errors name the field's path (``steps[3].action.x``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from capture.events import EventKind, Marker, RawEvent, Target, WindowChange
from capture.hotkeys import CONTROL_HOTKEYS
from capture.recording_rules import RecordingRules, RulesError
from capture.segment import EditError, EditRecord, Step
from capture.segment.edits import OPS, RELABEL_FIELDS, baseline_steps
from capture.segment.steps import EVENT_KEYS, LATER_KEYS, STEP_KEYS, StepFormatError
from replay.bundle.errors import BundleError
from replay.bundle.fields import Fields
from replay.review import review_to_json
from replay.trajectory import (
    FrameInfo,
    Monitor,
    Review,
    ReviewComment,
    Screen,
    TaskInfo,
    Trajectory,
)

FORMAT_VERSION = 2
# The values docs/bundle.md allows.
STATUSES = ("finished", "interrupted", "recording")
STAGES = ("draft", "submitted", "accepted", "needs_changes", "rejected")
ORIGINS = ("recorded", "imported", "injected")
VERDICTS = ("accept", "needs_changes", "reject")
GOALS = ("achieved", "partly", "not")
HASH = re.compile(r"[0-9a-f]{32}")

HEADER_KEYS = (
    "format_version",
    "session_id",
    "created_at",
    "duration_s",
    "status",
    "stage",
    "origin",
    "source_session_id",
    "fault",
    "annotator",
    "platform",
    "app_version",
    "timing",
    "screen",
    "task",
    "frames",
    "steps",
    "reviews",
    "extra",
    "rules",
    "edits",
    "context_video",
    "markers",
    "windows",
    "screen_changes",
)
MARKER_KEYS = ("t", "kind", "label")
MARKER_KINDS = ("mark", "pause", "resume", "note", "secret")
WINDOW_KEYS = ("t", "title", "app", "window_id")
CHANGE_KEYS = ("t", "changed")
RULES_KEYS = ("hotkeys", "decision_pause_ms", "decision_screen_change")
EDIT_KEYS = ("who", "when", "op", "args")
VIDEO_KEYS = (
    "file",
    "codec",
    "pix_fmt",
    "width",
    "height",
    "fps",
    "frames",
    "start_s",
    "duration_s",
)
VIDEO_FILE = "context.mp4"
TIMING_KEYS = ("fps", "double_click_ms", "double_click_px")
SCREEN_KEYS = ("left", "top", "width", "height", "scale", "monitors")
MONITOR_KEYS = ("left", "top", "width", "height", "primary")
TASK_KEYS = (
    "id",
    "instruction",
    "category",
    "expected_outcome",
    "setup_command",
    "reset_command",
)
FRAME_KEYS = ("hash", "t", "left", "top", "width", "height")
BUNDLE_STEP_KEYS = (*STEP_KEYS, *EVENT_KEYS, *LATER_KEYS)
REVIEW_KEYS = (
    "reviewer",
    "created_at",
    "verdict",
    "goal",
    "efficiency",
    "error_handling",
    "note_quality",
    "reason",
    "redundant_steps",
    "comments",
)
COMMENT_KEYS = ("step_index", "text", "resolved", "created_at")
EVENT_KEYS_JSON = (
    "seq",
    "t",
    "kind",
    "x",
    "y",
    "button",
    "dx",
    "dy",
    "key",
    "char",
    "modifiers",
    "synthetic",
    "window",
    "element",
)


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """``context_video`` of the header: what ``context.mp4`` holds (docs/bundle.md)."""

    file: str
    codec: str
    pix_fmt: str
    width: int
    height: int
    fps: float
    frames: int
    start_s: float
    duration_s: float


def seconds(t_ns: int) -> float:
    return round(t_ns / 1e9, 9)


def nanoseconds(t: float) -> int:
    return round(t * 1e9)


# ---- writing -------------------------------------------------------------


def trajectory_json(
    traj: Trajectory, names: Mapping[str, str], video: VideoInfo | None = None
) -> dict[str, Any]:
    """The document for ``traj``; ``names`` maps its frame refs to the bundle's frame hashes;
    ``video`` describes ``context.mp4`` when the bundle has one."""
    frames: dict[str, dict[str, Any]] = {}
    for ref, info in traj.frames.items():
        name = names[ref]
        if name not in frames:
            frames[name] = {
                "hash": name,
                "t": seconds(info.t_ns),
                "left": info.left,
                "top": info.top,
                "width": info.width,
                "height": info.height,
            }
    s = traj.screen
    return {
        "format_version": FORMAT_VERSION,
        "session_id": traj.session_id,
        "created_at": traj.created_at,
        "duration_s": traj.duration_s,
        "status": traj.status,
        "stage": traj.stage,
        "origin": traj.origin,
        "source_session_id": traj.source_session_id,
        "fault": None if traj.fault is None else dict(traj.fault),
        "annotator": traj.annotator,
        "platform": traj.platform,
        "app_version": traj.app_version,
        "timing": {
            "fps": traj.fps,
            "double_click_ms": traj.double_click_ms,
            "double_click_px": traj.double_click_px,
        },
        "screen": {
            "left": s.left,
            "top": s.top,
            "width": s.width,
            "height": s.height,
            "scale": s.scale,
            "monitors": [
                {
                    "left": m.left,
                    "top": m.top,
                    "width": m.width,
                    "height": m.height,
                    "primary": m.primary,
                }
                for m in s.monitors
            ],
        },
        "task": {
            "id": traj.task.id,
            "instruction": traj.task.instruction,
            "category": traj.task.category,
            "expected_outcome": traj.task.expected_outcome,
            "setup_command": traj.task.setup_command,
            "reset_command": traj.task.reset_command,
        },
        "frames": list(frames.values()),
        "steps": [step_json(step, names) for step in traj.steps],
        "reviews": [review_json(r) for r in traj.reviews],
        "extra": dict(traj.extra),
        "rules": None if traj.rules is None else rules_json(traj.rules),
        "edits": [edit_json(edit, names) for edit in traj.edits],
        "context_video": None if video is None else video_json(video),
        "markers": [{"t": seconds(m.t_ns), "kind": m.kind, "label": m.label} for m in traj.markers],
        "windows": [
            {"t": seconds(w.t_ns), "title": w.title, "app": w.app, "window_id": w.window_id}
            for w in traj.windows
        ],
        "screen_changes": [{"t": seconds(t), "changed": c} for t, c in traj.screen_changes],
    }


def edit_json(edit: EditRecord, names: Mapping[str, str]) -> dict[str, Any]:
    """An edit of the trail; a baseline's steps are written as ``steps[]`` writes them."""
    out = edit.to_json()
    if edit.op == "baseline":
        out["args"] = {
            "steps": [step_json(step, names) for step in baseline_steps(edit.args)],
        }
    return out


def rules_json(rules: Mapping[str, Any]) -> dict[str, Any]:
    """The rules spelled out in full (every control hotkey, both thresholds)."""
    return RecordingRules.from_json(rules).to_json()


def video_json(video: VideoInfo) -> dict[str, Any]:
    return {key: getattr(video, key) for key in VIDEO_KEYS}


def step_json(step: Step, names: Mapping[str, str]) -> dict[str, Any]:
    out = step.to_json(with_events=True)
    out["t_start"] = seconds(step.t_start)
    out["t_end"] = seconds(step.t_end)
    for key in ("before_frame", "after_frame"):
        ref = out[key]
        out[key] = None if ref is None else names[str(ref)]
    return out


def review_json(review: Review) -> dict[str, Any]:
    """A review as the bundle keeps it: the same object ``demotrace reviews --json`` prints."""
    return review_to_json(review)


def event_json(event: RawEvent, target: Target | None = None) -> dict[str, Any]:
    """One line of events.jsonl; ``target``: where the event landed, when it was looked up."""
    return {
        "seq": event.seq,
        "t": seconds(event.t_ns),
        "kind": str(event.kind),
        "x": event.x,
        "y": event.y,
        "button": event.button,
        "dx": event.dx,
        "dy": event.dy,
        "key": event.key,
        "char": event.char,
        "modifiers": sorted(event.modifiers),
        "synthetic": event.synthetic,
        "window": None if target is None or target.window is None else dict(target.window),
        "element": None if target is None or target.element is None else dict(target.element),
    }


# ---- reading -------------------------------------------------------------


def frame_hash_ok(name: Any) -> bool:
    return isinstance(name, str) and HASH.fullmatch(name) is not None


def read_trajectory(data: dict[str, Any]) -> Trajectory:
    """A version-``FORMAT_VERSION`` document as a Trajectory (frame refs are bundle hashes)."""
    top = Fields(data, HEADER_KEYS, "")
    timing = top.child("timing", TIMING_KEYS)
    scr = top.child("screen", SCREEN_KEYS)
    monitors = []
    for i, m in enumerate(scr.items("monitors")):
        mf = Fields(m, MONITOR_KEYS, f"screen.monitors[{i}]")
        monitors.append(
            Monitor(
                mf.integer("left"),
                mf.integer("top"),
                mf.integer("width", 1),
                mf.integer("height", 1),
                mf.flag("primary"),
            )
        )
    screen = Screen(
        scr.integer("left"),
        scr.integer("top"),
        scr.integer("width", 1),
        scr.integer("height", 1),
        scr.number("scale"),
        tuple(monitors),
    )
    tf = top.child("task", TASK_KEYS)
    task = TaskInfo(
        instruction=tf.text("instruction"),
        id=tf.opt_str("id"),
        category=tf.text("category"),
        expected_outcome=tf.text("expected_outcome"),
        setup_command=tf.text("setup_command"),
        reset_command=tf.text("reset_command"),
    )
    frames: dict[str, FrameInfo] = {}
    for i, f in enumerate(top.items("frames")):
        ff = Fields(f, FRAME_KEYS, f"frames[{i}]")
        name = ff.text("hash")
        if not frame_hash_ok(name):
            raise BundleError(f"frames[{i}].hash must be 32 lowercase hex digits, got {name!r:.60}")
        if name in frames:
            raise BundleError(f"frames[{i}]: frame {name} is listed twice")
        frames[name] = FrameInfo(
            name,
            nanoseconds(ff.number("t")),
            ff.integer("left"),
            ff.integer("top"),
            ff.integer("width", 1),
            ff.integer("height", 1),
        )
    steps = tuple(read_step(s, i, frames) for i, s in enumerate(top.items("steps")))
    edits = tuple(read_edit(e, i, frames) for i, e in enumerate(top.items("edits")))
    reviews = tuple(read_review(r, i) for i, r in enumerate(top.items("reviews")))
    return Trajectory(
        session_id=_session_id(top.text("session_id")),
        task=task,
        created_at=top.instant("created_at"),
        duration_s=top.number("duration_s"),
        screen=screen,
        platform=top.text("platform"),
        app_version=top.text("app_version"),
        annotator=top.text("annotator"),
        fps=timing.number("fps"),
        double_click_ms=timing.integer("double_click_ms", 0),
        double_click_px=timing.integer("double_click_px", 0),
        steps=steps,
        frames=frames,
        reviews=reviews,
        status=str(top.choice("status", STATUSES)),
        stage=str(top.choice("stage", STAGES)),
        origin=str(top.choice("origin", ORIGINS)),
        source_session_id=top.opt_str("source_session_id"),
        fault=top.opt_obj("fault"),
        extra=top.obj("extra"),
        rules=read_rules(top.opt_obj("rules")),
        edits=edits,
        markers=read_markers(top.items("markers")),
        windows=read_windows(top.items("windows")),
        screen_changes=read_screen_changes(top.items("screen_changes")),
    )


def _in_order(times: list[int], name: str) -> None:
    for i in range(1, len(times)):
        if times[i] < times[i - 1]:
            raise BundleError(f"{name}[{i}].t is earlier than {name}[{i - 1}].t")


def read_markers(items: list[Any]) -> tuple[Marker, ...]:
    out = []
    for i, data in enumerate(items):
        mf = Fields(data, MARKER_KEYS, f"markers[{i}]")
        t = nanoseconds(mf.number("t"))
        out.append(Marker(t, str(mf.choice("kind", MARKER_KINDS)), mf.text("label")))
    _in_order([m.t_ns for m in out], "markers")
    return tuple(out)


def read_windows(items: list[Any]) -> tuple[WindowChange, ...]:
    out = []
    for i, data in enumerate(items):
        wf = Fields(data, WINDOW_KEYS, f"windows[{i}]")
        t = nanoseconds(wf.number("t"))
        out.append(WindowChange(t, wf.text("title"), wf.text("app"), wf.integer("window_id", 0)))
    _in_order([w.t_ns for w in out], "windows")
    return tuple(out)


def read_screen_changes(items: list[Any]) -> tuple[tuple[int, float], ...]:
    out = []
    for i, data in enumerate(items):
        cf = Fields(data, CHANGE_KEYS, f"screen_changes[{i}]")
        changed = cf.number("changed")
        if not 0 <= changed <= 1:
            raise BundleError(f"screen_changes[{i}].changed must be 0..1, got {changed}")
        out.append((nanoseconds(cf.number("t")), changed))
    _in_order([t for t, _ in out], "screen_changes")
    return tuple(out)


def read_rules(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    rf = Fields(data, RULES_KEYS, "rules")
    names = tuple(h.name for h in CONTROL_HOTKEYS)
    hf = rf.child("hotkeys", names)
    for name in names:
        hf.text(name)
    pause = rf.opt_int("decision_pause_ms")
    change = None if data["decision_screen_change"] is None else rf.number("decision_screen_change")
    try:
        rules = RecordingRules.from_json(
            {
                "hotkeys": {name: data["hotkeys"][name] for name in names},
                "decision_pause_ms": pause,
                "decision_screen_change": change,
            }
        )
    except RulesError as exc:
        raise BundleError(f"rules: {exc}") from None
    return rules.to_json()


# Each edit's arguments (capture/segment/edits.py): required, then optional.
EDIT_ARGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "merge": (("index",), ("action",)),
    "split": (("index", "at_seq"), ()),
    "delete": (("index",), ()),
    "reorder": (("index", "to"), ()),
    "relabel": (("index", "fields"), ()),
    "baseline": (("steps",), ()),
}


def read_edit(data: Any, i: int, frames: Mapping[str, FrameInfo]) -> EditRecord:
    path = f"edits[{i}]"
    ef = Fields(data, EDIT_KEYS, path)
    ef.text("who"), ef.obj("args")
    op = str(ef.choice("op", OPS))
    required, optional = EDIT_ARGS[op]
    args = data["args"]
    present = tuple(k for k in (*required, *optional) if k in args or k in required)
    af = Fields(args, present, f"{path}.args")
    for key in ("index", "at_seq", "to"):
        if key in present:
            af.integer(key, 0)
    if op == "merge" and "action" in args:
        af.obj("action")
    if op == "relabel":
        unknown = sorted(set(af.obj("fields")) - RELABEL_FIELDS)
        if unknown:
            raise BundleError(f"{path}.args.fields: {unknown[0]!r} cannot be relabelled")
    if op == "baseline":
        steps = [
            read_step(step, j, frames, f"{path}.args.steps[{j}]").to_json(with_events=True)
            for j, step in enumerate(af.items("steps"))
        ]
        data = {**data, "args": {"steps": steps}}
    if datetime.fromisoformat(ef.instant("when")).tzinfo is None:
        raise BundleError(f"{path}.when must carry a UTC offset, got {data['when']!r:.60}")
    try:
        return EditRecord.from_json(data)
    except (EditError, TypeError, ValueError) as exc:
        raise BundleError(f"{path}: {exc}") from None


def read_video(data: dict[str, Any]) -> VideoInfo | None:
    """``context_video`` of a current-version document, checked field by field."""
    value = data.get("context_video")
    if value is None:
        return None
    vf = Fields(value, VIDEO_KEYS, "context_video")
    if vf.text("file") != VIDEO_FILE:
        raise BundleError(f"context_video.file must be {VIDEO_FILE!r}, got {value['file']!r:.60}")
    width, height = vf.integer("width", 2), vf.integer("height", 2)
    if width % 2 or height % 2:
        raise BundleError(f"context_video is {width}x{height}; both sides must be even")
    fps = vf.number("fps")
    if fps <= 0:
        raise BundleError(f"context_video.fps must be above 0, got {fps}")
    start, duration = vf.number("start_s"), vf.number("duration_s")
    if start < 0 or duration < 0:
        raise BundleError("context_video.start_s and duration_s must not be negative")
    return VideoInfo(
        VIDEO_FILE,
        vf.text("codec"),
        vf.text("pix_fmt"),
        width,
        height,
        fps,
        vf.integer("frames", 1),
        start,
        duration,
    )


def _session_id(value: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z_-]{1,32}", value):
        raise BundleError(f"session_id must be 1-32 letters, digits, - or _, got {value!r:.60}")
    return value


def read_step(data: Any, i: int, frames: Mapping[str, FrameInfo], path: str | None = None) -> Step:
    path = path or f"steps[{i}]"
    sf = Fields(data, BUNDLE_STEP_KEYS, path)
    if sf.integer("index") != i:
        raise BundleError(f"{path}.index must be {i}, got {data['index']!r}")
    sf.number("t_start"), sf.number("t_end"), sf.opt_int("first_seq"), sf.opt_int("last_seq")
    sf.flag("decision_point"), sf.opt_str("decision_reason"), sf.text("note")
    sf.text("draft_note"), sf.text("outcome"), sf.strings("tags"), sf.strings("comments")
    sf.opt_str("outcome_suggested"), sf.text("outcome_reason"), sf.opt_str("error_type")
    sf.opt_obj("element"), sf.opt_obj("fault"), sf.obj("action")
    for key in ("before_frame", "after_frame"):
        ref = sf.opt_str(key)
        if ref is not None and ref not in frames:
            raise BundleError(f"{path}.{key} names frame {ref!r:.60}, which frames does not list")
    window = sf.opt_obj("window")
    if window is not None:
        wf = Fields(window, ("title", "app"), f"{path}.window")
        wf.text("title"), wf.text("app")
    doc = dict(data)
    doc["t_start"] = nanoseconds(sf.number("t_start"))
    doc["t_end"] = nanoseconds(sf.number("t_end"))
    try:
        return Step.from_json(doc)
    except (StepFormatError, TypeError, ValueError, KeyError, IndexError) as exc:
        raise BundleError(f"{path}: {exc}") from None


def read_review(data: Any, i: int) -> Review:
    path = f"reviews[{i}]"
    rf = Fields(data, REVIEW_KEYS, path)
    redundant = rf.items("redundant_steps")
    if any(isinstance(x, bool) or not isinstance(x, int) for x in redundant):
        raise BundleError(f"{path}.redundant_steps must be a list of integers")
    comments = []
    for j, c in enumerate(rf.items("comments")):
        cf = Fields(c, COMMENT_KEYS, f"{path}.comments[{j}]")
        comments.append(
            ReviewComment(
                cf.opt_int("step_index"),
                cf.text("text"),
                cf.flag("resolved"),
                cf.instant("created_at"),
            )
        )
    return Review(
        reviewer=rf.text("reviewer"),
        created_at=rf.instant("created_at"),
        verdict=str(rf.choice("verdict", VERDICTS)),
        goal=rf.choice("goal", GOALS, optional=True),
        efficiency=_score(rf, "efficiency"),
        error_handling=_score(rf, "error_handling"),
        note_quality=_score(rf, "note_quality"),
        reason=rf.text("reason"),
        redundant_steps=tuple(redundant),
        comments=tuple(comments),
    )


def _score(rf: Fields, key: str) -> int | None:
    value = rf.opt_int(key)
    if value is not None and not 1 <= value <= 5:
        raise BundleError(f"{rf.path}.{key} must be 1..5 or null, got {value}")
    return value


def read_event(data: Any, line: int) -> tuple[RawEvent, Target | None]:
    """The event on ``line`` and where it landed (None: neither window nor element known)."""
    path = f"events.jsonl line {line}"
    ef = Fields(data, EVENT_KEYS_JSON, path)
    window, element = ef.opt_obj("window"), ef.opt_obj("element")
    try:
        kind = EventKind(ef.text("kind"))
    except ValueError:
        raise BundleError(f"{path}: unknown event kind {data['kind']!r:.40}") from None
    event = RawEvent(
        t_ns=nanoseconds(ef.number("t")),
        kind=kind,
        x=ef.opt_int("x"),
        y=ef.opt_int("y"),
        button=ef.opt_str("button"),
        dx=ef.integer("dx"),
        dy=ef.integer("dy"),
        key=ef.opt_str("key"),
        char=ef.opt_str("char"),
        modifiers=frozenset(ef.strings("modifiers")),
        synthetic=ef.flag("synthetic"),
        seq=ef.integer("seq", 0),
    )
    if window is None and element is None:
        return event, None
    return event, Target(event.t_ns, window, element)
