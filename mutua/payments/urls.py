from django.urls import path

from mutua.payments import views

backoffice_urlpatterns = [
    path("payments/runs/<int:run_id>/take-on/", views.run_take_on_view, name="payment_run_take_on"),
    path("payments/runs/", views.runs_view, name="payment_runs"),
    path("payments/runs/new/", views.run_create_view, name="payment_run_create"),
    path("payments/runs/<int:run_id>/", views.run_view, name="payment_run"),
    path("payments/runs/<int:run_id>/approve/", views.run_approve_view, name="payment_run_approve"),
    path("payments/runs/<int:run_id>/file/", views.run_file_view, name="payment_run_file"),
    path("payments/runs/<int:run_id>/settle/", views.run_settle_view, name="payment_run_settle"),
    path("payments/runs/<int:run_id>/cancel/", views.run_cancel_view, name="payment_run_cancel"),
    path("payments/returns/", views.bank_returns_view, name="bank_returns"),
    path("payments/payees/<int:payee_id>/", views.payee_view, name="payee"),
]
