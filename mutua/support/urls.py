from django.urls import path

from mutua.support.views import backoffice, portal

app_name = "support"
urlpatterns = [
    path("", portal.help_view, name="help"),
    path("contact/", portal.contact_view, name="contact"),
]

# The retired support inbox's addresses: one inbox now, the unit's (``mutua.conversations``).
backoffice_urlpatterns = [
    path("inbox/", backoffice.inbox_moved_view),
    path("inbox/<int:pk>/", backoffice.inbox_moved_view),
    path("inbox/<int:pk>/status/", backoffice.inbox_moved_view),
]
