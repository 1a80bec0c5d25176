from django.urls import path

from mutua.documents.views import document_download_view

app_name = "documents"
urlpatterns = [
    path("<uuid:document_id>/", document_download_view, name="download"),
]
