from django.urls import path

from mutua.guarantees.views import backoffice, portal

app_name = "guarantees"
urlpatterns = [
    path("", portal.guarantee_list_view, name="list"),
]

backoffice_urlpatterns = [
    path("guarantees/", backoffice.queue_view, name="guarantee_queue"),
]
