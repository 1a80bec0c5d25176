"""Money in two currencies, in the reader's words: a bill paid in another currency than the plan's (both amounts
and the rate), and a reimbursement sent to an account in another currency than the plan's."""

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mutua.benefits.models import ClaimItem
from mutua.core.formatting import money_format, rate_format
from mutua.core.money import ECB
from mutua.payments.selectors import Conversion


def conversion_sentence(item: ClaimItem, *, plan_currency: str, language: str) -> str:
    """ "Paid 6,500.00 KES = 50.32 USD at 1 KES = 0.007742 USD on 12 March 2026 (…)"; empty when the bill
    was in the plan's currency."""
    if item.currency == plan_currency:
        return ""
    with translation.override(language):
        paid = money_format(item.amount, item.currency)
        if item.awaiting_rate:
            return _(
                "Paid %(paid)s: no exchange rate is known for this currency, your management unit converts it "
                "into %(plan)s at the rate of the day of the care."
            ) % {"paid": paid, "plan": plan_currency}
        words = {
            "paid": paid,
            "converted": money_format(item.plan_amount, plan_currency),
            "currency": item.currency,
            "rate": rate_format(item.plan_rate),
            "plan": plan_currency,
            "day": date_format(item.rate_on or item.care_date, "DATE_FORMAT"),
        }
        sentence = _("Paid %(paid)s = %(converted)s at 1 %(currency)s = %(rate)s %(plan)s on %(day)s") % words
        if item.rate_source == ECB and item.rate_on and item.rate_on != item.care_date:
            source = _("European Central Bank reference rate, the last one published before the care")
        elif item.rate_source == ECB:
            source = _("European Central Bank reference rate")
        else:
            source = _("rate entered by your management unit: %(source)s") % {"source": item.rate_source}
        return f"{sentence} ({source})."


def sent_sentence(conversion: Conversion | None, *, language: str) -> str:
    """ "In your account's currency: €46.27 for US$50.32, at 1 US$ = 0.9195 € (European Central Bank reference
    rate of 12 March 2026)."; empty when the account is paid in the plan's currency."""
    if conversion is None:
        return ""
    with translation.override(language):
        words = {
            "sent": money_format(conversion.sent, conversion.currency),
            "plan": money_format(conversion.plan_amount, conversion.plan_currency),
        }
        if len(conversion.rates) > 1:
            return (
                _(
                    "In your account's currency: %(sent)s for %(plan)s, each care converted at the European Central "
                    "Bank reference rate of its date."
                )
                % words
            )
        rate, day = conversion.rates[0]
        words |= {
            "from": conversion.plan_currency,
            "into": conversion.currency,
            "rate": rate_format(rate),
            "day": date_format(day, "DATE_FORMAT"),
        }
        return (
            _(
                "In your account's currency: %(sent)s for %(plan)s, at 1 %(from)s = %(rate)s %(into)s (European "
                "Central Bank reference rate of %(day)s)."
            )
            % words
        )
