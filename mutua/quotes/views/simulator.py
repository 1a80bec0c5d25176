"""The anonymous simulator: a plan, a care item, an amount, and the estimate. Nothing is stored."""

from decimal import Decimal

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.claims.selectors import benefit_choices, tier_labels
from mutua.core.languages import in_language
from mutua.core.quotas import quota_take
from mutua.quotes.estimates import simulation_compute
from mutua.quotes.forms import SimulatorForm
from mutua.quotes.selectors import simulator_plans

# Each estimate runs the engine: enough for anyone comparing a few quotes, not for scraping the table.
SIMULATIONS_PER_MINUTE = 30


def simulator_view(request: HttpRequest) -> HttpResponse:
    language = get_language()
    plans = simulator_plans(language=language)
    plan_code = request.GET.get("plan")
    if plan_code not in dict(plans):
        plan_code = plans[0][0]
    tiers = tier_labels(plan_code=plan_code, language=language)
    # Only the plan in the query string (the plan was changed): show its form, unbound.
    form = SimulatorForm(
        request.GET if "amount" in request.GET else None,
        plans=plans,
        tiers=list(tiers.items()),
        benefits=benefit_choices(plan_code=plan_code, language=language),
        initial={"plan": plan_code},
    )
    estimate, status = None, 200
    if form.is_valid():
        if not quota_take(key=f"simulator:{get_client_ip_address(request)}", limit=SIMULATIONS_PER_MINUTE, seconds=60):
            form.add_error(None, _("Too many estimates in a short time: wait a minute and try again."))
            status = 429
        else:
            data = form.cleaned_data
            try:
                estimate = simulation_compute(
                    plan_code=plan_code,
                    tiers=tuple(data["tiers"]),
                    age=data["age"],
                    on=data["on"],
                    line=form.line_input(),
                )
            except ValidationError as error:
                form.add_error(None, error)
    line = estimate.lines[0] if estimate else None
    return render(
        request,
        "quotes/simulator.html",
        {
            "form": form,
            "plan_code": plan_code,
            "plan": get_plan(plan_code).label.get(language),
            "line": line,
            "tiers": [(tiers.get(code, code), Decimal(amount)) for code, amount in line.fields["tiers_paid"].items()]
            if line
            else [],
            "explanation": in_language(line.fields["explanation"], language, []) if line else [],
            "plain": in_language(line.fields["explanation"].get("plain", {}), language, []) if line else [],
        },
        status=status,
    )
