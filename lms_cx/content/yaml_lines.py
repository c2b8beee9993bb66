"""YAML that remembers where each key and item stood, so errors can name ``file:line``."""

from __future__ import annotations

from typing import Any

import yaml

from lms_cx.content.problems import Problem
from lms_cx.i18n import gettext as _


class LineDict(dict):
    """A mapping read from YAML, with the line of the mapping and of each of its keys."""

    line: int = 1
    key_lines: dict[Any, int]


class LineList(list):
    """A sequence read from YAML, with the line of the sequence and of each item."""

    line: int = 1
    item_lines: list[int]


class DuplicateKey(yaml.MarkedYAMLError):
    """The same key twice in one mapping (PyYAML would silently keep the last)."""


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry their line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            # A complex key (``? [a, b]``) is legal YAML but can be no field name.
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("a key must be a plain value, not a list or mapping"),
                key_node.start_mark,
            ) from None
        if key in mapping:
            raise DuplicateKey(
                None,
                None,
                _(
                    "duplicate key %(key)r (first at line %(line)d)",
                    key=key,
                    line=mapping.key_lines[key],
                ),
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    sequence = LineList(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(text: str, path: str) -> Any:
    """Parse ``text``; raise a Problem naming the line of any syntax error."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or _("not valid YAML")
        raise ProblemError(
            Problem(path, line, _("invalid YAML: %(reason)s", reason=reason))
        ) from None
    except yaml.YAMLError as error:
        raise ProblemError(Problem(path, 1, _("invalid YAML: %(reason)s", reason=error))) from None


class ProblemError(Exception):
    """Carries one Problem out of a parser."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def line_of(tree: Any, location: tuple[Any, ...]) -> int:
    """Return the line of the deepest part of ``location`` (keys and indexes) found in ``tree``."""
    line = getattr(tree, "line", 1)
    node = tree
    for step in location:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        elif isinstance(node, LineDict | LineList):
            # A union's tag (pydantic puts the chosen type in the path) or a missing key.
            continue
        else:
            break
    return line
