"""Golden-file test: a small fixture site built and compared byte for byte.

`pytest --update-golden` rewrites `expected/` from the current build (and reports the test
skipped); review the diff before committing it. Under `CI=true` it fails instead, rewriting
nothing: CI compares, it never accepts a new output.
"""

from __future__ import annotations

import difflib
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from generator.build import build_site

HERE = Path(__file__).resolve().parent
SITES = sorted(p.name for p in HERE.iterdir() if (p / "content").is_dir())


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _png_image(data: bytes) -> tuple[bytes, ...]:
    """A PNG's header, palette and decompressed pixel rows: what it shows, whichever zlib
    compressed it (a machine with another zlib writes other bytes for the same pixels)."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), "not a PNG"
    chunks: dict[bytes, bytes] = {}
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        chunks[kind] = chunks.get(kind, b"") + data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    return chunks[b"IHDR"], chunks.get(b"PLTE", b""), zlib.decompress(chunks[b"IDAT"])


@pytest.mark.parametrize("name", SITES)
def test_build_matches_golden_output(
    name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    site = HERE / name
    output = tmp_path / "output"
    build_site(site / "content", output)
    expected_dir = site / "expected"
    if request.config.getoption("--update-golden"):
        if os.environ.get("CI") == "true":
            pytest.fail("--update-golden under CI=true: golden files are rewritten by hand only")
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(output, expected_dir)
        pytest.skip(f"rewrote {expected_dir}; review the diff")
    got, expected = _files(output), _files(expected_dir)
    problems = []
    for path in sorted(set(got) | set(expected)):
        if path not in got:
            problems.append(f"missing from the build: {path}")
        elif path not in expected:
            problems.append(f"not in expected/: {path}")
        elif path.endswith(".png"):
            if _png_image(got[path]) != _png_image(expected[path]):
                problems.append(f"a different image: {path}")
        elif got[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].decode("utf-8", "replace").splitlines(),
                got[path].decode("utf-8", "replace").splitlines(),
                f"expected/{path}",
                f"built/{path}",
                lineterm="",
            )
            problems.append("\n".join(diff))
    assert not problems, "\n\n".join(problems)
