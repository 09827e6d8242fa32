"""What the API answers: the components of /api/v1/openapi.json, now declared as pydantic models in
views/api/answers/ (extra="forbid"; the tests validate every answer against them). This module keeps the
names the views import: `ref`, `items_of`, `SCHEMAS`, `SEARCH_RESULTS`.
"""
from __future__ import annotations

from .answers import SCHEMAS, SEARCH_RESULTS, items_of, ref

__all__ = ["SCHEMAS", "SEARCH_RESULTS", "items_of", "ref"]
