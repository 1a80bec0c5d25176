"""The online claim's care item form: one care item, asked for one kind of care (a ``CareGroup``),
with only the questions that matter for it, the page's explanations of each answer, and the
arguments the claim services receive (their refusals shown beside the field they are about).
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engine import get_plan
from mutua.benefits.rules import DOCTOR_FEES
from mutua.claims.care_groups import IMPLIED_FLAGS, VARIANT_OF, WITH_100_SANTE, CareGroup, care_label, needs
from mutua.claims.item_choices import (
    BASKET_CHOICES,
    BASKET_HELP,
    BASKET_LABELS,
    DOCTOR_FEES_HELP,
    LENS_CHOICES,
    LENS_HELP,
    SIDE_CHOICES,
)
from mutua.claims.online_limit import online_limit_words
from mutua.claims.zone_questions import zone_arguments, zone_fields_add
from mutua.contracts.forms import MultipleFileField
from mutua.core.currencies import country_currency, currency_choices


class CareChoiceField(forms.ChoiceField):
    """Offers the care of one group; takes any care of the plan, so the service says why one is refused."""

    accepted: frozenset[str] = frozenset()

    def valid_value(self, value: object) -> bool:
        return value in self.accepted or super().valid_value(value)


# The questions whose answer only counts for some care; others are always asked.
CONDITIONAL = ("mr", "br", "doctor_fees", "basket", "lens_class", "network", "side", "quantity")
EXTRAS = ("other_paid", "ald", "non_conventionne", "outside_pathway")
EMPTY: dict[str, object] = {"mr": None, "br": None, "doctor_fees": "", "basket": "", "lens_class": ""}
EMPTY |= {"network": False, "side": "", "quantity": 1}


class ClaimItemForm(forms.Form):
    """One care item, asked for one kind of care (a ``CareGroup``): only the questions that matter for it."""

    group = forms.CharField(widget=forms.HiddenInput, required=False)
    benefit_code = CareChoiceField(label=_("Which care exactly?"), widget=forms.RadioSelect)
    care_date = forms.DateField(label=_("Date of the care"), widget=forms.DateInput(attrs={"type": "date"}))
    provider = forms.CharField(label=_("Health professional or establishment"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount paid"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        help_text=_("The currency you paid in, as on the bill: we convert it at the rate of the day of the care."),
    )
    mr = forms.DecimalField(
        label=_("Paid by the Assurance Maladie"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "From your Assurance Maladie statement (or your ameli account); 0 if it paid nothing. Not needed for "
            "care it does not cover, such as osteopathy. If the Assurance Maladie sends us your statements "
            "directly, you have nothing to claim for the care it covers."
        ),
    )
    br = forms.DecimalField(
        label=_("Reimbursement base (BR), if shown"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    other_paid = forms.DecimalField(
        label=_("Paid by another complementary insurer"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "If another complementary insurer (your spouse's, for example) reimbursed you first: the amount on its "
            "statement, attached with the other documents. We pay at most what remains."
        ),
    )
    quantity = forms.IntegerField(label=_("Number of sessions, days or items"), min_value=1, max_value=99, initial=1)
    doctor_fees = forms.ChoiceField(
        label=_("For a doctor or radiology: how does the doctor charge?"),
        required=False,
        choices=[("", "—"), *DOCTOR_FEES.items()],
        help_text=_("Written on the doctor's receipt or on ameli.fr's directory of health professionals."),
    )
    network = forms.BooleanField(label=_("The provider belongs to the partner network"), required=False)
    ald = forms.BooleanField(label=_("Care for a long-term illness (ALD)"), required=False)
    non_conventionne = forms.BooleanField(
        label=_("The provider is not conventionné with the Assurance Maladie"), required=False
    )
    outside_pathway = forms.BooleanField(
        label=_("Specialist seen without your GP's referral (outside the care pathway)"), required=False
    )
    # Shared with the quote forms and the handler's decision, as selects; this form asks them as choices.
    basket = forms.ChoiceField(
        label=_("Basket (dental, optical, hearing)"),
        required=False,
        choices=[
            ("", "—"),
            ("100_sante", _("100 % Santé")),
            ("maitrise", _("controlled prices")),
            ("libre", _("free prices")),
        ],
    )
    lens_class = forms.ChoiceField(
        label=_("Lenses (glasses)"),
        required=False,
        choices=[
            ("", "—"),
            ("simple", _("single vision")),
            ("complex", _("complex")),
            ("very_complex", _("very complex")),
        ],
    )
    side = forms.ChoiceField(
        label=_("Side (eye or ear)"),
        required=False,
        choices=[("", "—"), ("left", _("left")), ("right", _("right"))],
    )
    documents = MultipleFileField(
        label=_("Your documents"),
        help_text=_(
            "PDF, JPEG or PNG: at most 5 files of 10 MB each. A photo taken with your phone is fine if it can be read."
        ),
    )

    FLAGS = ("network", "ald", "non_conventionne", "outside_pathway")
    zone_notices: tuple = ()  # under a plan with restricted zones: where care is covered on conditions only
    # The field that shows a refusal of the service, by its code; others go above the form.
    FIELD_OF_ERROR = {
        "future": "care_date",
        "time_barred": "care_date",
        "not_covered": "care_date",
        "benefit": "benefit_code",
        "by_post": "benefit_code",
        "doctor_fees": "doctor_fees",
        "am_paid_required": "mr",
        "am_paid_too_high": "mr",
        "other_paid_too_high": "other_paid",
        "over_limit": "amount",
        "amount": "amount",
        "currency": "currency",
        "attribute_lens_class": "lens_class",
        "attribute_side": "side",
        "attribute_basket": "basket",
        "no_document": "documents",
        "care_country": "care_country",
        "too_many_documents": "documents",
    }
    ATTRIBUTES = ("basket", "lens_class", "side")

    def __init__(
        self,
        *args: object,
        plan_code: str,
        group: CareGroup | None,
        language: str,
        duty_station: str = "",
        **kwargs: Any,
    ) -> None:
        initial = dict(kwargs.pop("initial", None) or {})
        code = initial.get("benefit_code")
        if code in VARIANT_OF:  # a 100 % Santé equipment is the same care, the quote's basket says so
            initial |= {"benefit_code": VARIANT_OF[code], "basket": "100_sante"}
        super().__init__(*args, initial=initial, **kwargs)
        self.plan_code, self.group, self.language = plan_code, group, language
        # Any currency; the plan's and the duty station's first, the plan's chosen until the member says.
        plan_currency = get_plan(plan_code).currency
        station_currency = country_currency(duty_station) or plan_currency
        self.fields["currency"].choices = currency_choices(first=(plan_currency, station_currency), language=language)
        self.fields["currency"].initial = plan_currency
        # The engine deducts it in the plan's currency, whatever the bill's: the label says which.
        self.fields["other_paid"].label = _("Paid by another complementary insurer, in %(currency)s") % {
            "currency": plan_currency
        }
        self.fields["amount"].help_text = _(
            "What you paid, as on the invoice. A bill of %(limit)s or more is sent by post, even split into several "
            "care items: the care of one day at one professional is one bill."
        ) % {"limit": online_limit_words(currency=plan_currency, on=timezone.localdate())}
        codes = group.codes if group else ()
        field = self.fields["benefit_code"]
        assert isinstance(field, CareChoiceField)
        field.choices = [(code, care_label(plan_code, code, language)) for code in codes]
        field.accepted = frozenset(b.code for b in get_plan(plan_code).benefits)
        self.needs = {code: needs(plan_code, code) for code in codes}
        self.fields["group"].initial = group.key if group else ""
        self._ask_in_plain_words()
        zone_fields_add(self, plan_code=plan_code, duty_station=duty_station)
        if group is None:
            return
        self.initial.setdefault("benefit_code", codes[0])
        if len(codes) == 1:
            field.widget = forms.HiddenInput()
        self.fields["provider"].label = group.provider_label
        asked = set().union(*self.needs.values()) if self.needs else set()
        for name in CONDITIONAL:
            if name not in asked:
                del self.fields[name]
        for name in EXTRAS:
            if name not in group.extras:
                del self.fields[name]
        if "quantity" in self.fields and group.quantity_label:
            self.fields["quantity"].label = group.quantity_label
        if "basket" in self.fields:
            self.fields["basket"].label = BASKET_LABELS.get(group.key, self.fields["basket"].label)
            if all(code in WITH_100_SANTE for code, needed in self.needs.items() if "basket" in needed):
                # Equipment at 100 % Santé or free prices: "moderate prices" is a dental basket only.
                self.fields["basket"].choices = [c for c in BASKET_CHOICES if c[0] != "maitrise"]

    def _ask_in_plain_words(self) -> None:
        """The shared fields, asked here as choices with their meaning (the classes keep them as selects)."""
        self.fields["doctor_fees"] = forms.ChoiceField(
            label=_("How does the doctor charge?"),
            required=False,
            choices=list(DOCTOR_FEES.items()),
            initial="sector_1",
            widget=forms.RadioSelect,
            help_text=_("It is written on the receipt, or in the directory of health professionals on ameli.fr."),
        )
        self.fields["basket"] = forms.ChoiceField(
            label=_("What does the quote say?"),
            required=False,
            choices=BASKET_CHOICES,
            initial="libre",
            widget=forms.RadioSelect,
        )
        self.fields["lens_class"] = forms.ChoiceField(
            label=_("Which lenses? (written on the optician's quote)"),
            required=False,
            choices=LENS_CHOICES,
            initial="simple",
            widget=forms.RadioSelect,
        )
        self.fields["side"] = forms.ChoiceField(
            label=_("Which side?"), required=False, choices=SIDE_CHOICES, widget=forms.RadioSelect
        )
        self.fields["network"] = forms.BooleanField(
            label=_("The optician belongs to our partner network"),
            required=False,
            help_text=_("A partner optician's glasses are better reimbursed. Your quote or the optician can tell you."),
        )
        self.fields["quantity"].required = False
        self.fields["mr"].label = _("Paid by the Assurance Maladie")
        self.fields["mr"].help_text = _(
            "On its statement (or in your ameli account), a few days after the care; 0 if it paid nothing."
        )
        self.fields["br"].label = _("Reimbursement base, if the statement shows it")
        self.fields["br"].help_text = _("“Base de remboursement” on the statement; leave empty if you don't find it.")

    # -- what the page shows -----------------------------------------------------------------------
    def _options(self, name: str, helps: dict[str, Promise]) -> list[dict[str, object]]:
        if name not in self.fields:
            return []
        bound = self[name]
        return [
            {"radio": radio, "help": helps.get(str(radio.data["value"]), "")}
            for radio in bound.subwidgets  # type: ignore[attr-defined]
        ]

    @property
    def explained(self) -> dict[str, list[dict[str, object]]]:
        return {
            "doctor_fees": self._options("doctor_fees", DOCTOR_FEES_HELP),
            "basket": self._options("basket", BASKET_HELP),
            "lens_class": self._options("lens_class", LENS_HELP),
            "side": self._options("side", {}),
        }

    @property
    def care_options(self) -> list[dict[str, object]]:
        """The care of the group, each with the questions it needs (the page shows only those)."""
        chosen = self["benefit_code"].value()
        chosen = VARIANT_OF.get(str(chosen), chosen)
        field = self.fields["benefit_code"]
        assert isinstance(field, CareChoiceField)
        return [
            {
                "code": code,
                "label": label,
                "needs": " ".join(sorted(self.needs.get(str(code), ()))),
                "checked": str(code) == str(chosen),
                "id": f"id_benefit_code_{index}",
            }
            for index, (code, label) in enumerate(field.choices)
        ]

    @property
    def scope(self) -> dict[str, str]:
        """For a question only some care of the group needs: which (said on the page without JavaScript)."""
        field = self.fields["benefit_code"]
        labels = dict(field.choices)  # type: ignore[arg-type]
        scoped: dict[str, str] = {}
        for name in CONDITIONAL:
            concerned = [code for code, needed in self.needs.items() if name in needed]
            if concerned and len(concerned) < len(self.needs):
                scoped[name] = ", ".join(str(labels[code]) for code in concerned)
        return scoped

    @property
    def extras_open(self) -> bool:
        """Open the rarer questions when one of them is answered or wrong."""
        return any(
            name in self.fields and (self.has_error(name) or (self.is_bound and self.data.get(name) not in (None, "")))
            for name in EXTRAS
        )

    @property
    def extra_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in EXTRAS if name in self.fields]

    # -- what the service receives -----------------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("benefit_code")
        if not code:
            return data
        if code in WITH_100_SANTE and data.get("basket") == "100_sante":
            code = data["benefit_code"] = WITH_100_SANTE[code]
        needed = needs(self.plan_code, code)
        for name in CONDITIONAL:
            if name not in needed:  # not asked for this care: never required, never kept
                data[name] = EMPTY[name]
                self._errors.pop(name, None)  # type: ignore[union-attr]
        if "quantity" in needed and data.get("quantity") is None and not self.has_error("quantity"):
            self.add_error("quantity", _("Enter how many (1 if you are not sure)."))
        return data

    def service_arguments(self) -> dict[str, object]:
        data = self.cleaned_data
        code = data["benefit_code"]
        flags = [flag for flag in self.FLAGS if data.get(flag)]
        return {
            "benefit_code": code,
            "care_date": data["care_date"],
            "provider": data["provider"],
            "amount": data["amount"],
            "currency": data["currency"],
            "br": data.get("br"),
            "mr": data.get("mr"),
            "other_paid": data.get("other_paid") or Decimal("0.00"),
            "quantity": data.get("quantity") or 1,
            "doctor_fees": data.get("doctor_fees") or None,
            "flags": [*flags, *IMPLIED_FLAGS.get(code, ())],
            "attributes": {name: data[name] for name in self.ATTRIBUTES if data.get(name)},
            "uploads": data["documents"],
            **zone_arguments(data),
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Show each of the service's refusals beside the field it is about."""
        if hasattr(error, "error_dict"):  # a model's own checks, by its fields: said above the form
            self.add_error(None, error.messages)
            return
        for problem in error.error_list:
            field = self.FIELD_OF_ERROR.get(problem.code or "")
            self.add_error(field if field in self.fields else None, problem)
