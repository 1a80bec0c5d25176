"""What the claim form asks under a plan with restricted zones (seed 000): where the care was given and,
for a restricted zone, whether it was urgent and whether the insured was on duty travel; and, before
the member sends it, under which conditions care there is covered, in plain words.

Nothing is refused here: the pipeline decides the care line and the engine says why a zone pays nothing.
"""

from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from engine import get_plan
from engine.plan_sections import Zone
from engine.zones import zone_decision
from mutua.core.countries import country_choices, country_name


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def condition_words(condition: str, zone: Zone) -> str:
    """One condition of a zone, as a member reads it."""
    if condition == "duty_station_in_zone":
        return _("your duty station is in %(zone)s") % {"zone": zone.label.get(_language())}
    if condition == "urgent_duty_travel":
        return _("the care was urgent and not planned, while you were there on duty travel")
    if condition == "duty_station_listed":
        names = ", ".join(country_name(code) for code in zone.duty_stations)
        return _("your duty station is in one of these countries: %(countries)s") % {"countries": names}
    if condition == "prior_approval":
        return _(
            "our medical advisor approved the care beforehand, because no adequate treatment could be found elsewhere"
        )
    if condition == "life_threatening_approved":
        return _("the situation was life-threatening and our medical advisor approved the care")
    return condition


@dataclass(frozen=True)
class ZoneNotice:
    """A restricted zone the member's duty station does not open, with its conditions in words."""

    label: str
    countries: tuple[str, ...]
    conditions: tuple[str, ...]
    approval_url: str

    @property
    def codes(self) -> str:
        return " ".join(self.countries)


def zone_notices(plan_code: str, duty_station: str) -> list[ZoneNotice]:
    """The plan's restricted zones where care is not covered by the duty station alone."""
    plan = get_plan(plan_code)
    if plan.zones is None:
        return []
    notices = []
    for zone in plan.zones.restricted:
        decision = zone_decision(plan, country=zone.countries[0], duty_station=duty_station)
        if decision.covered:
            continue
        notices.append(
            ZoneNotice(
                label=zone.label.get(_language()),
                countries=tuple(zone.countries),
                conditions=tuple(condition_words(condition, zone) for condition in decision.would_open),
                approval_url=f"{reverse('approvals:request')}?country={zone.countries[0]}",
            )
        )
    return notices


def zone_fields_add(form: forms.Form, *, plan_code: str, duty_station: str) -> None:
    """The questions of a plan with restricted zones; none for another plan."""
    if get_plan(plan_code).zones is None:
        return
    form.fields["care_country"] = forms.ChoiceField(
        label=gettext_lazy("Country where the care was given"), choices=country_choices(), initial=duty_station
    )
    form.fields["care_urgent"] = forms.BooleanField(
        label=gettext_lazy("The care was urgent and not planned"), required=False
    )
    form.fields["duty_travel"] = forms.BooleanField(
        label=gettext_lazy("You were in that country on duty travel (a mission for your organisation)"),
        required=False,
    )
    form.zone_notices = zone_notices(plan_code, duty_station)


def zone_arguments(data: dict) -> dict[str, object]:
    """What the claim service stores of the answers (nothing under a plan without zones)."""
    if "care_country" not in data:
        return {}
    return {
        "care_country": data["care_country"],
        "care_urgent": bool(data.get("care_urgent")),
        "duty_travel": bool(data.get("duty_travel")),
    }
