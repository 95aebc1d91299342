"""Benchmarks: the recorder measured against baselines on a real X server."""
