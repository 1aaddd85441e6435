"""One shape for every data problem, so the CLI, the pages and the tests all speak the same way."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A problem in one data file: where it is, which field, and what was expected."""

    file: str
    line: int | None  # 1-based line (YAML/CSV physical line) or row number; None when not applicable
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.message}"


class DataError(Exception):
    """Raised when a data file cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
