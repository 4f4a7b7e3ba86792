"""Dataclasses pickled as the arguments of their constructor.

Python 3.11 gives a frozen dataclass with slots a `__setstate__` that asks
`dataclasses.fields()` for the class's fields again for every object it restores. The build
`explainer build` keeps on disk holds about 90,000 of them at 10,000 quotes (links of the
search page, listed quotes, embeds, share cards and links), and restoring them that way took
a fifth of reading it. Pickled as `(class, values)`, an object is restored by calling the
class; a plain dataclass too is restored faster so than from its `__dict__` (the 57,000
records of the build record: 0.06 s against 0.10).
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def pickled_as_arguments(cls: type[T]) -> type[T]:
    """Make `cls` (a dataclass whose fields are all its constructor's arguments, in order,
    without `__post_init__`) pickle as the class and its fields' values."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(not field.init or field.kw_only for field in fields) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} is not made from its fields' values alone")
    values = field_values(cls)

    def __reduce__(item: T) -> tuple[type[T], tuple[Any, ...]]:
        return cls, values(item)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


def field_values(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the values of the fields of an object of dataclass `cls`, in order,
    without asking `dataclasses.fields` each time."""
    names = [field.name for field in dataclasses.fields(cls)]
    get = operator.attrgetter(*names)
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
        return lambda item: (get(item),)
    return get
