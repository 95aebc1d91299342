"""The review rubric, the store's reviews and the stage they set, and reviewer agreement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from capture.store.database import Database
from capture.store.reviews import add_review, reviews_of
from replay.agreement import agreement, krippendorff_alpha, set_agreement
from replay.review import ReviewError, check, parse_comment, problems, verdict_name
from replay.store_source import load_trajectory
from replay.trajectory import Review, ReviewComment
from tests.stored import stored_session

STEPS = range(6)


def review(**kw: object) -> Review:
    fields: dict[str, object] = {
        "reviewer": "rita",
        "created_at": "2026-01-01T00:00:00+00:00",
        "verdict": "accept",
        "goal": "achieved",
        "efficiency": 4,
        "error_handling": 5,
        "note_quality": 3,
    }
    fields.update(kw)
    return Review(**fields)  # type: ignore[arg-type]


def test_a_full_accept_is_valid() -> None:
    assert problems(review(), STEPS) == []


def test_accept_needs_the_whole_rubric() -> None:
    found = problems(review(goal=None, note_quality=None), STEPS)
    assert found == ["accept needs the whole rubric; missing: goal, note quality"]


def test_reject_needs_a_reason_and_needs_changes_a_reason_or_comment() -> None:
    assert problems(review(verdict="reject", goal=None), STEPS) == ["reject needs a reason"]
    assert problems(review(verdict="reject", reason="off task"), STEPS) == []
    assert problems(review(verdict="needs_changes"), STEPS) == [
        "needs-changes needs a reason or a comment for the annotator"
    ]
    fixed = review(verdict="needs_changes", comments=(ReviewComment(2, "say why"),))
    assert problems(fixed, STEPS) == []


def test_values_out_of_range_and_steps_that_do_not_exist() -> None:
    bad = review(
        verdict="maybe",
        goal="mostly",
        efficiency=0,
        error_handling=6,
        comments=(ReviewComment(9, "where?"), ReviewComment(1, " ")),
        redundant_steps=(7,),
    )
    assert problems(bad, STEPS) == [
        "verdict must be one of accept, needs-changes, reject, not 'maybe'",
        "goal must be one of achieved, partly, not, not 'mostly'",
        "efficiency must be 1..5, not 0",
        "error handling must be 1..5, not 6",
        "comment on step 9: there is no such step",
        "a comment needs some text",
        "redundant step 7: there is no such step",
    ]
    with pytest.raises(ReviewError, match=r"^verdict must be"):
        check(bad, STEPS)


def test_comment_and_verdict_spelling() -> None:
    assert parse_comment("3: too slow ") == ReviewComment(3, "too slow")
    assert parse_comment("*:overall fine") == ReviewComment(None, "overall fine")
    with pytest.raises(ReviewError, match="K:TEXT"):
        parse_comment("no colon")
    with pytest.raises(ReviewError, match="step index"):
        parse_comment("x:text")
    assert verdict_name("Needs-Changes") == "needs_changes"


def test_stage_follows_the_newest_verdict_and_reviews_load_with_the_trajectory(
    db: Database,
) -> None:
    sid = stored_session(db).id
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    add_review(db, sid, reviewer="rita", verdict="needs_changes", comments=[(1, "why?")], when=t0)
    assert load_trajectory(db, sid).stage == "needs_changes"
    add_review(
        db,
        sid,
        reviewer="bob",
        verdict="accept",
        goal="achieved",
        efficiency=5,
        error_handling=4,
        note_quality=4,
        redundant_steps=[3, 2, 3],
        comments=[(None, "good"), (4, "quick")],
        when=t0 + timedelta(hours=1),
    )
    assert load_trajectory(db, sid).stage == "accepted"
    # An older review arriving later (an import) does not overrule the newest verdict.
    add_review(db, sid, reviewer="eve", verdict="reject", reason="no", when=t0 - timedelta(days=1))
    traj = load_trajectory(db, sid)
    assert traj.stage == "accepted"
    assert [r.reviewer for r in traj.reviews] == ["eve", "rita", "bob"]
    bob = traj.reviews[-1]
    assert bob.redundant_steps == (2, 3)
    assert [(c.step_index, c.text) for c in bob.comments] == [(None, "good"), (4, "quick")]
    assert traj.latest_verdict == "accept"
    assert [r["verdict"] for r in reviews_of(db, sid)] == ["reject", "needs_changes", "accept"]


def test_agreement_on_one_trajectory_counts_each_reviewers_newest() -> None:
    reviews = [
        review(reviewer="a", verdict="reject", reason="x", created_at="2026-01-01"),
        review(reviewer="a", efficiency=5, created_at="2026-01-02"),
        review(reviewer="b", efficiency=2, created_at="2026-01-01"),
        review(reviewer="c", verdict="needs_changes", reason="y", efficiency=None),
    ]
    agreed = agreement(reviews)
    assert agreed.reviewers == 3
    assert agreed.verdicts == {"accept": 2, "needs_changes": 1}
    assert agreed.majority == "accept"
    assert agreed.verdict_agreement == pytest.approx(1 / 3)
    assert agreed.scores["efficiency"].spread == 3
    assert agreed.scores["efficiency"].mean == 3.5
    assert agreement([review()]).verdict_agreement is None


def test_krippendorffs_alpha_matches_the_published_example() -> None:
    """Krippendorff (2011), 'Computing Krippendorff's Alpha-Reliability': 4 observers, 12 units."""
    n = None
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3]
    c = [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]
    units = list(zip(a, b, c, d, strict=True))
    assert krippendorff_alpha(units, "nominal") == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(units, "ordinal") == pytest.approx(0.815, abs=5e-4)
    assert krippendorff_alpha([[1, 1], [2, 2]], "ordinal") == 1.0
    assert krippendorff_alpha([[3, 3], [3, 3]], "ordinal") is None  # no variation
    assert krippendorff_alpha([[1], [2, None]]) is None  # nothing pairable


def test_set_agreement_over_trajectories() -> None:
    agree = [
        [review(reviewer="a"), review(reviewer="b")],
        [
            review(reviewer="a", verdict="reject", reason="x", goal="not", efficiency=1),
            review(reviewer="b", verdict="reject", reason="y", goal="not", efficiency=1),
        ],
        [review(reviewer="a")],
    ]
    result = set_agreement(agree)
    assert result.trajectories == 3 and result.reviewed_by_several == 2
    assert result.alpha["verdict"] == 1.0
    assert result.alpha["goal"] == 1.0
    assert result.alpha["efficiency"] == 1.0
    assert result.alpha["error_handling"] is None  # every grade the same: undefined
