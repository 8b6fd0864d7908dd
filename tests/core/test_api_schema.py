"""OpenAPI at /api/schema/ and its docs at /api/docs/: public, valid, and served from here."""

import re

import pytest
import yaml
from drf_spectacular.validation import validate_schema


@pytest.mark.django_db
def test_schema_is_public_and_valid(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = (
        response.json()
        if response["Content-Type"].endswith("json")
        else yaml.safe_load(response.content)
    )
    validate_schema(schema)  # raises on an invalid OpenAPI document
    paths = schema["paths"]
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/communes/",
        "/api/v1/communes/{id}/",
        "/api/v1/villages/",
        "/api/v1/villages/{id}/",
        "/api/v1/villages/{village_pk}/bluzone-counts/",
        "/api/v1/villages/{village_pk}/bluzone-counts/{date}/",
        "/api/v1/groups/",
        "/api/v1/groups/{id}/",
        "/api/v1/groups/{group_pk}/member-counts/",
        "/api/v1/groups/{group_pk}/member-counts/{date}/",
        "/api/v1/fields/",
        "/api/v1/fields/{code}/",
        "/api/v1/officers/",
        "/api/v1/officers/{id}/",
        "/api/v1/field-assignments/",
        "/api/v1/field-assignments/{id}/",
        "/api/v1/users/",
        "/api/v1/users/{id}/",
    ]:
        assert path in paths, path
    commune = schema["components"]["schemas"]["Commune"]["properties"]
    assert commune["coverage_pct"]["type"] == "number"
    assert commune["coverage_pct"]["nullable"] is True
    date_param = next(
        p
        for p in paths["/api/v1/groups/{group_pk}/member-counts/{date}/"]["patch"]["parameters"]
        if p["name"] == "date"
    )
    assert date_param["schema"] == {"type": "string", "format": "date"}
    assert schema["components"]["schemas"]["User"]["properties"]["password"]["writeOnly"] is True
    # The public page of a bulletin (docs/rules.md#public-channel): null until published.
    assert schema["components"]["schemas"]["Bulletin"]["properties"]["verify_url"] == {
        "type": "string",
        "format": "uri",
        "nullable": True,
        "readOnly": True,
    }


def _external(text: str) -> list[str]:
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^)"']+)""", text)
    flat = [a or b for a, b in urls]
    return [u for u in flat if re.match(r"^(https?:)?//", u)]


@pytest.mark.django_db
def test_docs_are_public_and_use_local_assets_only(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert _external(html) == []
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    script = re.search(r'<script src="([^"]*\?script=[^"]*)"', html)
    assert script, "the Swagger UI set-up is a separate script, as the CSP wants"
    setup = client.get(script.group(1).replace("&amp;", "&"))
    assert setup.status_code == 200
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost|testserver)", setup.content.decode())


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return yaml.safe_load(response.content)


@pytest.mark.django_db
def test_every_operation_lists_the_errors_it_can_answer(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            public = {} in operation.get("security", [{}])
            if not public:
                assert {"401", "403"} <= codes, (method, path)
            if "{" in path or method in {"post", "put", "patch"}:
                assert "404" in codes, (method, path)
            if method in {"post", "put", "patch"}:
                assert "400" in codes, (method, path)
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    paged = schema["paths"]["/api/v1/villages/"]["get"]["responses"]
    assert "404" in paged  # a page past the last


@pytest.mark.django_db
def test_the_schema_says_what_the_answers_hold(schema):
    components = schema["components"]["schemas"]
    posted_url = components["Delivery"]["properties"]["posted_url"]
    assert "format" not in posted_url  # empty until confirmed, so not a URI
    assert components["Report"]["properties"]["issued_on"].get("nullable") is True
    submit = schema["paths"]["/api/v1/deadlines/{id}/submissions/"]["post"]["responses"]
    assert {"200", "201"} <= set(submit)
