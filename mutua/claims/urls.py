from django.urls import path

from mutua.claims.views import backoffice, portal, statements

app_name = "claims"
urlpatterns = [
    path("", portal.claim_list_view, name="list"),
    path("new/", portal.claim_start_view, name="start"),
    path("statements/", portal.statement_list_view, name="statements"),
    path("terms/", portal.terms_view, name="terms"),
    path("statements/<int:statement_id>.pdf", statements.statement_pdf_view, name="statement_pdf"),
    path("<int:claim_id>/", portal.claim_detail_view, name="detail"),
    path("<int:claim_id>/items/", portal.claim_item_add_view, name="item_add"),
    path("<int:claim_id>/items/<int:item_id>/remove/", portal.claim_item_remove_view, name="item_remove"),
    path("<int:claim_id>/summary/", portal.claim_summary_view, name="summary"),
]

backoffice_urlpatterns = [
    path("claims/review/", backoffice.review_queue_view, name="review_queue"),
    path("claims/<int:claim_id>/", backoffice.claim_view, name="claim"),
    path("claims/statements/<int:statement_id>.pdf", statements.backoffice_statement_pdf_view, name="statement_pdf"),
    path("claims/items/<int:item_id>/decide/", backoffice.item_decide_view, name="item_decide"),
    path("claims/suspensions/", backoffice.suspensions_view, name="suspensions"),
    path("claims/suspensions/<int:suspension_id>/lift/", backoffice.suspension_lift_view, name="suspension_lift"),
]
