"""Segmentation: raw input into steps of the native action vocabulary.

Pure and re-runnable: ``segment`` (batch) and ``LiveSegmenter`` (during
recording) give the same steps for the same inputs; ``apply_edits`` lays the
annotator's edits over them without touching the raw events.
"""

from capture.segment.edits import EditError, EditRecord, apply_edits
from capture.segment.live import LateInputError, LiveSegmenter, segment
from capture.segment.observations import DECISION_REASONS
from capture.segment.rules import OwnWindow, SegmentationRules
from capture.segment.steps import Action, Step, StepFormatError, Window

__all__ = [
    "DECISION_REASONS",
    "Action",
    "EditError",
    "EditRecord",
    "LateInputError",
    "LiveSegmenter",
    "OwnWindow",
    "SegmentationRules",
    "Step",
    "StepFormatError",
    "Window",
    "apply_edits",
    "segment",
]
