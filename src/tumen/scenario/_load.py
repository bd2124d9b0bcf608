"""Find, read and validate scenario files; word every problem as one line."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tumen.errors import ScenarioError
from tumen.scenario._schema import Scenario

__all__ = ["bundled_scenario_dir", "list_scenarios", "load_scenario"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _TextDateLoader(yaml.SafeLoader):
    """A safe YAML loader that leaves dates as text, so pydantic words a bad date."""


_TextDateLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def bundled_scenario_dir() -> Path:
    """Return the folder of the scenarios bundled with Tumen.

    Returns
    -------
    pathlib.Path
        ``tumen/data/bundled/scenarios`` inside the installed package.
    """
    return Path(str(resources.files("tumen"))) / "data" / "bundled" / "scenarios"


def list_scenarios() -> list[str]:
    """Return the names of the bundled scenarios, sorted.

    Returns
    -------
    list of str
        Scenario names (file stems of ``scenarios/*.yaml``).
    """
    folder = bundled_scenario_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml"))


def load_scenario(name_or_path: str | Path | Scenario) -> Scenario:
    """Read and validate a scenario.

    Parameters
    ----------
    name_or_path : str or pathlib.Path or Scenario
        A bundled scenario's name (see :func:`list_scenarios`), a path to a YAML
        file, or an already loaded :class:`Scenario` (returned unchanged).

    Returns
    -------
    Scenario
        The validated scenario; its ``source`` holds the file it came from.

    Raises
    ------
    ScenarioError
        If the file cannot be found or read, is not YAML, or breaks the schema
        (unknown key, bad date, bad distribution, negative value, unknown regime).
        The message is one line naming the file, the key path and what was expected.
        Ids (links, places, commodities) are checked against the dataset by
        :func:`tumen.scenario.run_scenario`.
    """
    if isinstance(name_or_path, Scenario):
        return name_or_path
    path = _resolve(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario file ({exc.strerror})") from None
    try:
        raw = yaml.load(text, Loader=_TextDateLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{path}{where}: expected valid YAML") from None
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: expected a mapping of scenario keys at the top level")
    raw.setdefault("name", path.stem if _NAME.match(path.stem) else "scenario")
    raw["source"] = str(path)
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(path, exc)) from None


def _resolve(name_or_path: str | Path) -> Path:
    """Return the file a scenario name or path refers to."""
    text = str(name_or_path)
    if isinstance(name_or_path, str) and _NAME.match(text) and not text.endswith((".yaml", ".yml")):
        bundled = bundled_scenario_dir() / f"{text}.yaml"
        if bundled.is_file():
            return bundled
        if not Path(text).exists():
            known = ", ".join(list_scenarios()) or "none"
            raise ScenarioError(
                f"scenario '{text}': expected a bundled scenario name ({known}) or a path "
                "to a YAML file"
            )
    path = Path(name_or_path)
    if not path.is_file():
        raise ScenarioError(f"{path}: expected an existing scenario YAML file")
    return path


def _clean_loc(loc: tuple[Any, ...]) -> tuple[tuple[str, ...], str]:
    """Split a pydantic error location into the user's key path and the union branch."""
    parts: list[str] = []
    branch = ""
    skip_next = False
    for part in loc:
        if skip_next:
            skip_next = False
            continue
        text = str(part)
        if text.startswith("tagged-union["):
            branch = "dist"
            skip_next = True
        elif text in {"constrained-float", "float", "function-after"} or "[" in text:
            branch = branch or "number"
        else:
            parts.append(text)
    return tuple(parts), branch


_EXPECTED = {
    "extra_forbidden": "a known key (this key is unknown)",
    "missing": "this key (it is required)",
    "greater_than_equal": "a non-negative number",
    "greater_than": "a positive number",
    "less_than_equal": "a number at most {le}",
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "string_pattern_mismatch": "letters, digits, '-', '_' or '.' only",
    "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "date_type": "a date YYYY-MM-DD",
    "literal_error": "one of {expected}",
    "union_tag_invalid": "a distribution with dist one of {expected_tags}",
    "union_tag_not_found": "a distribution with a 'dist' key (triangular, uniform or normal)",
    "dict_type": "a mapping of keys to values",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a number or a distribution {dist: triangular|uniform|normal, ...}",
}


def _expected(error: Any) -> str:
    """Word what a pydantic error expected."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
        return message.removeprefix("Value error, ")
    template = _EXPECTED.get(kind)
    if template is None:
        return error["msg"].lower()
    try:
        return template.format(**{k: str(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        return template


def _shown(value: Any) -> str:
    """Return a short display of a bad value."""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def format_validation_error(path: Path | str, exc: ValidationError) -> str:
    """Return one line naming the file, each bad key path and what it expected.

    Parameters
    ----------
    path : pathlib.Path or str
        The scenario file, as the user named it.
    exc : pydantic.ValidationError
        The validation error.

    Returns
    -------
    str
        ``FILE: key 'a.b': expected ..., got '...'`` (several problems joined by ``; ``).
    """
    chosen: dict[tuple[str, ...], tuple[str, Any]] = {}
    for error in exc.errors():
        keys, branch = _clean_loc(tuple(error["loc"]))
        value = error.get("input")
        is_mapping = isinstance(value, dict)
        # A number-or-distribution field reports both branches: keep the one that fits.
        if branch == "number" and is_mapping and keys in chosen:
            continue
        if branch == "dist" and not is_mapping and keys in chosen:
            continue
        if branch == "number" and is_mapping:
            chosen.setdefault(keys, (_expected(error), value))
            continue
        if branch == "dist" and not is_mapping:
            chosen.setdefault(keys, (_expected(error), value))
            continue
        chosen[keys] = (_expected(error), value)
    parts = []
    for keys, (expected, value) in chosen.items():
        key = ".".join(keys) or "(top level)"
        got = "" if isinstance(value, dict) or value is None else f", got '{_shown(value)}'"
        parts.append(f"key '{key}': expected {expected}{got}")
    return f"{path}: " + "; ".join(parts)
