from django.urls import path

from mutua.providers.views import space

app_name = "providers"
urlpatterns = [
    path("login/", space.ProviderLoginView.as_view(), name="login"),
]
