from django.urls import path

from mutua.support.views import backoffice, portal

app_name = "support"
urlpatterns = [
    path("", portal.help_view, name="help"),
    path("contact/", portal.contact_view, name="contact"),
]

backoffice_urlpatterns = [
    path("inbox/", backoffice.inbox_view, name="inbox"),
    path("inbox/<int:pk>/", backoffice.contact_request_view, name="contact_request"),
    path("inbox/<int:pk>/status/", backoffice.contact_request_status_view, name="contact_request_status"),
]
