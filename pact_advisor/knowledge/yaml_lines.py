"""YAML with line numbers: guidance problems name the line of the key or list entry at fault.

YAML is only ever read with the safe loader (libyaml's when PyYAML was built with it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Where a value sits in a YAML document: its keys and list indexes from the top.
Path_ = tuple[str | int, ...]


class YamlProblem(Exception):
    """A document that is not safe, valid YAML: the line (when known) and what is wrong."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        super().__init__(message)


#: Deeper than any real guidance (which nests about six levels); refused before composing, so
#: a hostile file cannot exhaust the recursion of the composer or of the line index.
MAX_DEPTH = 32


def _refuse_aliases_and_depth(yaml: Any, loader: Any) -> None:
    """Scan the event stream: no alias, no nesting beyond :data:`MAX_DEPTH`.

    Aliases are what a "billion laughs" file (or a self-referencing one) is made of; no real
    guidance uses them, so refusing them outright costs nothing and bounds every later phase.
    The scan itself is linear in the size of the text.
    """
    depth = 0
    while True:
        event = loader.get_event()
        if event is None or isinstance(event, yaml.StreamEndEvent):
            return
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(
                event.start_mark.line + 1,
                f"YAML aliases (*{event.anchor}) are not allowed in guidance files",
            )
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(
                    event.start_mark.line + 1,
                    f"nesting deeper than {MAX_DEPTH} levels",
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def read_yaml(text: str) -> tuple[Any, dict[Path_, int]]:
    """Parse ``text`` safely; return the data and the line of every mapping key and list entry."""
    # Imported here: a start-up served from the cache never parses YAML.
    import yaml

    # libyaml's safe loader when PyYAML was built with it (ten times faster); both are safe.
    safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if _nesting_bounded(yaml, safe_loader):
        loader = safe_loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, {}
            lines: dict[Path_, int] = {}
            return _walk(yaml, loader, node, (), lines, set()), lines
        except (_Unusual, YamlProblem, yaml.YAMLError):
            pass  # the careful reading below finds, and reports, what is wrong
        finally:
            loader.dispose()
    return _read_carefully(yaml, safe_loader, text)


def _read_carefully(yaml: Any, safe_loader: Any, text: str) -> tuple[Any, dict[Path_, int]]:
    """Scan the events for aliases and depth, then compose, index and construct: what a
    document that :func:`read_yaml` could not read in one pass is reported by."""
    scanner = safe_loader(text)
    try:
        _refuse_aliases_and_depth(yaml, scanner)
    except yaml.MarkedYAMLError:
        pass  # a syntax error: reported, with its line, by the full parse below
    finally:
        scanner.dispose()
    loader = safe_loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Path_, int] = {}
        _index_lines(node, (), lines)
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        if "could not determine a constructor" in problem:
            problem = f"unsafe or unknown YAML tag ({problem.split('tag', 1)[-1].strip()})"
        raise YamlProblem(line, f"YAML error: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"YAML error: {exc}") from None
    finally:
        loader.dispose()


class _Unusual(Exception):
    """A node that one pass does not read: an alias (a node met twice) or too deep."""


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_BOUNDED: dict[Any, bool] = {}


def _nesting_bounded(yaml: Any, safe_loader: Any) -> bool:
    """Whether the parser refuses deep nesting itself (libyaml 0.2.5 and later stop at 1,000
    levels), so composing a hostile file cannot exhaust the stack before it is checked."""
    if safe_loader not in _BOUNDED:
        deep = "[" * 1100 + "]" * 1100
        probe = safe_loader(deep)
        try:
            probe.get_single_node()
            _BOUNDED[safe_loader] = False
        except yaml.YAMLError:
            _BOUNDED[safe_loader] = True
        except RecursionError:
            _BOUNDED[safe_loader] = False
        finally:
            probe.dispose()
    return _BOUNDED[safe_loader]


def _walk(yaml: Any, loader: Any, node: Any, path: Path_, lines: dict, seen: set) -> Any:
    """Index the lines of ``node`` and construct its value in the same pass, as the safe
    constructor would; plain strings, mappings and lists directly, other scalars by the
    constructor. Raises :class:`_Unusual` for an alias or nesting beyond :data:`MAX_DEPTH`,
    and :class:`YamlProblem` for a duplicate key."""
    if id(node) in seen or len(path) > MAX_DEPTH:
        raise _Unusual
    seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if tag == _MAP and isinstance(node, yaml.MappingNode):
        if not all(k.tag == _STR and isinstance(k, yaml.ScalarNode) for k, _ in node.value):
            raise _Unusual  # a merge key, or a key that is not a string
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in data:
                raise YamlProblem(line, f"duplicate key {key!r}")
            lines[(*path, key)] = line
            data[key] = _child(yaml, loader, value_node, (*path, key), lines, seen)
        return data
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        items = []
        scalar = yaml.ScalarNode
        for index, child in enumerate(node.value):
            where = (*path, index)
            lines[where] = child.start_mark.line + 1
            if child.tag == _STR and type(child) is scalar and id(child) not in seen:
                seen.add(id(child))  # a plain string, the most common entry, read in place
                items.append(child.value)
            else:
                items.append(_child(yaml, loader, child, where, lines, seen))
        return items
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_object(node)
    raise _Unusual  # a tagged collection (a set, an ordered map ...)


def _child(yaml: Any, loader: Any, node: Any, path: Path_, lines: dict, seen: set) -> Any:
    """:func:`_walk` for a node whose line is already indexed; a plain string (most of a
    guidance file) is read here without a call of its own."""
    if node.tag == _STR and type(node) is yaml.ScalarNode:
        if id(node) in seen:
            raise _Unusual
        seen.add(id(node))
        return node.value
    return _walk(yaml, loader, node, path, lines, seen)


def _index_lines(node: Any, path: Path_, lines: dict[Path_, int]) -> None:
    import yaml

    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise YamlProblem(line, f"duplicate key {key!r} (first on line {seen[key]})")
            seen[key] = line
            lines[(*path, key)] = line
            _index_lines(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            lines[(*path, index)] = child.start_mark.line + 1
            _index_lines(child, (*path, index), lines)


def line_for(lines: Mapping[Path_, int], path: Path_) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
