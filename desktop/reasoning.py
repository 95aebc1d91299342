"""The person's reasoning as text: the live prompt's three answers become one note."""

from __future__ import annotations

# The live prompt's questions, and how each answer starts in the note.
PROMPT_QUESTIONS = (
    ("see", "What do you see?", "I see"),
    ("do", "What will you do next?", "I will"),
    ("why", "Why?", "Because"),
)


def prompt_note(answers: dict[str, str]) -> str:
    """``{"see": ..., "do": ..., "why": ...}`` as one note; empty answers are left out."""
    lines = []
    for key, _question, lead in PROMPT_QUESTIONS:
        text = answers.get(key, "").strip()
        if text:
            lines.append(f"{lead}: {text}")
    return "\n".join(lines)
