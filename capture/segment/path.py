"""Drag paths: keep the shape, drop the points a straight line already explains."""

from __future__ import annotations

Point = tuple[int, int]


def simplify_path(points: list[Point], tolerance: float) -> list[Point]:
    """Ramer-Douglas-Peucker: the first and last points always stay.

    Points closer than ``tolerance`` pixels to the line between the points kept
    around them are dropped. Consecutive duplicates are dropped first.
    """
    pts: list[Point] = []
    for p in points:
        if not pts or pts[-1] != p:
            pts.append(p)
    if len(pts) == 1:
        return [pts[0], pts[0]]
    if len(pts) == 2:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    tol2 = tolerance * tolerance
    stack = [(0, len(pts) - 1)]
    while stack:
        lo, hi = stack.pop()
        (ax, ay), (bx, by) = pts[lo], pts[hi]
        vx, vy = bx - ax, by - ay
        norm2 = vx * vx + vy * vy
        worst, worst_d2 = -1, tol2
        for i in range(lo + 1, hi):
            px, py = pts[i][0] - ax, pts[i][1] - ay
            if norm2 == 0:
                d2 = float(px * px + py * py)
            else:
                cross = px * vy - py * vx
                d2 = cross * cross / norm2
            if d2 > worst_d2:
                worst, worst_d2 = i, d2
        if worst >= 0:
            keep[worst] = True
            stack.append((lo, worst))
            stack.append((worst, hi))
    return [p for p, k in zip(pts, keep, strict=True) if k]
