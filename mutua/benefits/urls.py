from django.urls import path

from mutua.benefits import views

app_name = "benefits"
urlpatterns = [
    path("", views.my_guarantees_view, name="my_guarantees"),
]
