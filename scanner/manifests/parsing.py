"""Parsers of TOML, JSON and YAML text that keep to the limits and raise ``ManifestError``."""

from __future__ import annotations

import json
import tomllib
from typing import Any

from scanner.limits import (
    MAX_DEPTH,
    LimitError,
    check_depth,
    check_json,
    check_toml,
    check_yaml,
    data_depth,
)
from scanner.manifests.package import ManifestError


def _toml(text: str) -> dict[str, Any]:
    check_toml(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"not valid TOML ({error})") from error
    check_depth(data_depth(data))
    return data


def _json(text: str) -> dict[str, Any]:
    check_json(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(
            f"not valid JSON ({error.msg}, line {error.lineno})"
        ) from error
    if not isinstance(data, dict):
        raise ManifestError("expected a JSON object")
    return data


def _yaml(text: str) -> Any:
    import yaml

    # libyaml when it is installed (about six times faster), else PyYAML's own.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        check_yaml(text, loader)
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        if "nesting depth" in str(getattr(error, "problem", "")):
            # libyaml's own limit (1,000 levels), met before our events arrive
            raise LimitError(f"nested more than {MAX_DEPTH} levels deep") from error
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ManifestError(f"not valid YAML{where}") from error
