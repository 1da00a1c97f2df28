"""RAM wildcard patterns: ``*`` matches any run of characters (also none), ``?`` exactly one.

Every other character is literal: a ``.``, ``+``, ``(`` or ``[`` in a pattern only matches
itself. A pattern is cut at its stars into fixed-length pieces; each piece becomes an escaped
regular expression (``?`` becomes ``.``), so no piece can backtrack, and the pieces between the
first and the last are found leftmost-first, which is enough for star patterns. Matching is
therefore linear in practice and cannot be made slow by a pattern full of stars, unlike a
regex built with one ``.*`` per star.
"""

from __future__ import annotations

import re
from dataclasses import field
from functools import lru_cache

from imageshare.values import frozen


def _piece(text: str, flags: re.RegexFlag) -> re.Pattern[str]:
    return re.compile("".join("." if char == "?" else re.escape(char) for char in text), flags)


@frozen
class Glob:
    """A compiled wildcard pattern; build it with :func:`compile_glob`."""

    pattern: str
    ignore_case: bool
    _pieces: tuple[re.Pattern[str], ...] = field(repr=False, compare=False)
    _lengths: tuple[int, ...] = field(repr=False, compare=False)

    @property
    def matches_everything(self) -> bool:
        """True for ``*`` (and ``**``, ...): the pattern that stands for all resources."""
        return bool(self.pattern) and set(self.pattern) == {"*"}

    def matches(self, text: str) -> bool:
        """Whether the whole of ``text`` matches the pattern."""
        pieces, lengths = self._pieces, self._lengths
        if len(pieces) == 1:
            return len(text) == lengths[0] and pieces[0].fullmatch(text) is not None
        head, tail = lengths[0], lengths[-1]
        end = len(text) - tail
        if end < head or not pieces[0].match(text, 0, head) or not pieces[-1].match(text, end):
            return False
        position = head
        for piece, length in zip(pieces[1:-1], lengths[1:-1], strict=True):
            found = piece.search(text, position, end)
            if found is None:
                return False
            position = found.start() + length
        return True


@lru_cache(maxsize=4096)
def compile_glob(pattern: str, *, ignore_case: bool = False) -> Glob:
    """Compile ``pattern``; cached, because the same patterns are matched on every request."""
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else re.NOFLAG)
    parts = pattern.split("*")
    return Glob(
        pattern=pattern,
        ignore_case=ignore_case,
        _pieces=tuple(_piece(part, flags) for part in parts),
        _lengths=tuple(len(part) for part in parts),
    )
