from django.urls import path

from mutua.capital.views import backoffice, portal

app_name = "capital"
urlpatterns = [
    path("", portal.home_view, name="home"),
    path("beneficiaries/", portal.designation_view, name="designation"),
    path("declare/", portal.declare_view, name="declare"),
    path("claims/<int:claim_id>/", portal.claim_view, name="claim"),
]

backoffice_urlpatterns = [
    path("capital/", backoffice.queue_view, name="capital_queue"),
    path("capital/new/", backoffice.claim_new_view, name="capital_new"),
    path("capital/<int:claim_id>/", backoffice.claim_view, name="capital_claim"),
    path("capital/<int:claim_id>/documents/", backoffice.documents_add_view, name="capital_documents_add"),
    path("capital/<int:claim_id>/complete/", backoffice.documents_complete_view, name="capital_documents_complete"),
    path("capital/<int:claim_id>/medical/", backoffice.medical_decision_view, name="capital_medical_decision"),
    path("capital/<int:claim_id>/compute/", backoffice.compute_view, name="capital_compute"),
    path("capital/<int:claim_id>/account/", backoffice.bank_details_view, name="capital_bank_details"),
    path("capital/<int:claim_id>/heirs/", backoffice.heirs_view, name="capital_heirs"),
    path("capital/<int:claim_id>/approve/", backoffice.approve_view, name="capital_approve"),
    path("capital/<int:claim_id>/refuse/", backoffice.refuse_view, name="capital_refuse"),
    path("capital/<int:claim_id>/paid/", backoffice.payment_record_view, name="capital_payment_record"),
]
