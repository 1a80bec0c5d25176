from django.contrib import admin
from django.urls import include, path

from mutua.accounts.urls import backoffice_urlpatterns as accounts_backoffice
from mutua.api.api import api
from mutua.approvals.urls import backoffice_urlpatterns as approvals_backoffice
from mutua.capital.urls import backoffice_urlpatterns as capital_backoffice
from mutua.claims.urls import backoffice_urlpatterns as claims_backoffice
from mutua.contracts.urls import backoffice_urlpatterns as contracts_backoffice
from mutua.conversations.urls import backoffice_urlpatterns as conversations_backoffice
from mutua.conversations.urls import review_backoffice_urlpatterns as reviews_backoffice
from mutua.core import views as core_views
from mutua.guarantees.urls import backoffice_urlpatterns as guarantees_backoffice
from mutua.payments.urls import backoffice_urlpatterns as payments_backoffice
from mutua.quotes.urls import backoffice_urlpatterns as quotes_backoffice
from mutua.quotes.urls import public_urlpatterns as quotes_public
from mutua.support.urls import backoffice_urlpatterns as support_backoffice
from mutua.teletransmission.urls import backoffice_urlpatterns as teletransmission_backoffice

portal_urlpatterns = [
    path("", core_views.portal_home_view, name="home"),
]

backoffice_urlpatterns = [
    path("", core_views.backoffice_home_view, name="home"),
    *accounts_backoffice,
    *support_backoffice,
    *contracts_backoffice,
    *claims_backoffice,
    *payments_backoffice,
    *teletransmission_backoffice,
    *quotes_backoffice,
    *guarantees_backoffice,
    *approvals_backoffice,
    *capital_backoffice,
    *conversations_backoffice,
    *reviews_backoffice,
]

urlpatterns = [
    path("", include("mutua.accounts.urls")),
    path("portal/", include((portal_urlpatterns, "portal"))),
    path("portal/contract/", include("mutua.contracts.urls")),
    path("portal/my-guarantees/", include("mutua.benefits.urls")),
    path("portal/claims/", include("mutua.claims.urls")),
    path("portal/quotes/", include("mutua.quotes.urls")),
    path("portal/hospital/", include("mutua.guarantees.urls")),
    path("portal/prior-approvals/", include("mutua.approvals.urls")),
    path("portal/capital/", include("mutua.capital.urls")),
    path("portal/notifications/", include("mutua.notifications.urls")),
    path("portal/messages/", include("mutua.conversations.urls")),
    path("provider/", include("mutua.providers.urls")),
    path("card/", include("mutua.cards.urls")),
    path("simulator/", include((quotes_public, "simulator"))),
    path("help/", include("mutua.support.urls")),
    path("documents/", include("mutua.documents.urls")),
    path("backoffice/", include((backoffice_urlpatterns, "backoffice"))),
    path("backoffice/admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
