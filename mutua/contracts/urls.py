from django.urls import path

from mutua.contracts.views import backoffice, portal
from mutua.contracts.views.imports import affiliation_import_view

app_name = "contracts"
urlpatterns = [
    path("", portal.my_contract_view, name="my_contract"),
    path("family-change/", portal.family_change_view, name="family_change"),
    path("contact-details/", portal.contact_details_view, name="contact_details"),
    path("bank-details/", portal.bank_details_view, name="bank_details"),
]

backoffice_urlpatterns = [
    path("members/", backoffice.member_search_view, name="member_search"),
    path("affiliations/import/", affiliation_import_view, name="affiliation_import"),
    path("members/<int:member_id>/", backoffice.household_view, name="household"),
    path("members/<int:member_id>/duty-station/", backoffice.duty_station_view, name="duty_station"),
    path("beneficiaries/<int:beneficiary_id>/optional-cover/", backoffice.optional_cover_view, name="optional_cover"),
    path(
        "change-requests/<int:change_request_id>/decide/",
        backoffice.change_request_decide_view,
        name="change_request_decide",
    ),
]
