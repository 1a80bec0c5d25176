from django.urls import path  # noqa: F401

app_name = "quotes"
urlpatterns: list = []

backoffice_urlpatterns: list = []

# The anonymous simulator (no personal data), under /simulator/.
public_urlpatterns: list = []
