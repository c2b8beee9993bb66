"""Uploads are limited in size and type, and refused with a message at the field.

The feedback CSV upload is the product's only file field; GIFT and YAML content come from the
command line, not the web. The LRS takes bodies from xAPI clients (statements, attachments,
documents): those are limited in size and refused with a JSON error naming the body.
Each refusal of the CSV upload is shown next to the field ("CSV file"), the field is marked
invalid for screen readers, and nothing is stashed or imported.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
import tinyhtml5

from lms_cx.models import FeedbackItem
from tests import factories
from tests.xapi.conftest import credential_headers

GOOD = b"employee,occurred_at,csat\nA1,2026-01-05 10:00,1\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def _upload(client, data: bytes, filename: str):
    return client.post(
        "/cx/feedback/import",
        data={"file": (io.BytesIO(data), filename), "source": "helpdesk", "encoding": ""},
        content_type="multipart/form-data",
    )


def _field_error(html: str) -> tuple[str, str]:
    """Return the file field's label and the error the field points to (aria-describedby)."""
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    field = root.find(".//input[@name='file']")
    assert field is not None and field.get("aria-invalid") == "true", "field not marked invalid"
    error = root.find(f".//*[@id='{field.get('aria-describedby')}']")
    label = root.find(f".//label[@for='{field.get('id')}']")
    assert error is not None and label is not None
    return "".join(label.itertext()).strip(), "".join(error.itertext()).strip()


@pytest.fixture
def trainer(client, session, login_as):
    agent = factories.employee(session)
    agent.external_id = "A1"
    session.commit()
    return login_as("trainer")


def _items(session) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).select_from(FeedbackItem))


def test_a_file_over_the_limit_is_refused_at_the_field(app, client, session, trainer) -> None:
    """Test that a file one byte over LMS_CX_FEEDBACK_MAX_UPLOAD_BYTES gets 413, at the field."""
    app.config["LMS_CX_FEEDBACK_MAX_UPLOAD_BYTES"] = len(GOOD)
    assert _upload(client, GOOD, "exact.csv").status_code == 200  # the limit itself is fine
    response = _upload(client, GOOD + b"A1,2026-01-06 10:00,2\n", "big.csv")
    assert response.status_code == 413
    label, error = _field_error(response.get_data(as_text=True))
    assert (label, error) == ("CSV file", "The file is too large.")
    assert "/cx/feedback/import/" not in response.get_data(as_text=True)  # nothing to confirm
    assert _items(session) == 0


@pytest.mark.parametrize(
    ("data", "filename"),
    [(PNG, "chart.png"), (GOOD, "feedback.exe"), (GOOD, "feedback.csv.html"), (GOOD, "noname")],
)
def test_a_file_of_another_type_is_refused_at_the_field(
    client, session, trainer, data: bytes, filename: str
) -> None:
    """Test that only .csv, .tsv and .txt files are read; others get 422 at the field."""
    response = _upload(client, data, filename)
    assert response.status_code == 422
    assert _field_error(response.get_data(as_text=True)) == ("CSV file", "Choose a CSV file.")
    assert _items(session) == 0


@pytest.mark.parametrize("filename", ["FEEDBACK.CSV", "export.tsv", "unicode.txt"])
def test_csv_tsv_and_txt_files_are_read(client, trainer, filename: str) -> None:
    """Test the allowed endings, in any case."""
    response = _upload(client, GOOD, filename)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_binary_content_under_a_csv_name_is_refused_with_its_line(client, session, trainer):
    """Test that a picture renamed .csv is refused as unreadable, naming line and encoding."""
    response = _upload(client, PNG, "chart.csv")
    assert response.status_code == 422
    root = tinyhtml5.parse(response.get_data(as_text=True), namespace_html_elements=False)
    cells = ["".join(td.itertext()).strip() for td in root.iterfind(".//table//tbody//td")]
    assert cells[:2] == ["1", "encoding"] and "UTF-8" in cells[2]
    assert _items(session) == 0


STATE = "/xapi/activities/state?" + urlencode(
    {
        "activityId": "https://tool.example.com/activities/a",
        "agent": '{"mbox": "mailto:a@example.com"}',
        "stateId": "bookmark",
    }
)


@pytest.mark.parametrize(
    ("method", "url", "content_type"),
    [
        ("POST", "/xapi/statements", "application/json"),
        ("PUT", STATE, "application/octet-stream"),
        ("POST", "/xapi/statements", "multipart/mixed; boundary=b"),
    ],
)
def test_the_lrs_refuses_a_body_over_its_limit_naming_it(
    app, client, method: str, url: str, content_type: str
) -> None:
    """Test statements, attachments and documents: over LMS_CX_XAPI_MAX_BODY_BYTES is 413
    with a JSON error naming the body; at the limit the request is read as usual."""
    app.config["LMS_CX_XAPI_MAX_BODY_BYTES"] = 1000
    headers = credential_headers(app, "all") | {"Content-Type": content_type}
    response = client.open(url, method=method, data=b"x" * 1001, headers=headers)
    assert response.status_code == 413
    assert response.get_json() == {
        "error": "the body is larger than 1000 bytes",
        "field": "content",
    }
    at_limit = client.open(url, method=method, data=b"x" * 1000, headers=headers)
    assert at_limit.status_code != 413


def test_the_lrs_cuts_off_a_chunked_body_over_its_limit(app, client) -> None:
    """Test a body sent without Content-Length: read no further than the limit, 413."""
    app.config["LMS_CX_XAPI_MAX_BODY_BYTES"] = 1000
    headers = credential_headers(app, "all") | {"Content-Type": "application/octet-stream"}
    response = client.put(
        STATE,
        input_stream=io.BytesIO(b"x" * 5000),
        headers=headers | {"Transfer-Encoding": "chunked"},
        # As a server does for a chunked body: the stream ends where the body ends.
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.get_json()["field"] == "content"


def test_the_standalone_app_refuses_a_body_far_over_every_limit(app, client, trainer) -> None:
    """Test MAX_CONTENT_LENGTH: a body over it is refused before it is read, with a page."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit > app.config["LMS_CX_FEEDBACK_MAX_UPLOAD_BYTES"]
    assert limit > app.config["LMS_CX_XAPI_MAX_BODY_BYTES"]
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = _upload(client, GOOD * 100, "huge.csv")
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)
