"""What a build was made of, kept on disk beside the output for the next `explainer build`.

The preview keeps its last build in memory: the loaded files, the validated items, the
plan, the encoded `data.json` items, the processed pictures; an edit of wording is then
applied to the plan (`patch`) instead of loading, validating and planning everything again.
`explainer build` keeps the same in a file once it builds again over its own output (a
rebuild), so that the next rebuild can start from it; a build from nothing (a clean
checkout, CI, `--full`) leaves none and pays nothing for it.

The file goes with one build record: the record holds the digest of the file's bytes, so a
file cut short, changed, or left by another build is refused, as is one written by another
version of the generator (the record's setup differs) or for another content folder. A
refused file only costs planning again.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from generator.build.image_store import ProcessedMedia
from generator.build.patch import Built
from generator.digest import digest
from generator.load.content import LoadCache
from generator.render.data_files import CaseData


@dataclass
class KeptBuild:
    """What the next build over the same output needs to start from this one."""

    content_dir: str
    """The content folder it was loaded from, absolute."""
    built: Built
    load_cache: LoadCache
    case_data: CaseData
    media: ProcessedMedia


def kept_path(output_dir: Path) -> Path:
    """Where `explainer build` keeps what its last build was made of: beside the output,
    never published with it."""
    output_dir = output_dir.absolute()
    return output_dir.parent / f".{output_dir.name}.explainer-kept"


def save_kept(kept: KeptBuild, path: Path) -> bytes:
    """Write `kept` whole to `path` (beside it, then renamed); return the digest of the
    bytes, for the build record to name the file by."""
    data = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return digest(data)


def read_kept(path: Path, expected: bytes, content_dir: Path) -> KeptBuild | None:
    """The build kept at `path` if its bytes have the digest `expected` and it was loaded
    from `content_dir`; else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if digest(data) != expected:
        return None
    try:
        kept = pickle.loads(data)
    except Exception:  # the digest matched, so this is a generator that cannot read it
        return None
    if not isinstance(kept, KeptBuild) or kept.content_dir != str(content_dir.absolute()):
        return None
    return kept


def forget_kept(path: Path) -> None:
    path.unlink(missing_ok=True)
