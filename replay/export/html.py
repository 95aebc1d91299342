"""An HTML report per trajectory: one self-contained file a reviewer can send to anyone.

Each step shows its before frame with the action drawn on it, the note, the
outcome and the reviewers' comments; the top shows the task, the verdicts and
the rubric. Images are inlined as JPEG data URIs, scaled down, so the file
needs nothing beside it. One trajectory writes one file at ``out``; several
write a directory with ``<session id>.html`` each.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape
from pathlib import Path

import cv2
import numpy as np

from capture.segment import Step
from replay.agreement import agreement
from replay.describe import describe_action
from replay.drawing import Projection, draw_action, scaled
from replay.export.registry import ExportOptions, Progress
from replay.review import comments_by_step, rubric_line
from replay.trajectory import Trajectory, TrajectorySource

# Longest edge of a step's picture unless --max-size says otherwise.
REPORT_IMAGE_EDGE = 960
JPEG_QUALITY = 82

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:0;
  color:#1d2329;background:#f3f4f6}
header{background:#1f2937;color:#f9fafb;padding:18px 28px}
header h1{margin:0 0 6px;font-size:20px}
header .meta{color:#cbd5e1;font-size:13px}
main{max-width:1080px;margin:0 auto;padding:18px 24px}
section.reviews,article.step{background:#fff;border:1px solid #e5e7eb;border-radius:8px;
  margin:14px 0;padding:14px 18px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f3;vertical-align:top}
th{font-weight:600;color:#4b5563;font-size:12px;text-transform:uppercase}
.verdict{font-weight:600;padding:1px 8px;border-radius:10px;font-size:12px;white-space:nowrap}
.accept{background:#dcfce7;color:#166534}.needs_changes{background:#fef3c7;color:#92400e}
.reject{background:#fee2e2;color:#991b1b}
.step h2{font-size:15px;margin:0 0 8px}
.step h2 .idx{display:inline-block;min-width:28px;color:#6b7280}
.step img{max-width:100%;border:1px solid #d1d5db;border-radius:4px}
.facts{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}
.tag{background:#eef2ff;color:#3730a3;border-radius:10px;padding:1px 8px;font-size:12px}
.tag.failure,.tag.mistake,.tag.redundant{background:#fee2e2;color:#991b1b}
.tag.success{background:#dcfce7;color:#166534}.tag.partial{background:#fef3c7;color:#92400e}
.note{border-left:3px solid #6366f1;padding:4px 10px;margin:8px 0;background:#f8fafc}
.note.empty{color:#9ca3af;border-color:#d1d5db}
.comment{border-left:3px solid #f59e0b;padding:4px 10px;margin:6px 0;background:#fffbeb}
.who{color:#6b7280;font-size:12px}
"""


