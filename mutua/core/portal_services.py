"""The services the member home page offers (seed 000 and 001), in the order shown.

Each names the URL of its page; a service whose page has not landed yet is listed as
"coming soon", so each feature appears on the home page as soon as its URL exists.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PortalService:
    url_name: str
    title: Promise
    description: Promise
    # The dotted path of a predicate ``(member) -> bool`` of the app that owns the page, when only some
    # members have it (a plan's capital): named, not imported, so the home page depends on no channel.
    offered_if: str = ""

    def offered_to(self, member: object) -> bool:
        return not self.offered_if or import_string(self.offered_if)(member=member)

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


PORTAL_SERVICES = (
    PortalService("claims:list", _("My claims"), _("Request a healthcare reimbursement and follow your claims.")),
    PortalService("claims:statements", _("My statements"), _("Download your reimbursement statements.")),
    PortalService("contracts:my_contract", _("My contract"), _("Your plan, your beneficiaries and their cover.")),
    PortalService(
        "benefits:my_guarantees", _("My guarantees"), _("What your plan pays, row by row, with examples for you.")
    ),
    PortalService(
        "cards:download",
        _("My member card"),
        _("Show or print your card: you pay nothing upfront where it is accepted."),
    ),
    PortalService(
        "guarantees:list", _("Hospital guarantee"), _("Ask for a guarantee of payment before a hospital stay.")
    ),
    PortalService(
        "approvals:list",
        _("Prior approvals"),
        _("Planned care where your plan covers it only on conditions: ask our medical advisor first."),
        offered_if="mutua.approvals.selectors.member_has_zones",
    ),
    PortalService("quotes:list", _("My quotes"), _("Know what you will be reimbursed before you spend.")),
    PortalService("network:search", _("Medical network"), _("Find a healthcare professional near you.")),
    PortalService("conversations:list", _("My messages"), _("Write to your management unit.")),
    PortalService(
        "capital:home",
        _("Declare a death or disability"),
        _("Your plan's death and disability capital: who receives it, and how to declare."),
        offered_if="mutua.capital.selectors.member_has_capital",
    ),
    PortalService("accounts:my_details", _("My details"), _("Your details, your password and your sessions.")),
)
