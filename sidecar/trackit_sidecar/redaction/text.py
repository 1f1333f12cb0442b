"""Apply the rules (rules.py) to one text: `redact(text) -> (redacted text, number of replacements)`.

Replacements keep the text's line count, so line numbers in tracebacks and steps still point at the
right line. Long texts (a 10 MB cell) are processed in line-aligned chunks: each regex call then
holds the interpreter for a millisecond, not seconds, so the server keeps answering meanwhile.

A secret built by concatenating literals (`"ghp_" + "abc…"`) is checked as the joined string with
the text before it on its line; when that is a secret, every piece is replaced. A secret built any
other way (variables, f-strings, function calls) is reduced to what the rules can see in the pieces.
"""

from __future__ import annotations

import re

from .rules import MARKER, MARKER_PREFIX, RULES, Rule

CHUNK_CHARS = 8 * 1024  # one regex call over 8 KB holds the interpreter for a few ms at most


class _RuleSet:
    """Rules in order, with an index from each hint to its rules: a text runs only the rules whose hint
    it contains (one substring test per distinct hint, not one per rule and hint)."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.always = [i for i, rule in enumerate(rules) if not rule.hints]
        self.by_hint: dict[str, list[int]] = {}
        for i, rule in enumerate(rules):
            for hint in rule.hints:
                self.by_hint.setdefault(hint, []).append(i)

    def active(self, lowered: str) -> list[Rule]:
        chosen = set(self.always)
        for hint, indices in self.by_hint.items():
            if hint in lowered:
                chosen.update(indices)
        return [self.rules[i] for i in sorted(chosen)]


_LINE_RULES = _RuleSet([rule for rule in RULES if not rule.multiline])
_WHOLE_TEXT_RULES = _RuleSet([rule for rule in RULES if rule.multiline])

_LITERAL = r"(?:\"[^\"\n]*\"|'[^'\n]*')"
_CONCATENATION = re.compile(_LITERAL + r"(?:[ \t]*\+[ \t]*" + _LITERAL + r")+")
_PIECE = re.compile(r"\"(?P<d>[^\"\n]*)\"|'(?P<s>[^'\n]*)'")
_KIND = re.compile(re.escape(MARKER_PREFIX) + r"(?P<kind>[a-z0-9_]+)\]")
_CONTEXT_CHARS = 80


def _replacement(kind: str, replaced: str) -> str:
    return MARKER.format(kind=kind) + "\n" * replaced.count("\n")


def _apply(rule: Rule, text: str) -> tuple[str, int]:
    count = 0

    def substitute(match: re.Match[str]) -> str:
        nonlocal count
        has_secret = "secret" in match.re.groupindex and match.group("secret") is not None
        if not has_secret and MARKER_PREFIX in match.group(0):
            return match.group(0)
        if rule.accept is not None and not rule.accept(match):
            return match.group(0)
        if has_secret:
            if MARKER_PREFIX in match.group("secret"):
                return match.group(0)
            count += 1
            start, end = match.span("secret")
            base = match.start()
            whole = match.group(0)
            return whole[: start - base] + _replacement(rule.kind, whole[start - base: end - base]) + whole[end - base:]
        count += 1
        return _replacement(rule.kind, match.group(0))

    return rule.pattern.sub(substitute, text), count


def _apply_rules(rules: _RuleSet, text: str) -> tuple[str, int]:
    total = 0
    for rule in rules.active(text.lower()):
        text, count = _apply(rule, text)
        total += count
    return text, total


def _concatenations(text: str) -> tuple[str, int]:
    """Literals joined with `+` whose joined value is a secret: every piece replaced."""
    if "+" not in text:
        return text, 0
    count = 0

    def substitute(match: re.Match[str]) -> str:
        nonlocal count
        pieces = list(_PIECE.finditer(match.group(0)))
        joined = "".join(p.group("d") if p.group("d") is not None else p.group("s") for p in pieces)
        line_start = text.rfind("\n", 0, match.start()) + 1
        context = text[max(line_start, match.start() - _CONTEXT_CHARS): match.start()]
        redacted, found = _apply_rules(_LINE_RULES, f'{context}"{joined}"')
        if not found:
            return match.group(0)
        kind_match = _KIND.search(redacted)
        kind = kind_match.group("kind") if kind_match else "secret"
        count += 1
        out, last = [], 0
        whole = match.group(0)
        for piece in pieces:
            group = "d" if piece.group("d") is not None else "s"
            start, end = piece.span(group)
            if end > start:
                out.append(whole[last:start] + MARKER.format(kind=kind))
                last = end
        out.append(whole[last:])
        return "".join(out)

    return _CONCATENATION.sub(substitute, text), count


def _chunks(text: str) -> list[str]:
    if len(text) <= CHUNK_CHARS:
        return [text]
    chunks, start = [], 0
    while start < len(text):
        end = min(start + CHUNK_CHARS, len(text))
        if end < len(text):
            newline = text.rfind("\n", start, end)
            if newline > start:
                end = newline + 1
        chunks.append(text[start:end])
        start = end
    return chunks


def redact(text: str) -> tuple[str, int]:
    """Return (text with every recognised secret replaced by `[REDACTED:<kind>]`, number of replacements).
    Idempotent: redacting redacted text changes nothing."""
    if not text:
        return text, 0
    text, total = _apply_rules(_WHOLE_TEXT_RULES, text)
    out = []
    for chunk in _chunks(text):
        chunk, joined = _concatenations(chunk)
        chunk, found = _apply_rules(_LINE_RULES, chunk)
        out.append(chunk)
        total += joined + found
    return "".join(out), total
