"""Sizes in messages that compare a size with its limit.

"5.0 MB is above the 5.0 MB limit" says nothing; the figures must read apart:
"5.000001 MB is above the 5.0 MB limit".
"""
from __future__ import annotations

_BYTES_PER_MB = 1_000_000
_MOST_DECIMALS = 6  # a byte


def megabytes(size: int, limit: int) -> tuple[str, str]:
    """``size`` and ``limit`` (bytes) in MB, for a message saying that ``size`` is above ``limit``.

    The limit has one decimal, as limits are set; the size has as few decimals as
    it takes to read above it (one at least). Both are rounded down, so neither
    reads more than it is.

    >>> megabytes(5_000_001, 5_000_000)
    ('5.000001', '5.0')
    >>> megabytes(50_000_000, 5_000_000)
    ('50.0', '5.0')
    """
    limit_tenths = _units(limit, 1)
    for decimals in range(1, _MOST_DECIMALS + 1):
        if _units(size, decimals) * 10 > limit_tenths * 10 ** decimals:
            return _decimal(size, decimals), limit_megabytes(limit)
    return _decimal(size, _MOST_DECIMALS), _decimal(limit, _MOST_DECIMALS)  # not above it after all: exact


def limit_megabytes(limit: int) -> str:
    """A limit in MB, as :func:`megabytes` shows it: one decimal, rounded down."""
    return _decimal(limit, 1)


def _units(size: int, decimals: int) -> int:
    """``size`` bytes in units of the last of ``decimals`` MB decimals, rounded down
    (integer arithmetic: no float ever rounds 5,000,001 bytes to 5.0)."""
    return max(0, int(size)) // 10 ** (_MOST_DECIMALS - decimals)


def _decimal(size: int, decimals: int) -> str:
    whole, part = divmod(_units(size, decimals), 10 ** decimals)
    return f"{whole:,}.{part:0{decimals}d}"
