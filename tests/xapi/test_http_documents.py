"""State, Activity Profile, Agent Profile, Activities and Agents over HTTP."""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.xapi.conftest import golden, make_statement

AGENT = json.dumps({"objectType": "Agent", "mbox": "mailto:learner@example.com"})
ACTIVITY = "http://example.com/activities/course-1"
STATE = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark"}


def send(
    client: FlaskClient,
    method: str,
    url: str,
    params: dict,
    headers: dict,
    body: Any = None,
    content_type: str = "application/json",
    **extra: str,
) -> Any:
    data = json.dumps(body) if isinstance(body, dict | list) else body
    return client.open(
        url,
        method=method,
        query_string=params,
        data=data,
        headers=headers | extra,
        content_type=content_type,
    )


def test_state_put_get_post_merge_delete(client: FlaskClient, headers: dict) -> None:
    """Test that a state document can be stored, read with its ETag, merged, listed, deleted."""
    url = "/xapi/activities/state"
    assert send(client, "PUT", url, STATE, headers, {"page": 1, "x": "a"}).status_code == 204
    response = send(client, "GET", url, STATE, headers)
    assert response.json == {"page": 1, "x": "a"}
    assert response.headers["ETag"] == f'"{hashlib.sha1(response.data).hexdigest()}"'
    assert response.headers["Last-Modified"]
    assert send(client, "POST", url, STATE, headers, {"page": 2, "y": "b"}).status_code == 204
    assert send(client, "GET", url, STATE, headers).json == {"page": 2, "x": "a", "y": "b"}
    listing = {k: v for k, v in STATE.items() if k != "stateId"}
    send(client, "PUT", url, listing | {"stateId": "other"}, headers, b"raw", "text/plain")
    assert send(client, "GET", url, listing, headers).json == ["bookmark", "other"]
    assert send(client, "GET", url, listing | {"since": "2999-01-01T00:00:00Z"}, headers).json == []
    assert send(client, "DELETE", url, STATE, headers).status_code == 204
    assert send(client, "GET", url, STATE, headers).status_code == 404
    assert send(client, "DELETE", url, listing, headers).status_code == 204
    assert send(client, "GET", url, listing, headers).json == []


def test_state_registration_scopes_documents(client: FlaskClient, headers: dict) -> None:
    """Test that a registration keeps its own state documents."""
    url = "/xapi/activities/state"
    registration = {"registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7"}
    send(client, "PUT", url, STATE, headers, {"where": "none"})
    send(client, "PUT", url, STATE | registration, headers, {"where": "registered"})
    assert send(client, "GET", url, STATE, headers).json == {"where": "none"}
    assert send(client, "GET", url, STATE | registration, headers).json == {"where": "registered"}
    assert send(client, "GET", url, STATE | {"registration": "x"}, headers).status_code == 400


def test_post_merge_needs_json_objects(client: FlaskClient, headers: dict) -> None:
    """Test that merging into a non-JSON document, or with a non-object, is a 400."""
    url = "/xapi/activities/state"
    send(client, "PUT", url, STATE, headers, b"plain", "text/plain")
    assert send(client, "POST", url, STATE, headers, {"a": 1}).status_code == 400
    send(client, "PUT", url, STATE, headers, {"a": 1})
    assert send(client, "POST", url, STATE, headers, [1, 2]).status_code == 400
    assert send(client, "GET", url, STATE, headers).json == {"a": 1}


def test_document_parameters_are_checked(client: FlaskClient, headers: dict) -> None:
    """Test that missing or malformed parameters answer 400 naming them."""
    url = "/xapi/activities/state"
    response = send(client, "GET", url, {"agent": AGENT}, headers)
    assert response.status_code == 400 and response.json["field"] == "activityId"
    response = send(client, "GET", url, {"activityId": ACTIVITY, "agent": "{}"}, headers)
    assert response.status_code == 400
    response = send(client, "GET", url, STATE | {"profileId": "x"}, headers)
    assert response.status_code == 400 and response.json["field"] == "profileId"


