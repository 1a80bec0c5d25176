from django.urls import path

from mutua.benefits import views

app_name = "benefits"
urlpatterns = [
    path("", views.my_guarantees_view, name="my_guarantees"),
    path("reimbursement-request-form.pdf", views.claim_form_pdf_view, name="claim_form_pdf"),
]
