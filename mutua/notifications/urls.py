from django.urls import path

from mutua.notifications.views import portal

app_name = "notifications"
urlpatterns = [
    path("", portal.notification_list_view, name="list"),
    path("read/", portal.notifications_read_all_view, name="read_all"),
    path("<int:notification_id>/", portal.notification_detail_view, name="detail"),
]
