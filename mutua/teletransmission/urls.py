from django.urls import path

from mutua.teletransmission import views

backoffice_urlpatterns = [
    path("teletransmission/", views.files_view, name="am_files"),
    path("teletransmission/files/<int:am_file_id>/", views.file_view, name="am_file"),
    path("teletransmission/files/<int:am_file_id>/retry/", views.file_retry_view, name="am_file_retry"),
    path("teletransmission/exceptions/", views.exceptions_view, name="am_exceptions"),
    path("teletransmission/exceptions/<int:exception_id>/", views.exception_view, name="am_exception"),
    path(
        "teletransmission/exceptions/<int:exception_id>/<str:action>/",
        views.exception_action_view,
        name="am_exception_action",
    ),
    path(
        "teletransmission/members/<int:member_id>/status/",
        views.teletransmission_status_view,
        name="teletransmission_status",
    ),
]
