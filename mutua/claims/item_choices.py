"""The answers a care item's questions offer the member, each in plain words with what it means for
them: how the doctor charges, the basket of a quote, the lenses, the side; and the basket question
worded for the quote each kind of care comes with.
"""

from django.utils.translation import gettext_lazy as _

# How a doctor charges, each in plain words with what it means for the member.
DOCTOR_FEES_HELP = {
    "sector_1": _("The doctor charges the Assurance Maladie's rate (€30 for a GP visit). Most GPs do."),
    "optam": _("The doctor may charge more than the rate, within limits agreed with the Assurance Maladie."),
    "free": _("The doctor sets the fees freely and has signed no agreement to limit them."),
}
BASKET_CHOICES = [
    ("100_sante", _("100 % Santé")),
    ("maitrise", _("moderate prices (tarifs maîtrisés)")),
    ("libre", _("free prices (tarifs libres)")),
]
BASKET_HELP = {
    "100_sante": _("Nothing left to pay: the price is capped and fully reimbursed."),
    "maitrise": _("Dental only: the price is capped, part of it may be left to pay."),
    "libre": _("The price is set freely. Choose this if the quote says neither."),
}
LENS_CHOICES = [
    ("simple", _("single vision")),
    ("complex", _("complex")),
    ("very_complex", _("very complex")),
]
LENS_HELP = {
    "simple": _("One correction, not a strong one. Most glasses."),
    "complex": _("Varifocal or bifocal lenses, or single vision with a strong correction."),
    "very_complex": _("Varifocal lenses with a strong correction."),
}
SIDE_CHOICES = [("left", _("left")), ("right", _("right"))]
# The basket question, worded for the quote each kind of care comes with.
BASKET_LABELS = {
    "dentist": _("For a crown, a bridge, a denture or an inlay: what does the dentist's quote say?"),
    "glasses": _("What does the optician's quote say?"),
    "hearing": _("What does the audioprosthetist's quote say?"),
}
