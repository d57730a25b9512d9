"""Errors with Dutch messages meant for the user (CLI stderr, ``st.error`` on pages)."""

from __future__ import annotations


class CohesieError(Exception):
    """A problem the user can fix; ``str(err)`` is a Dutch message saying what and how."""


class ValidationError(CohesieError, ValueError):
    """Every problem found in one input, collected and reported together.

    Parameters
    ----------
    summary : str
        One line saying what was being checked.
    problems : list of str
        One Dutch line per problem ("rij 14: breedtegraad 951 ligt buiten [-90, 90]").
    """

    def __init__(self, summary: str, problems: list[str] | None = None):
        self.summary = summary
        self.problems = list(problems or [])
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if not self.problems:
            return self.summary
        shown = self.problems[:50]
        more = len(self.problems) - len(shown)
        lines = [self.summary, *("- " + p for p in shown)]
        if more:
            lines.append(f"... en nog {more} problemen")
        return "\n".join(lines)
