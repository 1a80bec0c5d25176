from django.urls import path

from mutua.providers.views import approvals, space

app_name = "providers"
urlpatterns = [
    path("", space.home_view, name="home"),
    path("login/", space.ProviderLoginView.as_view(), name="login"),
    path("logout/", space.ProviderLogoutView.as_view(), name="logout"),
    path("guarantees/request/", space.request_view, name="request"),
    path("prior-approvals/request/", approvals.approval_request_view, name="approval_request"),
    path("guarantees/emergency/", space.emergency_view, name="emergency"),
    path("guarantees/<int:guarantee_id>/", space.detail_view, name="detail"),
    path("guarantees/<int:guarantee_id>/pdf/", space.pdf_view, name="pdf"),
    path("guarantees/<int:guarantee_id>/extension/", space.extension_view, name="extension"),
    path("guarantees/<int:guarantee_id>/invoice/", space.invoice_view, name="invoice"),
]
