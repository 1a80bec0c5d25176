from django.urls import path  # noqa: F401

backoffice_urlpatterns: list = []
