"""Stage 2, validate: `RawContent` → `SiteContent`, every mistake located, all at once.

See `content.validate_content`. Its modules: `content` (the stage: the site, each case),
`items` (one item against its model), `pydantic_errors` (pydantic's errors in editors' words),
`fields` (the models' fields along an error's path), `yaml_numbers` (numbers YAML reads
otherwise than meant) and `ids` (unique ids, references and did-you-mean)."""

from __future__ import annotations

from generator.validate.content import SiteContent, validate_content

__all__ = ["SiteContent", "validate_content"]
