"""Who and what a piece of advice is for: the partner country, the sector, the programme."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Context:
    """Who and what a piece of advice is for; any part may be unknown."""

    partner: str | None = None
    sector: str | None = None
    programme: str | None = None

    def merged(self, newer: Context) -> Context:
        return Context(
            partner=newer.partner or self.partner,
            sector=newer.sector or self.sector,
            programme=newer.programme or self.programme,
        )

    def as_dict(self) -> dict[str, str | None]:
        return {"partner": self.partner, "sector": self.sector, "programme": self.programme}

    def __bool__(self) -> bool:
        return any((self.partner, self.sector, self.programme))
