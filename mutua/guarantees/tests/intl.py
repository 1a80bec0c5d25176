"""A member of the international staff plan of seed 000 (``intl-staff``, USD) and a hospital of its network."""

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.contracts.models import ContractPlan
from mutua.providers.tests.factories import ProviderFactory

INTL_PLAN = "intl-staff"


def intl_member_user(**fields):
    """A member whose group contract runs the international plan, reading the pages in English."""
    user = MemberUserFactory(**{"language": "en", **fields})
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code=INTL_PLAN, tiers=["main"])
    return user


def nairobi_hospital(**fields):
    """A hospital of the network in Nairobi (no French FINESS number, not agreed with the Assurance Maladie)."""
    defaults = {
        "name": "Nairobi Hospital",
        "city": "Nairobi",
        "country": "KE",
        "finess": "",
        "phone": "+254 20 284 5000",
        "conventionne": False,
        "in_network": True,
        "iban": "",
        "bic": "",
    }
    return ProviderFactory(**(defaults | fields))
