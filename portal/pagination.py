"""A page of a list already in memory (a ranking, a scored search), shaped like Flask-SQLAlchemy's
Pagination so that the one pagination macro (templates/macros/pagination.html) serves it too."""

from dataclasses import dataclass
from math import ceil
from typing import Any


@dataclass
class ListPage:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, rows: list[Any], page: int, per_page: int) -> "ListPage":
        """Rows `page` of `rows` (a page past the end shows the last one; a bad number, the first)."""
        last = max(1, ceil(len(rows) / per_page))
        page = min(max(page, 1), last)
        return cls(rows[(page - 1) * per_page:page * per_page], page, per_page, len(rows))

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self, left_edge=1, left_current=2, right_current=2, right_edge=1):
        last = 0
        for num in range(1, self.pages + 1):
            if num <= left_edge or self.page - left_current <= num <= self.page + right_current \
                    or num > self.pages - right_edge:
                if last + 1 != num:
                    yield None
                yield num
                last = num
