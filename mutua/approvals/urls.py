from django.urls import path

from mutua.approvals.views import backoffice, portal

app_name = "approvals"
urlpatterns = [
    path("", portal.approval_list_view, name="list"),
    path("request/", portal.approval_request_view, name="request"),
    path("<int:approval_id>/", portal.approval_detail_view, name="detail"),
]

backoffice_urlpatterns = [
    path("prior-approvals/", backoffice.approval_queue_view, name="approval_queue"),
    path("prior-approvals/<int:approval_id>/", backoffice.approval_view, name="approval"),
    path("prior-approvals/<int:approval_id>/decide/", backoffice.approval_decide_view, name="approval_decide"),
    path("prior-approvals/<int:approval_id>/report/", backoffice.approval_report_view, name="approval_report"),
]
