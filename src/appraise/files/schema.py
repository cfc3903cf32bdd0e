"""JSON Schemas of checklist and appraisal files, for editor completion and validation of YAML."""

from __future__ import annotations

from typing import Any

from appraise import __version__
from appraise.core.appraisal import Appraisal
from appraise.core.checklist import Checklist


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a ``checklist``, ``appraisal`` or ``review`` (review.yaml) file."""
    from pydantic import BaseModel

    from appraise.review.folder import ReviewFile

    models: dict[str, type[BaseModel]] = {"checklist": Checklist, "review": ReviewFile, "appraisal": Appraisal}
    model = models[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://appraise.invalid/schema/{kind}-{__version__}.json"
    schema["title"] = f"appraise {kind} file"
    if kind == "checklist":
        # Questions may name an answer set instead of listing options (resolved when loading).
        question = schema["$defs"]["Question"]["properties"]["options"]
        schema["$defs"]["Question"]["properties"]["options"] = {
            "anyOf": [question, {"type": "string", "description": "The name of an answer set."}],
            "description": question.get("description", "A list of options, or the name of an answer set."),
        }
    return schema
