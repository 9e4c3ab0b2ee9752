"""What fetching one dataset came to: one line of `make refresh` and one row of the refresh log."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FetchOutcome:
    """One line of `make refresh`: a dataset fetched, unchanged, or failed and why."""

    source: str
    dataset_id: str
    outcome: str
    message: str = ""

    def line(self) -> str:
        text = f"{self.source:<9} {self.dataset_id:<28} {self.outcome}"
        return f"{text}: {self.message}" if self.message else text
