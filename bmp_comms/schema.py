"""The API schema says every answer the API gives: drf-spectacular documents the successes a
view declares, and this hook adds the errors DRF answers on every operation, so a client (and
the schema-conformance run of the suite) finds each status it can get listed.

- 400 `{field: [messages]}` where input is read: a body (POST, PUT, PATCH) or query parameters;
- 401 and 403 `{detail}` where a login is needed (every operation but the public ones);
- 404 `{detail}` where a path names an object, a body names related objects by id that may be
  outside the user's scope, or a list is paged (a page past the last is not found);
- 429 `{detail}` where logins are counted (the token endpoint).
"""

from __future__ import annotations

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Messages by field; others under non_field_errors or detail.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object"},
        ]
    },
}
DESCRIPTIONS = {
    "400": "The input was refused; nothing was saved.",
    "401": "No valid login or token.",
    "403": "This role may not do this.",
    "404": "Not found, or outside the user's scope.",
    "429": "Too many attempts: wait and try again.",
}
WRITES = {"post", "put", "patch"}
THROTTLED = ("/api/v1/auth/token/",)


def _response(code: str, schema_ref: str) -> dict:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": schema_ref}}},
    }


def _is_public(operation: dict) -> bool:
    return {} in operation.get("security", [{}])


def error_responses(result, generator, request, public):
    """drf-spectacular's postprocessing hook: add the error answers each operation can give."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", DETAIL)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    detail, fields = "#/components/schemas/ErrorDetail", "#/components/schemas/FieldErrors"
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            reads_input = method in WRITES or any(
                parameter.get("in") == "query" for parameter in operation.get("parameters", [])
            )
            codes = {}
            if reads_input:
                codes["400"] = fields
            if not _is_public(operation):
                codes["401"] = detail
                codes["403"] = detail
            paged = any(
                parameter.get("name") == "page" for parameter in operation.get("parameters", [])
            )
            if "{" in path or method in WRITES or paged:
                codes["404"] = detail
            if path in THROTTLED:
                codes["429"] = detail
            for code, ref in codes.items():
                responses.setdefault(code, _response(code, ref))
    return result
