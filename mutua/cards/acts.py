"""The kinds of care the member card lets the member get without paying upfront.

Seed 001 ("Actes bénéficiant du tiers payant") and seed 000 (direct settlement): the
provider is paid by the insurer, within the guarantees of the contract. This list is the
one place the card, and anything else that needs it, reads them from.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ThirdPartyAct:
    code: str  # the short code printed on third-party payment cards
    label: Promise


THIRD_PARTY_ACTS: tuple[ThirdPartyAct, ...] = (
    ThirdPartyAct("PHAR", _("Pharmacy")),
    ThirdPartyAct("LABO", _("Medical laboratory tests")),
    ThirdPartyAct("RADL", _("Radiology and medical imaging")),
    ThirdPartyAct("AUXM", _("Medical auxiliaries (nurses, physiotherapists…)")),
    ThirdPartyAct("HOSP", _("Hospitalisation")),
    ThirdPartyAct("CSAN", _("Health centres")),
    ThirdPartyAct("OPTI", _("Optical care from network opticians")),
    ThirdPartyAct("DENT", _("Dental care from network dentists")),
    ThirdPartyAct("AUDI", _("Hearing aids from network audiologists")),
)
