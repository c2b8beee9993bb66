"""Properties of the xAPI statement validator, checked on mutated golden statements (hypothesis).

Whatever JSON a client sends, ``validate_statement`` passes it or raises ``StatementError``
naming the property at fault, never another exception; the named property's first step is
one the statement has (or a top-level property the specification requires).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from lms_cx.xapi.errors import StatementError
from lms_cx.xapi.validation import validate_statement
from tests.fuzz.conftest import fuzz_settings

GOLDEN = Path(__file__).resolve().parents[1] / "xapi" / "golden"
STATEMENTS = {
    path.stem: json.loads(path.read_text(encoding="utf-8")) for path in GOLDEN.glob("*.json")
}
REQUIRED = {"actor", "verb", "object"}

JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "mailto:a@example.com",
            "https://example.com/x",
            "not an iri",
            "2026-03-01T10:00:00Z",
            "P1D",
            "PT1H30M",
            "00000000-0000-4000-8000-000000000000",
            "Agent",
            "Group",
            "SubStatement",
            "StatementRef",
            "",
            "\x00",
        ]
    ),
)
JSON = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Return the path of every value inside ``node`` (dict keys and list indexes)."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


def _set(node: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    parent = node
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return node


def _delete(node: Any, path: tuple) -> Any:
    if not path:
        return node
    parent = node
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    return node


@st.composite
def mutated_statements(draw: st.DrawFn) -> Any:
    """Return a golden statement with a few values replaced, removed or added."""
    statement = copy.deepcopy(STATEMENTS[draw(st.sampled_from(sorted(STATEMENTS)))])
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(statement)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            statement = _set(statement, path, draw(JSON))
        elif action == "delete" and path:
            statement = _delete(statement, path)
        elif action == "add":
            target = statement
            for step in path:
                target = target[step]
            if isinstance(target, dict):
                target[draw(st.text(max_size=12))] = draw(JSON)
    return statement


@fuzz_settings()
@given(statement=mutated_statements() | JSON)
@example(statement={"actor": {"mbox": "mailto:a@example.com"}, "verb": {}, "object": []})
@example(statement={"actor": {"objectType": "Group", "member": [None]}})
@example(statement={"": {"\x00": None}})
def test_any_json_passes_or_is_refused_naming_a_property(statement: Any) -> None:
    """Test that any JSON value validates or raises StatementError naming the property."""
    try:
        validate_statement(statement)
    except StatementError as error:
        assert str(error).strip()
        if error.field is not None:
            keys = {*REQUIRED, "statement", *(statement if isinstance(statement, dict) else ())}
            assert any(
                error.field == key or error.field.startswith((f"{key}.", f"{key}["))
                for key in map(str, keys)
            ), (error.field, str(error))
