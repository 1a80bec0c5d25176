"""Why a care line waits for a handler instead of being decided at once: one table for every channel."""

from django.utils.translation import gettext_lazy

# Why an item waits for a handler instead of being decided at once.
REVIEW_REASONS = {
    "amount_over_auto_limit": gettext_lazy("amount above the automatic limit"),
    "review_section": gettext_lazy("equipment checked by a handler (optical, hearing aids)"),
    "foreign_currency": gettext_lazy("paid in another currency"),
    "possible_duplicate_document": gettext_lazy("a document looks like one already sent"),
    "same_care_claimed": gettext_lazy("the same care was already claimed"),
    "receipt_amount_mismatch": gettext_lazy("the amount differs from the one read on the receipt"),
    "engine_error": gettext_lazy("the rules could not decide automatically (missing BR or detail)"),
    "outside_pathway": gettext_lazy("outside the care pathway: check the part the plan may pay"),
    "am_paid_nothing": gettext_lazy("the Assurance Maladie paid nothing: check its statement"),
    "am_part_missing": gettext_lazy("the Assurance Maladie's part is not stated: check its statement"),
    "over_guarantee": gettext_lazy("above the amount the guarantee of payment covers"),
    "time_barred": gettext_lazy("care more than two years old: time-barred unless an exception applies"),
}
# A handler pays such an item only with the exception that applies (seed 001, limitation period).
JUSTIFIED_REASONS = frozenset({"time_barred"})
