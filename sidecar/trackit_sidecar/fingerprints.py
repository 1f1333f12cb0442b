"""What two recorded fingerprints of a variable's data (RuntimeFacts.fingerprint) can say about each other.

A fingerprint is "<algorithm>:<hex>": the algorithm names the hash function and, from probe version 8 on, how the data
was fed to it ("xxh3_128/cols": a digest per column over rows chosen by the row count; "xxh3_128" alone: the probe
before, one stream over rows chosen by the frame's size). Under different algorithms the same data gives different
fingerprints, so such a pair is neither "the same values" nor "different values": only the shape can be compared.
Databases keep fingerprints of every algorithm they were recorded with."""

from __future__ import annotations

from typing import Optional


def algorithm(fingerprint: str) -> str:
    return fingerprint.split(":", 1)[0] if ":" in fingerprint else ""


def comparable(a: Optional[str], b: Optional[str]) -> bool:
    """Both measured, by the same algorithm: equal means the same data (of what was hashed), unequal different."""
    return bool(a) and bool(b) and algorithm(a) == algorithm(b)
