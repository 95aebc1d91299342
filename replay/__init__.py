"""Trajectory bundles, playback, re-execution, review and export (no Qt)."""
