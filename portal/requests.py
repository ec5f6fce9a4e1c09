"""The request class: user input never carries NUL characters.

No database column can hold U+0000 (PostgreSQL refuses it outright), and no person types it; it is removed
from query and form values at the door, so that no form, search or importer can turn it into a 500.
"""

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

NUL = "\x00"


def _without_nul(data: ImmutableMultiDict) -> ImmutableMultiDict:
    items = list(data.items(multi=True))
    if not any(NUL in key or (isinstance(value, str) and NUL in value) for key, value in items):
        return data
    return ImmutableMultiDict([(key.replace(NUL, ""), value.replace(NUL, "") if isinstance(value, str) else value)
                               for key, value in items])


class CleanRequest(Request):
    @cached_property
    def args(self) -> ImmutableMultiDict:
        return _without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])
