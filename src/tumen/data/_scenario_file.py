"""Read a scenario file and check it: YAML, the scenario schema, and every id it names.

A bundled scenario, one in a dataset copy and a user's own file go through the same
functions and give the same kind of :class:`~tumen.errors.Problem` (file, key path, what
was expected).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import ValidationError

from tumen.data._scenario import Scenario
from tumen.errors import Problem, ScenarioError

__all__ = ["NAME_PATTERN", "parse_scenario", "read_scenario", "scenario_problems"]

#: What a scenario name (and a bundled scenario's file stem) may look like.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _TextDateLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe YAML loader (libyaml's where present) that leaves dates as text.

    Pydantic then words a bad date, and a key given twice is refused.
    """


def _unique_keys(loader: _TextDateLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """Build a mapping, refusing a key given twice (plain YAML keeps the last silently)."""
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            continue  # an unhashable key: construct_mapping words that error
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_TextDateLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_keys)
_TextDateLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_scenario(data: bytes, path: Path, shown: str) -> tuple[Scenario | None, list[Problem]]:
    """Check a scenario file's YAML and schema.

    Parameters
    ----------
    data : bytes
        The file's contents.
    path : pathlib.Path
        The file (its stem names a scenario that does not name itself).
    shown : str
        How to name the file in messages.

    Returns
    -------
    scenario : Scenario or None
        The scenario (``source`` is ``str(path)``), or None if it has problems.
    problems : list of Problem
        One per bad key; ``row`` is the line of a YAML syntax error.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, None, None, "a UTF-8 text file", f"byte {exc.start}")]
    try:
        raw = yaml.load(text, Loader=_TextDateLoader)  # a safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        found = str(getattr(exc, "problem", "") or "")
        if found.startswith("duplicate key "):
            key = found.removeprefix("duplicate key ")
            return None, [Problem(shown, line, key, "each key only once in its mapping", key)]
        return None, [Problem(shown, line, None, "valid YAML")]
    if not isinstance(raw, dict):
        return None, [Problem(shown, None, None, "a mapping of scenario keys at the top level")]
    raw.setdefault("name", path.stem if NAME_PATTERN.match(path.stem) else "scenario")
    raw["source"] = str(path)
    try:
        return Scenario.model_validate(raw), []
    except ValidationError as exc:
        return None, _validation_problems(shown, exc)


def read_scenario(path: Path) -> Scenario:
    """Read and check a user's scenario file (its ids are checked when it is run).

    Parameters
    ----------
    path : pathlib.Path
        A YAML file.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        If the file cannot be read, is not YAML or breaks the schema; ``problems`` holds
        every problem (file, key path, what was expected), the message shows them on one
        line.
    """
    if not path.is_file():
        raise ScenarioError(f"{path}: expected an existing scenario YAML file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario file ({exc.strerror})") from None
    scenario, problems = parse_scenario(data, path, str(path))
    if scenario is None:
        raise ScenarioError(problems)
    return scenario


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
    "finite_number": "a finite number",
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
    "union_tag_not_found": (
        "a distribution with a 'dist' key (triangular, uniform, normal, lognormal or discrete)"
    ),
    "dict_type": "a mapping of keys to values",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": (
        "a number or a distribution {dist: triangular|uniform|normal|lognormal|discrete, ...}"
    ),
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


def _validation_problems(shown: str, exc: ValidationError) -> list[Problem]:
    """Return one problem per bad key path of a pydantic error."""
    chosen: dict[tuple[str, ...], tuple[str, Any]] = {}
    for error in exc.errors():
        keys, branch = _clean_loc(tuple(error["loc"]))
        value = error.get("input")
        is_mapping = isinstance(value, dict)
        # A number-or-distribution field reports both branches: keep the one that fits.
        if (branch == "number" and is_mapping) or (branch == "dist" and not is_mapping):
            chosen.setdefault(keys, (_expected(error), value))
            continue
        chosen[keys] = (_expected(error), value)
    return [
        Problem(
            shown,
            None,
            ".".join(keys) or "(top level)",
            expected,
            None if isinstance(value, dict) or value is None else str(value),
        )
        for keys, (expected, value) in chosen.items()
    ]


def scenario_problems(
    scenario: Scenario, shown: str, tables: Mapping[str, pd.DataFrame]
) -> list[Problem]:
    """Check every id a scenario names against the dataset's tables.

    Parameters
    ----------
    scenario : Scenario
        A scenario that passed :func:`parse_scenario`.
    shown : str
        How to name its file in messages.
    tables : mapping of str to pandas.DataFrame
        The dataset's tables by name (a table that is absent is not checked against).

    Returns
    -------
    list of Problem
        One per unknown id, each naming the key path that holds it.
    """
    problems: list[Problem] = []

    def ids(name: str) -> set[str] | None:
        frame = tables.get(name)
        return None if frame is None else set(frame.index.astype(str))

    def check(key: str, value: str, known: set[str] | None, what: str) -> None:
        if known is not None and value not in known:
            problems.append(Problem(shown, None, key, what, value))

    places, links, facilities = ids("places"), ids("links"), ids("facilities")
    categories, commodities, sources = ids("categories"), ids("commodities"), ids("sources")
    spec, ov = scenario.demand, scenario.overrides
    for key in spec.scale_by_category:
        check(f"demand.scale_by_category.{key}", key, categories, "a category id")
    for key in spec.scale_by_commodity:
        check(f"demand.scale_by_commodity.{key}", key, commodities, "a commodity id")
    for i, item in enumerate(spec.add):
        where = f"demand.add[{i}]"
        check(f"{where}.commodity", item.commodity, commodities, "a commodity id")
        check(f"{where}.category", item.category, categories, "a category id")
        check(f"{where}.origin", item.origin, places, "a place id")
        check(f"{where}.destination", item.destination, places, "a place id")
        for sid in item.source.split(";"):
            check(f"{where}.source", sid.strip(), sources, "a source id of sources.csv")
    new_links = {a.link_id for a in ov.add_links}
    new_facilities = {a.facility_id for a in ov.add_facilities}
    all_links = None if links is None else links | new_links
    all_facilities = None if facilities is None else facilities | new_facilities
    for name in ("close_links", "open_links"):
        for i, lid in enumerate(getattr(ov, name)):
            check(f"overrides.{name}[{i}]", lid, all_links, "a link id")
    for key in ov.link_capacity:
        check(f"overrides.link_capacity.{key}", key, all_links, "a link id")
    for name in ("close_facilities", "open_facilities"):
        for i, fid in enumerate(getattr(ov, name)):
            check(f"overrides.{name}[{i}]", fid, all_facilities, "a facility id")
    for key in ov.facility_capacity:
        check(f"overrides.facility_capacity.{key}", key, all_facilities, "a facility id")
    for key in scenario.sanctions.declarations:
        check(f"sanctions.declarations.{key}", key, categories, "a category id")
    for key in ov.cost:
        check(f"overrides.cost.{key}", key, ids("cost_parameters"), "a cost parameter id")
    for key in ov.zone_fee_usd_per_t:
        check(f"overrides.zone_fee_usd_per_t.{key}", key, ids("zones"), "a zone id")
    unc = scenario.uncertainty
    for key in unc.open_links:
        check(f"uncertainty.open_links.{key}", key, all_links, "a link id")
    for key in unc.open_facilities:
        check(f"uncertainty.open_facilities.{key}", key, all_facilities, "a facility id")
    known = {
        "demand.scale_by_category.": (categories, "a category id"),
        "demand.scale_by_commodity.": (commodities, "a commodity id"),
        "overrides.link_capacity.": (all_links, "a link id"),
        "overrides.facility_capacity.": (all_facilities, "a facility id"),
        "overrides.cost.": (ids("cost_parameters"), "a cost parameter id"),
        "overrides.zone_fee_usd_per_t.": (ids("zones"), "a zone id"),
    }
    named = [
        (f"uncertainty.shared[{i}].keys[{j}]", k)
        for i, s in enumerate(unc.shared)
        for j, k in enumerate(s.keys)
    ]
    named += [(f"uncertainty.grid[{i}].key", g.key) for i, g in enumerate(unc.grid)]
    for where, key in named:
        for prefix, (pool, what) in known.items():
            if key.startswith(prefix):
                check(where, key.removeprefix(prefix), pool, what)
    for i, a in enumerate(ov.add_links):
        if links is not None and a.link_id in links:
            what = "a new link id (this one is in links.csv)"
            problems.append(Problem(shown, None, f"overrides.add_links[{i}].link_id", what,
                                    a.link_id))  # fmt: skip
        check(f"overrides.add_links[{i}].from_id", a.from_id, places, "a place id")
        check(f"overrides.add_links[{i}].to_id", a.to_id, places, "a place id")
    for i, f in enumerate(ov.add_facilities):
        where = f"overrides.add_facilities[{i}]"
        if facilities is not None and f.facility_id in facilities:
            what = "a new facility id (this one is in facilities.csv)"
            problems.append(Problem(shown, None, f"{where}.facility_id", what, f.facility_id))
        check(f"{where}.place_id", f.place_id, places, "a place id")
        for j, lid in enumerate(f.link_ids):
            check(f"{where}.link_ids[{j}]", lid, all_links, "a link id")
    return problems
