from django.urls import path

from mutua.accounts.views import auth, backoffice, portal

app_name = "accounts"
urlpatterns = [
    path("", auth.MemberLoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("first-login/", auth.first_login_view, name="first_login"),
    path("first-login/<uidb64>/<token>/", auth.activate_view, name="activate"),
    path("password-reset/", auth.password_reset_request_view, name="password_reset"),
    path("password-reset/<uidb64>/<token>/", auth.password_reset_confirm_view, name="password_reset_confirm"),
    path("language/", auth.language_view, name="language"),
    path("portal/my-details/", portal.my_details_view, name="my_details"),
    path("portal/logout-everywhere/", portal.logout_everywhere_view, name="logout_everywhere"),
]

backoffice_urlpatterns = [
    path("login/", backoffice.StaffLoginView.as_view(), name="login"),
    path("logout/", backoffice.staff_logout_view, name="logout"),
    path("lockouts/", backoffice.lockouts_view, name="lockouts"),
    path("lockouts/clear/", backoffice.lockout_clear_view, name="lockout_clear"),
]
