"""``demotrace review`` and ``demotrace reviews``: grade a session, and read its grades."""

from __future__ import annotations

import argparse
import getpass
import json
from datetime import UTC, datetime

from desktop.commands.common import add_db, table


def register(sub: argparse._SubParsersAction) -> None:
    from replay.review import GOALS, SCORE_RANGE

    low, high = SCORE_RANGE
    rev = sub.add_parser(
        "review",
        help="grade a session: verdict, goal, scores, comments on steps",
        description="accept needs the whole rubric (goal and the three scores); "
        "reject needs --reason; needs-changes needs --reason or a --comment.",
    )
    rev.add_argument("session", help="session id or a unique prefix of one")
    rev.add_argument("--verdict", required=True, help="accept, needs-changes or reject")
    rev.add_argument("--goal", help="goal completion: " + ", ".join(GOALS))
    for name in ("efficiency", "error-handling", "note-quality"):
        rev.add_argument(f"--{name}", metavar="N", help=f"{name.replace('-', ' ')}, {low}..{high}")
    rev.add_argument(
        "--comment",
        action="append",
        default=[],
        metavar="K:TEXT",
        help="a comment on step K (repeatable); *:TEXT comments on the whole trajectory",
    )
    rev.add_argument(
        "--redundant", action="append", default=[], metavar="K", help="flag step K redundant"
    )
    rev.add_argument("--reason", default="", help="why (required to reject)")
    rev.add_argument("--reviewer", help="who reviews (default: the user's login name)")
    add_db(rev)
    rev.set_defaults(handler=run_review)

    show = sub.add_parser("reviews", help="every review of a session and how far they agree")
    show.add_argument("session", help="session id or a unique prefix of one")
    show.add_argument("--json", action="store_true", help="print JSON")
    add_db(show)
    show.set_defaults(handler=run_reviews)


def _score(name: str, text: str | None) -> int | None:
    from replay.review import SCORE_RANGE, ReviewError

    if text is None:
        return None
    low, high = SCORE_RANGE
    try:
        return int(text)
    except ValueError:
        raise ReviewError(f"--{name} must be a whole number {low}..{high}, not {text!r}") from None


def _step_number(text: str) -> int:
    from replay.review import ReviewError

    try:
        return int(text)
    except ValueError:
        raise ReviewError(f"--redundant takes a step index, not {text!r}") from None


def run_review(args: argparse.Namespace) -> int:
    from capture.store.sessions import resolve_session
    from capture.store.steps import current_steps
    from desktop.compose import open_store
    from replay.review import check, parse_comment, rubric_line, store_review, verdict_name
    from replay.trajectory import Review

    now = datetime.now(UTC)
    review = Review(
        reviewer=args.reviewer if args.reviewer is not None else getpass.getuser(),
        created_at=now.isoformat(),
        verdict=verdict_name(args.verdict),
        goal=args.goal.strip().lower() if args.goal else None,
        efficiency=_score("efficiency", args.efficiency),
        error_handling=_score("error-handling", args.error_handling),
        note_quality=_score("note-quality", args.note_quality),
        reason=args.reason,
        redundant_steps=tuple(_step_number(k) for k in args.redundant),
        comments=tuple(parse_comment(c) for c in args.comment),
    )
    db = open_store(args.db)
    try:
        session_id = resolve_session(db, args.session)
        check(review, (s.index for s in current_steps(db, session_id)))
        store_review(db, session_id, review)
    finally:
        db.close()
    rubric = rubric_line(review)
    print(
        f"reviewed {session_id[:12]}: {review.verdict.replace('_', '-')}"
        + (f" ({rubric})" if rubric else "")
        + (f", {len(review.comments)} comment(s)" if review.comments else "")
    )
    return 0


def run_reviews(args: argparse.Namespace) -> int:
    from capture.store.reviews import reviews_of
    from capture.store.sessions import resolve_session, session_record
    from desktop.compose import open_store
    from replay.agreement import agreement
    from replay.review import review_from_record, review_to_json, rubric_line

    db = open_store(args.db, readonly=True)
    try:
        session_id = resolve_session(db, args.session)
        stage = session_record(db, session_id)["stage"]
        reviews = [review_from_record(r) for r in reviews_of(db, session_id)]
    finally:
        db.close()
    agreed = agreement(reviews)
    if args.json:
        out = {
            "session_id": session_id,
            "stage": stage,
            "reviews": [review_to_json(r) for r in reviews],
            "agreement": agreed.to_json(),
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"session {session_id}: {stage}")
    if not reviews:
        print("no reviews")
        return 0
    rows = [("WHEN", "REVIEWER", "VERDICT", "RUBRIC", "REASON")]
    for r in reviews:
        rows.append(
            (
                r.created_at[:19].replace("T", " "),
                r.reviewer,
                r.verdict.replace("_", "-"),
                rubric_line(r),
                r.reason[:40],
            )
        )
    table(rows)
    for r in reviews:
        for c in r.comments:
            where = "trajectory" if c.step_index is None else f"step {c.step_index}"
            print(f"  {where} ({r.reviewer}): {c.text}")
    if agreed.reviewers >= 2:
        share = agreed.verdict_agreement or 0.0
        spread = ", ".join(
            f"{name.replace('_', ' ')} ±{s.spread}"
            for name, s in agreed.scores.items()
            if s.spread is not None
        )
        print(
            f"agreement: {agreed.reviewers} reviewers, verdicts agree on {share:.0%} of pairs"
            + (f"; score spread {spread}" if spread else "")
        )
    return 0
