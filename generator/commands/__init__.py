"""The commands besides build and serve: `check`, `new` (scaffold) and `schema`."""

from __future__ import annotations