def test_profile_concurrency_rules(client: FlaskClient, headers: dict) -> None:
    """Test that profile writes honour If-None-Match *, If-Match, and 409 without either."""
    url = "/xapi/activities/profile"
    params = {"activityId": ACTIVITY, "profileId": "settings"}
    assert (
        send(client, "PUT", url, params, headers, {"v": 1}, **{"If-None-Match": "*"}).status_code
        == 204
    )
    assert (
        send(client, "PUT", url, params, headers, {"v": 2}, **{"If-None-Match": "*"}).status_code
        == 412
    )
    assert send(client, "PUT", url, params, headers, {"v": 2}).status_code == 409
    etag = send(client, "GET", url, params, headers).headers["ETag"]
    assert (
        send(client, "PUT", url, params, headers, {"v": 2}, **{"If-Match": '"stale"'}).status_code
        == 412
    )
    assert (
        send(client, "PUT", url, params, headers, {"v": 2}, **{"If-Match": etag}).status_code == 204
    )
    assert send(client, "GET", url, params, headers).json == {"v": 2}
    assert send(client, "DELETE", url, params, headers, **{"If-Match": etag}).status_code == 412
    assert send(client, "POST", url, params, headers, {"w": 3}).status_code == 204
    assert send(client, "GET", url, params, headers).json == {"v": 2, "w": 3}
    missing = {"activityId": ACTIVITY, "profileId": "none"}
    assert (
        send(client, "PUT", url, missing, headers, {"v": 1}, **{"If-Match": "*"}).status_code == 412
    )
    # A new profile document is created with If-None-Match: *, never without a precondition.
    response = send(client, "PUT", url, missing, headers, {"v": 1})
    assert response.status_code == 400 and response.json["field"] == "If-None-Match"
    assert send(client, "GET", url, missing, headers).status_code == 404


def test_agent_profile_documents(client: FlaskClient, headers: dict) -> None:
    """Test that agent profile documents are stored, listed, read and deleted."""
    url = "/xapi/agents/profile"
    params = {"agent": AGENT, "profileId": "prefs"}
    assert send(client, "PUT", url, params, headers, {"lang": "fa"}).status_code == 400
    assert (
        send(client, "PUT", url, params, headers, {"lang": "fa"}, **{"If-None-Match": "*"})
    ).status_code == 204
    assert send(client, "GET", url, {"agent": AGENT}, headers).json == ["prefs"]
    assert send(client, "GET", url, params, headers).json == {"lang": "fa"}
    etag = send(client, "GET", url, params, headers).headers["ETag"]
    assert send(client, "DELETE", url, params, headers, **{"If-Match": etag}).status_code == 204
    assert send(client, "GET", url, params, headers).status_code == 404


def test_concurrent_creates_leave_one_document(app: Flask, headers: dict) -> None:
    """Test that two concurrent If-None-Match: * PUTs leave one document and one 412."""
    url = "/xapi/activities/profile"
    params = {"activityId": ACTIVITY, "profileId": "race"}
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def put(value: int) -> None:
        client = app.test_client()
        barrier.wait()
        response = send(client, "PUT", url, params, headers, {"v": value}, **{"If-None-Match": "*"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=put, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [204, 412]


def test_activities_resource_returns_the_canonical_definition(
    client: FlaskClient, headers: dict
) -> None:
    """Test that GET /activities answers the definition merged from statements."""
    statement = golden("long")
    client.post(
        "/xapi/statements",
        data=json.dumps(statement),
        headers=headers,
        content_type="application/json",
    )
    activity_id = statement["object"]["id"]
    response = client.get(
        "/xapi/activities", query_string={"activityId": activity_id}, headers=headers
    )
    assert response.status_code == 200
    assert response.json["definition"]["type"] == "http://adlnet.gov/expapi/activities/meeting"
    unknown = client.get(
        "/xapi/activities", query_string={"activityId": "http://e.com/x"}, headers=headers
    )
    assert unknown.json == {"objectType": "Activity", "id": "http://e.com/x"}


def test_agents_resource_returns_a_person(client: FlaskClient, headers: dict) -> None:
    """Test that GET /agents answers a Person object, and refuses a Group."""
    client.post(
        "/xapi/statements",
        data=json.dumps(make_statement()),
        headers=headers,
        content_type="application/json",
    )
    agent = json.dumps({"name": "Learner", "mbox": "mailto:learner@example.com"})
    response = client.get("/xapi/agents", query_string={"agent": agent}, headers=headers)
    assert response.json == {
        "objectType": "Person",
        "name": ["Learner"],
        "mbox": ["mailto:learner@example.com"],
    }
    group = json.dumps({"objectType": "Group", "mbox": "mailto:team@example.com"})
    assert (
        client.get("/xapi/agents", query_string={"agent": group}, headers=headers).status_code
        == 400
    )
