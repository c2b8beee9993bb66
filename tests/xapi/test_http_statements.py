"""The Statement resource over HTTP: headers, PUT/POST/GET, filters, paging, formats."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.xapi.conftest import ADL, golden, make_statement, new_id

STATEMENTS = "/xapi/statements"


def post(client: FlaskClient, headers: dict, body: Any) -> Any:
    return client.post(
        STATEMENTS, data=json.dumps(body), headers=headers, content_type="application/json"
    )


def query(client: FlaskClient, headers: dict, **params: Any) -> Any:
    return client.get(STATEMENTS, query_string=params, headers=headers)


def test_about_needs_no_credentials_or_version(client: FlaskClient) -> None:
    """Test that About answers without credentials and names version 1.0.3."""
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert response.json == {"version": ["1.0.3"], "extensions": {}}
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize(
    ("version", "status"),
    [
        ("1.0.3", 200),
        ("1.0", 200),
        ("1.0.9", 200),
        (None, 400),
        ("0.95", 400),
        ("1.1.0", 400),
        ("2.0.0", 400),
    ],
)
def test_version_header_rules(
    client: FlaskClient, headers: dict, version: str | None, status: int
) -> None:
    """Test that 1.0.x version headers are accepted and others refused with 400."""
    headers = dict(headers)
    headers.pop("X-Experience-API-Version")
    if version is not None:
        headers["X-Experience-API-Version"] = version
    response = query(client, headers)
    assert response.status_code == status
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    if status == 400:
        assert response.json["field"] == "X-Experience-API-Version"


def test_credentials_are_required(client: FlaskClient) -> None:
    """Test that a request without or with wrong credentials gets 401."""
    response = query(client, {"X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 401
    assert "Basic" in response.headers["WWW-Authenticate"]
    wrong = {"X-Experience-API-Version": "1.0.3", "Authorization": "Basic d3Jvbmc6d3Jvbmc="}
    assert query(client, wrong).status_code == 401


def test_post_single_and_batch_return_ids(client: FlaskClient, headers: dict) -> None:
    """Test that POST answers the ids in order, for one statement or a batch."""
    given = new_id()
    response = post(client, headers, make_statement(statement_id=given))
    assert response.status_code == 200 and response.json == [given]
    response = post(client, headers, [make_statement(), golden("long"), golden("substatement")])
    assert response.status_code == 200 and len(response.json) == 3
    assert response.json[1] == "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"
    assert response.headers["X-Experience-API-Consistent-Through"]


def test_put_stores_under_statement_id(client: FlaskClient, headers: dict) -> None:
    """Test that PUT stores with the statementId, refuses a different id, and is idempotent."""
    statement_id = new_id()
    url = f"{STATEMENTS}?statementId={statement_id}"
    body = json.dumps(make_statement())
    response = client.put(url, data=body, headers=headers, content_type="application/json")
    assert response.status_code == 204
    response = client.put(url, data=body, headers=headers, content_type="application/json")
    assert response.status_code == 204
    other = json.dumps(make_statement(statement_id=new_id()))
    response = client.put(url, data=other, headers=headers, content_type="application/json")
    assert response.status_code == 400 and response.json["field"] == "id"
    response = client.put(STATEMENTS, data=body, headers=headers, content_type="application/json")
    assert response.status_code == 400 and response.json["field"] == "statementId"


def test_conflicting_resend_is_409(client: FlaskClient, headers: dict) -> None:
    """Test that re-sending an id with other content answers 409 and stores nothing."""
    statement_id = new_id()
    assert post(client, headers, make_statement(statement_id=statement_id)).status_code == 200
    response = post(
        client, headers, [make_statement(), make_statement("completed", statement_id=statement_id)]
    )
    assert response.status_code == 409
    assert len(query(client, headers).json["statements"]) == 1


def test_invalid_batch_is_400_naming_index_and_property(client: FlaskClient, headers: dict) -> None:
    """Test that a bad statement in a batch answers 400 naming it, and nothing is stored."""
    bad = make_statement()
    bad["result"] = {"score": {"scaled": 2}}
    response = post(client, headers, [make_statement(), bad])
    assert response.status_code == 400
    assert response.json["field"] == "statements[1].result.score.scaled"
    assert query(client, headers).json["statements"] == []


def test_malformed_requests_are_400(client: FlaskClient, headers: dict) -> None:
    """Test that bad JSON, a wrong content type and unknown parameters answer 400."""
    response = client.post(
        STATEMENTS, data="{nope", headers=headers, content_type="application/json"
    )
    assert response.status_code == 400
    response = client.post(STATEMENTS, data="x", headers=headers, content_type="text/plain")
    assert response.status_code == 400 and response.json["field"] == "Content-Type"
    assert query(client, headers, colour="blue").status_code == 400
    response = query(client, headers, Verb="http://adlnet.gov/expapi/verbs/completed")
    assert response.status_code == 400 and "case-sensitive" in response.json["error"]


def test_get_single_by_statement_id_and_voided_statement_id(
    client: FlaskClient, headers: dict
) -> None:
    """Test that statementId/voidedStatementId fetch one statement and voided ones leave queries."""
    [target] = post(client, headers, make_statement()).json
    response = query(client, headers, statementId=target)
    assert response.status_code == 200 and response.json["id"] == target
    assert response.headers["Last-Modified"]
    voiding = make_statement("voided", object={"objectType": "StatementRef", "id": target})
    [voiding_id] = post(client, headers, voiding).json
    assert query(client, headers, statementId=target).status_code == 404
    assert query(client, headers, voidedStatementId=target).json["id"] == target
    assert query(client, headers, voidedStatementId=voiding_id).status_code == 404
    ids = [s["id"] for s in query(client, headers).json["statements"]]
    assert ids == [voiding_id]
    both = query(client, headers, statementId=target, voidedStatementId=target)
    assert both.status_code == 400
    assert query(client, headers, statementId=target, limit=1).status_code == 400


def test_filters(client: FlaskClient, headers: dict) -> None:
    """Test that agent, verb, activity, registration and the related_* filters select."""
    registration = str(uuid.uuid4())
    parent = {"contextActivities": {"parent": [{"id": "http://example.com/course"}]}}
    statements = [
        make_statement("attempted", "quiz", email="ann@example.com", registration=registration),
        make_statement("passed", "quiz", email="ann@example.com"),
        make_statement("passed", "quiz", email="bob@example.com", context=parent),
        make_statement(
            "experienced",
            "lesson",
            email="bob@example.com",
            context={"instructor": {"mbox": "mailto:ann@example.com"}},
        ),
    ]
    ids = post(client, headers, statements).json

    def found(**params: Any) -> list[str]:
        response = query(client, headers, **params)
        assert response.status_code == 200, response.json
        return sorted(s["id"] for s in response.json["statements"])

    ann = json.dumps({"mbox": "mailto:ann@example.com"})
    assert found(agent=ann) == sorted(ids[:2])
    assert found(agent=ann, related_agents="true") == sorted([ids[0], ids[1], ids[3]])
    assert found(verb="http://adlnet.gov/expapi/verbs/passed") == sorted(ids[1:3])
    quiz = "https://lms-cx.example.com/xapi/activities/quiz"
    assert found(activity=quiz, verb="http://adlnet.gov/expapi/verbs/passed") == sorted(ids[1:3])
    assert found(activity="http://example.com/course") == []
    assert found(activity="http://example.com/course", related_activities="true") == [ids[2]]
    assert found(registration=registration) == [ids[0]]
    assert query(client, headers, agent="not json").status_code == 400
    assert query(client, headers, registration="nope").status_code == 400


def test_statement_refs_match_the_filters_of_their_targets(
    client: FlaskClient, headers: dict
) -> None:
    """Test that statements targeting a match (recursively) are returned with it."""
    [target] = post(client, headers, make_statement("passed", email="ben@example.com")).json
    confirm = make_statement(
        "http://example.com/confirmed",
        email="andrew@example.com",
        object={"objectType": "StatementRef", "id": target},
    )
    [confirmation] = post(client, headers, confirm).json
    approve = make_statement(
        "http://example.com/approved",
        email="carol@example.com",
        object={"objectType": "StatementRef", "id": confirmation},
    )
    [approval] = post(client, headers, approve).json
    ben = json.dumps({"mbox": "mailto:ben@example.com"})
    response = query(client, headers, agent=ben)
    assert sorted(s["id"] for s in response.json["statements"]) == sorted(
        [target, confirmation, approval]
    )


def test_statement_refs_follow_agent_and_verb_matches_on_either_side(
    client: FlaskClient, headers: dict
) -> None:
    """Test that with agent and verb, refs to the agent's own statements and to statements
    naming the agent as object are returned, and refs to other verbs are not."""
    [own] = post(client, headers, make_statement("passed", email="dana@example.com")).json
    mentor = make_statement(
        "passed",
        email="mentor@example.com",
        object={"objectType": "Agent", "mbox": "mailto:dana@example.com"},
    )
    [about] = post(client, headers, mentor).json
    [other] = post(client, headers, make_statement("failed", email="dana@example.com")).json
    refs = {}
    for name, target in (("own", own), ("about", about), ("other", other)):
        ref = make_statement(
            "http://example.com/noted",
            email="erin@example.com",
            object={"objectType": "StatementRef", "id": target},
        )
        [refs[name]] = post(client, headers, ref).json
    dana = json.dumps({"mbox": "mailto:dana@example.com"})
    response = query(client, headers, agent=dana, verb=ADL + "passed")
    assert sorted(s["id"] for s in response.json["statements"]) == sorted(
        [own, about, refs["own"], refs["about"]]
    )


def test_since_until_ascending(client: FlaskClient, headers: dict) -> None:
    """Test that since is exclusive, until inclusive, and ascending reverses the order."""
    ids = []
    for n in range(3):
        ids += post(client, headers, make_statement(activity=f"a{n}")).json
    stored = [query(client, headers, statementId=i).json["stored"] for i in ids]
    assert [s["id"] for s in query(client, headers).json["statements"]] == ids[::-1]
    assert [s["id"] for s in query(client, headers, ascending="true").json["statements"]] == ids
    assert [
        s["id"]
        for s in query(client, headers, since=stored[0], ascending="true").json["statements"]
    ] == ids[1:]
    assert [
        s["id"]
        for s in query(client, headers, until=stored[1], ascending="true").json["statements"]
    ] == ids[:2]
    assert query(client, headers, since="yesterday").status_code == 400


def test_more_paging_is_stable_while_statements_arrive(client: FlaskClient, headers: dict) -> None:
    """Test that `more` pages neither repeat nor skip when new statements arrive meanwhile."""
    ids = post(client, headers, [make_statement(activity=f"a{n}") for n in range(7)]).json
    seen: list[str] = []
    response = query(client, headers, limit=3)
    while True:
        seen += [s["id"] for s in response.json["statements"]]
        post(client, headers, make_statement(activity="late"))  # arrives between pages
        more = response.json.get("more")
        if not more:
            break
        assert more.startswith("/xapi/statements?")
        response = client.get(more, headers=headers)
        assert response.status_code == 200
    assert seen == ids[::-1]


def test_limit_zero_means_the_server_maximum(
    app: Flask, client: FlaskClient, headers: dict
) -> None:
    """Test that limit=0 returns up to LMS_CX_XAPI_MAX_LIMIT statements per page."""
    app.config["LMS_CX_XAPI_MAX_LIMIT"] = 2
    post(client, headers, [make_statement(activity=f"a{n}") for n in range(3)])
    response = query(client, headers, limit=0)
    assert len(response.json["statements"]) == 2 and "more" in response.json
    assert query(client, headers, limit=-1).status_code == 400


def test_formats_ids_exact_canonical(client: FlaskClient, headers: dict) -> None:
    """Test that ids, exact and canonical formats shape statements (canonical: one language)."""
    statement = golden("long")
    [statement_id] = post(client, headers, statement).json
    exact = query(client, headers, statementId=statement_id).json
    assert exact["object"]["definition"]["name"] == {
        "en-GB": "example meeting",
        "en-US": "example meeting",
    }
    ids = query(client, headers, statementId=statement_id, format="ids").json
    assert ids["verb"] == {"id": "http://adlnet.gov/expapi/verbs/attended"}
    assert "definition" not in ids["object"] and "name" not in ids["actor"]
    assert ids["actor"] == {"objectType": "Group", "mbox": "mailto:teampb@example.com"}
    assert ids["object"] == {"id": statement["object"]["id"]}
    canonical = client.get(
        STATEMENTS,
        query_string={"statementId": statement_id, "format": "canonical"},
        headers=headers | {"Accept-Language": "en-US"},
    ).json
    assert canonical["object"]["definition"]["name"] == {"en-US": "example meeting"}
    assert canonical["verb"]["display"] == {"en-US": "attended"}
    assert query(client, headers, format="full").status_code == 400


def test_alternate_request_syntax(client: FlaskClient, headers: dict) -> None:
    """Test that a form POST with ?method= carries headers, parameters and content."""
    form = {
        "Authorization": headers["Authorization"],
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "content": json.dumps(make_statement()),
        "statementId": new_id(),
    }
    response = client.post(f"{STATEMENTS}?method=PUT", data=form)
    assert response.status_code == 204, response.json
    response = client.post(
        f"{STATEMENTS}?method=GET", data={**form, "content": "", "statementId": form["statementId"]}
    )
    assert response.status_code == 200 and response.json["id"] == form["statementId"]
    response = client.post(f"{STATEMENTS}?method=GET&limit=1", data=form)
    assert response.status_code == 400
    # Without a Content-Type field the content is still a statement's JSON (ADL's suite).
    untyped = {key: value for key, value in form.items() if key != "Content-Type"}
    response = client.post(f"{STATEMENTS}?method=PUT", data={**untyped, "statementId": new_id()})
    assert response.status_code == 204, response.json


def test_every_statement_answer_is_consistent_through(client: FlaskClient, headers: dict) -> None:
    """Test that errors of the Statement resource carry Consistent-Through too (2.1.3)."""
    for response in (
        query(client, headers),
        query(client, headers, statementId=new_id(), verb=ADL + "attended"),
        query(client, headers, statementId=new_id()),
        client.get(STATEMENTS, headers={"X-Experience-API-Version": "1.0.3"}),
    ):
        assert response.status_code in (200, 400, 401, 404)
        assert response.headers["X-Experience-API-Consistent-Through"].endswith("Z")


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("POST", "/xapi/activities", "GET, HEAD"),
        ("PUT", "/xapi/activities", "GET, HEAD"),
        ("POST", "/xapi/agents", "GET, HEAD"),
        ("DELETE", STATEMENTS, "GET, HEAD, PUT, POST"),
        ("PATCH", "/xapi/activities/state", "GET, HEAD, PUT, POST, DELETE"),
        ("POST", "/xapi/about", "GET, HEAD"),
    ],
)
def test_methods_a_resource_lacks_are_405(
    client: FlaskClient, headers: dict, method: str, url: str, allow: str
) -> None:
    """Test that a method a resource lacks is a JSON 405 with Allow and the xAPI headers."""
    response = client.open(url, method=method, headers=headers)
    assert response.status_code == 405 and response.json["field"] == "method"
    assert response.headers["Allow"] == allow
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize("attachments", [{"a": 1}, [1], ["x"], [{"usageType": 3}]])
def test_malformed_attachments_are_400_naming_them(
    client: FlaskClient, headers: dict, attachments: Any
) -> None:
    """Test that attachments of the wrong shape are refused by the validator, not a 500."""
    response = post(client, headers, make_statement(attachments=attachments))
    assert response.status_code == 400
    assert response.json["field"].startswith("attachments")


def test_head_answers_headers_only(client: FlaskClient, headers: dict) -> None:
    """Test that HEAD answers like GET without a body."""
    post(client, headers, make_statement())
    response = client.head(STATEMENTS, headers=headers)
    assert response.status_code == 200 and response.data == b""
    assert response.headers["X-Experience-API-Consistent-Through"]


def test_cors_preflight_and_headers(client: FlaskClient, headers: dict) -> None:
    """Test that browsers get CORS answers, preflight included, without credentials."""
    response = client.options(STATEMENTS, headers={"Origin": "https://content.example"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Experience-API-Version" in response.headers["Access-Control-Allow-Headers"]
    response = query(client, headers | {"Origin": "https://content.example"})
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_lrs_is_csrf_exempt(database_url: str) -> None:
    """Test that the LRS accepts POSTs in an app with CSRF protection switched on."""
    from tests.conftest import make_app
    from tests.xapi.conftest import credential_headers

    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    headers = credential_headers(app, "all")
    response = post(app.test_client(), headers, make_statement())
    assert response.status_code == 200, response.json
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


def test_a_lacking_method_is_405_before_credentials(client: FlaskClient) -> None:
    """Test that a method a resource lacks is a 405 even without credentials (ADL's suite)."""
    for url in (STATEMENTS, "/xapi/activities", "/xapi/agents"):
        response = client.delete(url, headers={"X-Experience-API-Version": "1.0.1"})
        assert response.status_code == 405, url
    # A method the resource has still asks for credentials first.
    assert client.get(STATEMENTS, headers={"X-Experience-API-Version": "1.0.3"}).status_code == 401
