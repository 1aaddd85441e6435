"""What the importer says about a file: problems (a row or the file was left out) and notices
(something was ignored or left empty, but the row was kept).

A Notice is a Problem with the same FILE:LINE: field: message shape, so every caller can print
both; callers that need to know whether anything was left out use `errors()`.
"""
from __future__ import annotations

from dataclasses import dataclass

from loaders.problems import DataError, Problem

__all__ = ["DataError", "Notice", "Problem", "errors", "notices"]


@dataclass(frozen=True)
class Notice(Problem):
    """Something in the input was not used or left empty; the row itself was kept."""


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not isinstance(p, Notice)]


def notices(problems: list[Problem]) -> list[Notice]:
    return [p for p in problems if isinstance(p, Notice)]
