from django.urls import path

from mutua.contracts.views import backoffice, portal

app_name = "contracts"
urlpatterns = [
    path("", portal.my_contract_view, name="my_contract"),
]

backoffice_urlpatterns = [
    path("members/", backoffice.member_search_view, name="member_search"),
]
