"""The replay viewer: a trajectory played back with its steps, notes, reviews and grading form."""
