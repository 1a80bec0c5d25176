from django.urls import path

from mutua.guarantees.views import backoffice, portal

app_name = "guarantees"
urlpatterns = [
    path("", portal.guarantee_list_view, name="list"),
    path("request/", portal.guarantee_request_view, name="request"),
    path("emergency/", portal.guarantee_emergency_view, name="emergency"),
    path("<int:guarantee_id>/", portal.guarantee_detail_view, name="detail"),
    path("<int:guarantee_id>/pdf/", portal.guarantee_pdf_view, name="pdf"),
]

backoffice_urlpatterns = [
    path("guarantees/", backoffice.queue_view, name="guarantee_queue"),
    path("guarantees/emergency/", backoffice.emergency_view, name="guarantee_emergency"),
    path("guarantees/<int:guarantee_id>/", backoffice.guarantee_view, name="guarantee"),
    path("guarantees/<int:guarantee_id>/negotiation/", backoffice.negotiation_view, name="guarantee_negotiation"),
    path("guarantees/<int:guarantee_id>/attach/", backoffice.attach_view, name="guarantee_attach"),
    path("guarantees/<int:guarantee_id>/register/", backoffice.register_view, name="guarantee_register"),
    path("guarantees/<int:guarantee_id>/issue/", backoffice.issue_view, name="guarantee_issue"),
    path("guarantees/<int:guarantee_id>/refuse/", backoffice.refuse_view, name="guarantee_refuse"),
    path("guarantees/extensions/", backoffice.extensions_view, name="guarantee_extensions"),
    path("guarantees/extensions/<int:extension_id>/", backoffice.extension_view, name="guarantee_extension"),
    path("guarantees/reports/<int:report_id>/", backoffice.medical_report_view, name="medical_report"),
]
