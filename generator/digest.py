"""The one digest the project makes of bytes: SHA-256 cut to 16 bytes.

Files, inputs, contexts and parsed chunks are compared by it from one build to the next.
Where processors have SHA instructions (most x86 and ARM servers today) SHA-256 hashes a
page twice as fast as BLAKE2b, and as fast for short text; 16 bytes keep a build record of
100,000 pages small while a chance collision stays out of reach.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

DIGEST_SIZE = 16


def digest(data: ReadableBuffer) -> bytes:
    """The digest of `data`; of several pieces, the digest of their concatenation."""
    return hashlib.sha256(data).digest()[:DIGEST_SIZE]
