"""Where a plan covers care (seed 000): worldwide, except in restricted zones, where one of the
zone's conditions must hold. The zones, their countries and which conditions open each are the
plan's data (``zones:``); what each condition means is here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from engine.plan import Plan
from engine.plan_sections import Zone


@dataclass(frozen=True, slots=True)
class ZoneDecision:
    """Whether care in ``country`` is covered, and why (``zone`` is None outside every restricted zone)."""

    covered: bool
    zone: Zone | None = None
    opened_by: str | None = None  # the condition that opened the zone
    would_open: tuple[str, ...] = ()  # the zone's conditions, for a member told it is not covered


def _holds(condition: str, zone: Zone, duty_station: str, flags: Collection[str]) -> bool:
    if condition == "duty_station_in_zone":
        return duty_station in zone.countries
    if condition == "duty_station_listed":
        return duty_station in zone.duty_stations
    if condition == "urgent_duty_travel":
        return "urgent" in flags and "duty_travel" in flags
    if condition == "prior_approval":
        return "prior_approval" in flags
    if condition == "life_threatening_approved":
        return "life_threatening" in flags and "prior_approval" in flags
    raise AssertionError(f"unknown zone condition {condition!r}")  # pragma: no cover - the plan validates them


def zone_decision(plan: Plan, *, country: str, duty_station: str, flags: Collection[str] = ()) -> ZoneDecision:
    """Is care given in ``country`` covered for an insured stationed in ``duty_station``?"""
    if plan.zones is None:
        return ZoneDecision(covered=True)
    zone = plan.zones.zone_of(country)
    if zone is None:
        return ZoneDecision(covered=True)
    for condition in zone.covered_when:
        if _holds(condition, zone, duty_station, flags):
            return ZoneDecision(covered=True, zone=zone, opened_by=condition)
    return ZoneDecision(covered=False, zone=zone, would_open=zone.covered_when)


__all__ = ["ZoneDecision", "zone_decision"]
