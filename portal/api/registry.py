"""The datasets of the open data API, each registered by the capability that holds its data: the API imports
no capability. A dataset nobody registered is absent: its URLs answer 404, and neither the index nor the
OpenAPI document mentions it."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import abort
from pydantic import BaseModel
from sqlalchemy import Select, func, select

from portal.capabilities import installed
from portal.extensions import db


@dataclass(frozen=True)
class Dataset:
    name: str  # its key in the index, and `Page<Name>` in the OpenAPI document
    item: type[BaseModel]  # the schema of one item
    page: Callable[[int, int], tuple[Sequence[Any], int]]  # (limit, offset) -> (items, total)
    one: Callable[[int], Any] | None = None  # an id -> its item, or None when unknown or not public
    mine: Callable[[Any], Sequence[BaseModel]] | None = None  # a token's user -> its organisation's own items
    mine_item: type[BaseModel] | None = None
    index: dict[str, Callable[[], Any]] = field(default_factory=dict)  # more entries of the index

    @property
    def page_name(self) -> str:
        return "Page" + self.name.capitalize()


DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> None:
    """Called by a capability's registration module, once per dataset it publishes."""
    DATASETS[dataset.name] = dataset


def datasets() -> dict[str, Dataset]:
    """The datasets the app publishes, by name (the one place that reads the registry): those of the
    capabilities the app is built with."""
    return {name: dataset for name, dataset in DATASETS.items() if installed(dataset.page)}


def serves(name: str) -> Callable:
    """The view answers from dataset `name`, given as its first argument (404 when no capability registered it)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(datasets().get(name) or abort(404), *args, **kwargs)

        wrapper.api_dataset = name  # type: ignore[attr-defined]  # read by the OpenAPI document
        return wrapper

    return decorator


def paged(stmt: Select, limit: int, offset: int) -> tuple[list, int]:
    """One page of a query's rows, and how many rows it has in all."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return list(db.session.scalars(stmt.limit(limit).offset(offset))), total
