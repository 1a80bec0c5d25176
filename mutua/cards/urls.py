from django.urls import path

from mutua.cards import views

app_name = "cards"
urlpatterns = [
    path("portal/download/", views.card_download_view, name="download"),
    path("verify/<str:token>/", views.card_verify_view, name="verify"),
]
