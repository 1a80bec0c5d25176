"""Legal parameters (PMSS, AM rates, deductions, hospital forfaits) keyed by effective date.

The values live in ``engine/data/parameters.yaml``; each dated value carries its legal
reference. ``Parameters.value(key, on)`` returns the value in force on a date and raises
``ParameterNotInForce`` with a clear message when there is none.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PARAMETERS_FILE = DATA_DIR / "parameters.yaml"

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


class ParameterError(ValueError):
    """The parameters file is malformed."""


class ParameterNotInForce(LookupError):
    """No value of a parameter is in force on the requested date."""

    def __init__(self, key: str, on: dt.date, detail: str) -> None:
        self.key = key
        self.on = on
        super().__init__(f"parameter '{key}' has no value in force on {on.isoformat()}: {detail}")


@dataclass(frozen=True, slots=True)
class DatedValue:
    start: dt.date
    value: Decimal | None  # None: repealed from ``start``
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Parameter:
    key: str
    label_fr: str
    label_en: str
    unit: str
    values: tuple[DatedValue, ...]  # sorted by start

    def at(self, on: dt.date) -> DatedValue:
        starts = [v.start for v in self.values]
        index = bisect.bisect_right(starts, on) - 1
        if index < 0:
            raise ParameterNotInForce(self.key, on, f"the earliest value starts on {self.values[0].start.isoformat()}")
        found = self.values[index]
        if found.value is None:
            raise ParameterNotInForce(self.key, on, f"repealed since {found.start.isoformat()} ({found.source})")
        return found


class Parameters:
    """Dated legal parameters with a per-date snapshot cache."""

    def __init__(self, parameters: Mapping[str, Parameter], source: str = "") -> None:
        self._parameters = dict(parameters)
        self.source = source
        self._snapshots: dict[dt.date, dict[str, Decimal]] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._parameters

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._parameters))

    def keys(self) -> list[str]:
        return sorted(self._parameters)

    def get(self, key: str) -> Parameter:
        try:
            return self._parameters[key]
        except KeyError:
            raise ParameterNotInForce(key, dt.date.min, "unknown parameter (not in the parameters file)") from None

    def dated(self, key: str, on: dt.date) -> DatedValue:
        return self.get(key).at(on)

    def value(self, key: str, on: dt.date) -> Decimal:
        found = self.snapshot(on).get(key)
        if found is None:
            # Not in force (or unknown): raise the precise error.
            dated = self.get(key).at(on)
            assert dated.value is not None
            return dated.value
        return found

    def snapshot(self, on: dt.date) -> dict[str, Decimal]:
        """Every parameter value in force on ``on`` (missing keys are not in force)."""
        cached = self._snapshots.get(on)
        if cached is None:
            cached = {}
            for key, parameter in self._parameters.items():
                try:
                    dated = parameter.at(on)
                except ParameterNotInForce:
                    continue
                assert dated.value is not None
                cached[key] = dated.value
            if len(self._snapshots) > 20_000:
                self._snapshots.clear()
            self._snapshots[on] = cached
        return cached


def _as_date(raw: object, where: str) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise ParameterError(f"{where}: 'from' must be a date YYYY-MM-DD, got {raw!r}")


def _as_decimal(raw: object, where: str) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, (float, bool)):
        raise ParameterError(f"{where}: write the value as a quoted string, not {raw!r}")
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        raise ParameterError(f"{where}: {raw!r} is not a number") from None


def parse_parameters(document: Any, source: str) -> Parameters:
    if not isinstance(document, dict) or not isinstance(document.get("parameters"), dict):
        raise ParameterError(f"{source}: expected a mapping with a 'parameters' key")
    parsed: dict[str, Parameter] = {}
    for key, body in document["parameters"].items():
        where = f"{source}: parameter '{key}'"
        if not isinstance(key, str) or not _KEY_RE.match(key):
            raise ParameterError(f"{where}: keys are lower_snake_case words joined by dots")
        if not isinstance(body, dict):
            raise ParameterError(f"{where}: expected a mapping")
        label = body.get("label") or {}
        raw_values = body.get("values")
        if not isinstance(raw_values, list) or not raw_values:
            raise ParameterError(f"{where}: 'values' must be a non-empty list")
        values: list[DatedValue] = []
        for index, item in enumerate(raw_values):
            item_where = f"{where} values[{index}]"
            if not isinstance(item, dict):
                raise ParameterError(f"{item_where}: expected a mapping")
            source_text = item.get("source")
            if not isinstance(source_text, str) or not source_text.strip():
                raise ParameterError(f"{item_where}: every value needs its legal 'source'")
            values.append(
                DatedValue(
                    start=_as_date(item.get("from"), item_where),
                    value=_as_decimal(item.get("value"), item_where),
                    source=source_text.strip(),
                    note=str(item.get("note", "")).strip(),
                )
            )
        values.sort(key=lambda v: v.start)
        for before, after in itertools.pairwise(values):
            if before.start == after.start:
                raise ParameterError(f"{where}: two values start on {after.start.isoformat()}")
        parsed[key] = Parameter(
            key=key,
            label_fr=str(label.get("fr", key)),
            label_en=str(label.get("en", key)),
            unit=str(body.get("unit", "")),
            values=tuple(values),
        )
    return Parameters(parsed, source)


def load_parameters(path: Path | str | None = None) -> Parameters:
    file = Path(path) if path is not None else DEFAULT_PARAMETERS_FILE
    with file.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    return parse_parameters(document, str(file))


@lru_cache(maxsize=1)
def default_parameters() -> Parameters:
    return load_parameters()
