"""Recording engine: clock, screen grabber, input listener, recorder, store.

Nothing here imports Qt, so the engine runs headless, in CI and on servers.
"""
