"""The pages of a list: `paginate` for a list read from the database (Flask-SQLAlchemy's pagination, its count
capped), `ListPage` for a list already in memory (a ranking, a scored search), both shaped alike so that the
one pagination macro (templates/macros/pagination.html) serves them."""

from dataclasses import dataclass
from math import ceil
from typing import Any

from flask import current_app, request
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import lazyload

from portal.extensions import db

# Lists are counted up to LIST_COUNT_CAP rows (2,000 unless configured): past it the page says « plus de 2 000
# résultats » and offers the first 2,000 rows' pages. Counting 50,000 young people or 20,000 companies to print
# their number cost as much as the page itself (bench/RESULTS.md); nobody pages that far, filters are there for it.
DEFAULT_COUNT_CAP = 2000


class CappedPagination(SelectPagination):
    """db.paginate's page whose count reads at most `cap` + 1 rows; `capped` when there are more."""

    def _query_count(self) -> int:
        cap = self._query_args["cap"]
        stmt = self._query_args["select"].options(lazyload("*")).order_by(None).limit(cap + 1).subquery()
        return self._query_args["session"].execute(select(func.count()).select_from(stmt)).scalar() or 0

    @property
    def cap(self) -> int:
        return self._query_args["cap"]

    @property
    def capped(self) -> bool:
        return self.total > self.cap

    @property
    def pages(self) -> int:
        return min(super().pages, ceil(self._query_args["cap"] / self.per_page)) if self.per_page else 0


def paginate(stmt: Select, *, per_page: int, page: int | None = None) -> CappedPagination:
    """The page asked for in the URL (`?page=`, or `page`) of `stmt`'s rows; a bad number gives the first page,
    a number past the end an empty page, as db.paginate with error_out=False."""
    cap = current_app.config.get("LIST_COUNT_CAP", DEFAULT_COUNT_CAP)
    if page is None:
        page = request.args.get("page", 1, type=int)
    # past the counted pages every page is empty: a huge number (?page=99999999999999999999) would otherwise
    # reach the database as an OFFSET it cannot hold (an error 500 on SQLite and PostgreSQL alike)
    page = min(page, ceil(cap / per_page) + 1)
    return CappedPagination(select=stmt, session=db.session(), page=page, per_page=per_page, max_per_page=100,
                            error_out=False, count=True, cap=cap)


@dataclass
class ListPage:
    items: list[Any]
    page: int
    per_page: int
    total: int
    capped = False  # every row is in memory: the count is exact

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
