"""The words for each eligibility reason, as members and handlers read them."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mutua.contracts.rules import Reason

REASON_TEXT: dict[Reason, Promise] = {
    Reason.SUBSCRIBER: _("Covered as the subscriber."),
    Reason.CHILD_UNDER_18: _("Covered as a child under 18."),
    Reason.CHILD_STUDENT: _("Covered as a student under 28."),
    Reason.CHILD_JOB_SEEKER: _("Covered as a registered job seeker under 28."),
    Reason.CHILD_APPRENTICE: _("Covered as an apprentice or work-study student under 28."),
    Reason.CHILD_CIVIC_SERVICE: _("Covered during civic service, under 26."),
    Reason.CHILD_DISABLED: _("Covered: disability recognised before 28."),
    Reason.ADULT_CHILD_OPTIONAL_COVER: _("Covered through the optional “adult child” cover."),
    Reason.PARTNER_WITHOUT_INCOME: _("Covered as a spouse or partner without income."),
    Reason.PARTNER_NOT_TAXABLE: _("Covered: the couple is not taxable, no extra contribution."),
    Reason.PARTNER_OPTIONAL_COVER: _("Covered through the optional “spouse with income” cover."),
    Reason.ASCENDANT_TAX_DEPENDENT: _("Covered as an ascendant dependent for tax purposes."),
    Reason.PARTNER_CHILD_NOT_IN_HOUSEHOLD: _("Not covered: the partner's child does not live in the household."),
    Reason.CHILD_NO_LONGER_QUALIFIES: _("Not covered: the child no longer meets the conditions (age or situation)."),
    Reason.ADULT_CHILD_OPTIONAL_COVER_AVAILABLE: _(
        "Not covered: an adult child under 28 can be covered through the optional “adult child” cover."
    ),
    Reason.PARTNER_WITH_INCOME: _(
        "Not covered: a spouse or partner with income can be covered through the optional paid cover."
    ),
    Reason.ASCENDANT_NOT_DEPENDENT: _("Not covered: the ascendant is not dependent for tax purposes."),
    Reason.NOT_YET_COVERED: _("Not covered yet on this date."),
    Reason.REMOVED: _("Not covered: removed from the contract."),
    Reason.SUBSCRIBER_NOT_COVERED: _("Not covered: the subscriber's cover is not in force on this date."),
    Reason.NO_PLAN: _("Not covered: the contract has no plan in force on this date."),
}
