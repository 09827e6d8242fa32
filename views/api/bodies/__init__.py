"""The API's request bodies, declared once as pydantic v2 models (see views/api/registry.py for why).

base.py: the base model and field types (limits from the services' constants); errors.py: pydantic's
errors → our translated 422 messages; loading.py: `load_body` and the bodies' JSON Schemas for
/api/v1/openapi.json; accounts.py, records.py, ltc.py: the bodies, by area.
"""
from .base import READ_ONLY, BodyModel
from .errors import InvalidInput
from .loading import body_components, body_json_schema, clean, json_body, load_body, partial_model

__all__ = ["READ_ONLY", "BodyModel", "InvalidInput", "body_components", "body_json_schema", "clean",
           "json_body", "load_body", "partial_model"]
