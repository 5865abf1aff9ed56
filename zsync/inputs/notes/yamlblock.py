"""Front matter read by PyYAML, for the YAML `simpleyaml` does not read itself: every scalar
a string, as written, and aliases bounded. Imported only when such a block is met, since
importing PyYAML costs more than reading most notes."""

from __future__ import annotations

from typing import Any

import yaml

from zsync.errors import InputError

try:
    _BaseLoader: Any = yaml.CBaseLoader
except AttributeError:  # PyYAML without libyaml
    _BaseLoader = yaml.BaseLoader

# A front matter block holds a few dozen values; aliases that would make it more than this
# many (or nest it deeper) are an attack or a mistake, not a note.
MAX_NODES = 20_000
MAX_DEPTH = 40


class TooLarge(InputError):
    pass


class NotYaml(InputError):
    """The block is not valid YAML: `problem` says why, at `line` (0-based, within the
    block) where PyYAML knows it."""

    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.problem, self.line = problem, line


def load(text: str) -> Any:
    """The YAML document in `text`; raises `TooLarge` (aliases), `RecursionError` (nesting)
    or `NotYaml`."""
    try:
        return yaml.load(text, Loader=_StringLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise NotYaml(problem, None if mark is None else mark.line) from None


class _StringLoader(_BaseLoader):
    """Every scalar a string, as written; the document's expanded size checked before it
    is built, so aliases cannot multiply it."""

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_size(node)
        return self.construct_document(node)


def _check_size(root: yaml.Node) -> None:
    """Raise `TooLarge` when the node graph, with every alias expanded, is too big."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise TooLarge(f"nested more than {MAX_DEPTH} levels deep")
        children = _children(node)
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[id(node)] > MAX_NODES:
                raise TooLarge(f"its aliases expand to more than {MAX_NODES:,} values")
            continue
        if id(node) in sizes:
            continue
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