def _data_uri(rgb: np.ndarray) -> str:
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
    )
    if not ok:  # pragma: no cover - OpenCV encodes any uint8 RGB image
        raise ValueError("cannot encode a frame as JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(data.tobytes()).decode("ascii")


def step_picture(source: TrajectorySource, step: Step, edge: int) -> str | None:
    """The step's before frame, scaled, with its action drawn on it, as a data URI."""
    traj = source.trajectory
    info = traj.frame(step.before_frame)
    if info is None:
        return None
    img = scaled(source.frames.rgb(info.hash), edge)
    draw_action(img, step.action, Projection.of(info.left, info.top, info.width, info.height, img))
    return _data_uri(img)


def _reviews_html(traj: Trajectory) -> str:
    if not traj.reviews:
        return '<section class="reviews"><h2>Reviews</h2><p>Not reviewed yet.</p></section>'
    rows = []
    for r in traj.reviews:
        overall = "".join(
            f"<div>{escape(c.text)}</div>" for c in r.comments if c.step_index is None
        )
        redundant = ", ".join(str(i) for i in r.redundant_steps)
        rows.append(
            "<tr>"
            f"<td>{escape(r.created_at[:16].replace('T', ' '))}</td>"
            f"<td>{escape(r.reviewer)}</td>"
            f'<td><span class="verdict {escape(r.verdict)}">'
            f"{escape(r.verdict.replace('_', ' '))}</span></td>"
            f"<td>{escape(rubric_line(r)) or '—'}"
            + (f"<div class='who'>redundant steps: {redundant}</div>" if redundant else "")
            + "</td>"
            f"<td>{escape(r.reason)}{overall}</td>"
            "</tr>"
        )
    agreed = agreement(traj.reviews)
    summary = ""
    if agreed.reviewers >= 2 and agreed.verdict_agreement is not None:
        summary = (
            f"<p>{agreed.reviewers} reviewers; their verdicts agree on "
            f"{agreed.verdict_agreement:.0%} of pairs.</p>"
        )
    return (
        '<section class="reviews"><h2>Reviews</h2><table>'
        "<tr><th>When</th><th>Reviewer</th><th>Verdict</th><th>Rubric</th>"
        "<th>Reason and comments</th></tr>" + "".join(rows) + "</table>" + summary + "</section>"
    )


def _step_html(source: TrajectorySource, step: Step, edge: int, comments: list[str]) -> str:
    t = step.t_start / 1e9
    picture = step_picture(source, step, edge)
    img = (
        f'<img src="{picture}" alt="step {step.index} before the action">'
        if picture
        else "<p class='who'>(no frame)</p>"
    )
    facts = [f'<span class="tag {escape(step.outcome)}">outcome: {escape(step.outcome)}</span>']
    if step.outcome_suggested and step.outcome_suggested != step.outcome:
        facts.append(f'<span class="tag">suggested: {escape(step.outcome_suggested)}</span>')
    if step.decision_point:
        facts.append(
            f'<span class="tag">decision point ({escape(step.decision_reason or "")})</span>'
        )
    facts += [f'<span class="tag {escape(tag)}">{escape(tag)}</span>' for tag in step.tags]
    if step.error_type:
        facts.append(f'<span class="tag mistake">{escape(step.error_type)}</span>')
    window = f" — {escape(step.window.title)}" if step.window and step.window.title else ""
    element = step.element or {}
    if element.get("role"):
        name = f"“{element['name']}” " if element.get("name") else ""
        facts.insert(0, f'<span class="tag">on {escape(name)}({escape(element["role"])})</span>')
    note = (
        f'<div class="note">{escape(step.note)}</div>'
        if step.note
        else '<div class="note empty">no note</div>'
    )
    return (
        f'<article class="step" id="step-{step.index}">'
        f'<h2><span class="idx">{step.index}</span>{escape(step.action.type.replace("_", " "))}: '
        f"{escape(describe_action(step.action.to_json()))}"
        f'<span class="who"> at {t:.2f} s{window}</span></h2>'
        f"{img}"
        f'<div class="facts">{"".join(facts)}</div>'
        f"{note}{''.join(comments)}"
        "</article>"
    )


def report(source: TrajectorySource, edge: int = REPORT_IMAGE_EDGE) -> str:
    """The whole report for one trajectory, as one HTML document."""
    traj = source.trajectory
    by_step = comments_by_step(traj.reviews)
    redundant = {i: r.reviewer for r in traj.reviews for i in r.redundant_steps}
    steps = []
    for step in traj.steps:
        comments = [
            f'<div class="comment">{escape(c.text)}'
            f'<div class="who">{escape(r.reviewer)}, {escape(r.verdict.replace("_", " "))}</div>'
            "</div>"
            for r, c in by_step.get(step.index, [])
        ]
        if step.index in redundant:
            comments.append(
                f'<div class="comment">flagged redundant'
                f'<div class="who">{escape(redundant[step.index])}</div></div>'
            )
        steps.append(_step_html(source, step, edge, comments))
    title = traj.task.instruction or f"session {traj.session_id}"
    meta = " · ".join(
        [
            f"session {traj.session_id}",
            f"by {traj.annotator or 'unknown'}",
            traj.created_at[:19].replace("T", " "),
            f"{traj.duration_s:.1f} s",
            f"{len(traj.steps)} steps",
            f"stage: {traj.stage.replace('_', ' ')}",
        ]
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><div class='meta'>{escape(meta)}</div></header>"
        f"<main>{_reviews_html(traj)}{''.join(steps)}</main></body></html>\n"
    )


class HtmlReport:
    name = "html"
    summary = "a self-contained HTML report per trajectory: frames, actions, notes, reviews"

    def export(
        self,
        sources: Sequence[TrajectorySource],
        out: Path,
        options: ExportOptions,
        progress: Progress,
    ) -> None:
        edge = options.max_size or REPORT_IMAGE_EDGE
        total = sum(len(s.trajectory.steps) for s in sources)
        done = 0
        if len(sources) > 1:
            out.mkdir(parents=True)
        for source in sources:
            path = out if len(sources) == 1 else out / f"{source.trajectory.session_id}.html"
            path.write_text(report(source, edge), encoding="utf-8")
            done += len(source.trajectory.steps)
            progress(done, total)
