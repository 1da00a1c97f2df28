"""YAML text to plain Python values plus the line each value starts on.

PyYAML's ``compose`` keeps every node's position (``start_mark``); ``safe_load`` forgets it.
So the text is composed, and the node tree walked here: mappings become dicts (keys must be
strings, a repeated key is a problem rather than silently the last one, as PyYAML would have
it), sequences lists, and scalars are resolved by PyYAML's safe constructor (ints, bools,
null, strings...). Aliases are followed; merge keys (``<<``) are refused to keep lines exact.
"""

from __future__ import annotations

from typing import Any

import yaml

from imageshare.world.problems import Path, Problem, WorldInvalid

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Walker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: dict[Path, int] = {}
        self.problems: list[Problem] = []
        # Builds scalars only; its own stream is empty.
        self._constructor = yaml.SafeLoader("")

    def value(self, node: Any, path: Path) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: Any, path: Path) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as error:  # an unknown !tag, bad !!binary...
            self._problem(node.start_mark.line + 1, path, f"YAML: {error.problem}")
            return None

    def _mapping(self, node: Any, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = self._key(key_node, path, line)
            if key is None:
                continue
            if key in result:
                first = self.lines[(*path, key)]
                self._problem(line, (*path, key), f'"{key}" is given twice (first on line {first})')
                continue
            self.lines[(*path, key)] = line
            result[key] = self.value(value_node, (*path, key))
        return result

    def _key(self, key_node: Any, path: Path, line: int) -> str | None:
        if key_node.tag == _MERGE_TAG:
            self._problem(line, path, "merge keys (<<) are not supported: write the fields out")
            return None
        reported = len(self.problems)
        key = self._scalar(key_node, path)
        if len(self.problems) > reported:
            return None
        if not isinstance(key, str):
            self._problem(line, path, f"field names must be text, not {key!r}")
            return None
        return key

    def _problem(self, line: int, path: Path, message: str) -> None:
        self.problems.append(Problem(self.source, line, path, message))


def _syntax_problem(error: yaml.MarkedYAMLError, source: str) -> Problem:
    """At the line where PyYAML gave up, saying where the construct it was reading began
    (an unclosed bracket is only noticed at the end of the file)."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else 1
    message = f"YAML syntax error: {error.problem or error.context or 'not valid YAML'}"
    context = error.context_mark
    if error.problem and error.context and context is not None and context.line + 1 != line:
        message += f" ({error.context} on line {context.line + 1})"
    return Problem(source, line, (), message)


def read_tree(text: str, source: str) -> tuple[Any, dict[Path, int]]:
    """The document's value and ``{path: line}`` for every value in it.

    :raises WorldInvalid: a YAML syntax error, more than one document, a repeated key, a
        non-text key or a merge key.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        raise WorldInvalid([_syntax_problem(error, source)]) from None
    except yaml.YAMLError as error:
        raise WorldInvalid([Problem(source, 1, (), f"not YAML: {error}")]) from None
    if node is None:
        raise WorldInvalid([Problem(source, 1, (), "the file is empty: start with `version: 1`")])
    walker = _Walker(source)
    value = walker.value(node, ())
    if walker.problems:
        raise WorldInvalid(walker.problems)
    return value, walker.lines
