from django.urls import path

from mutua.quotes.views import backoffice, portal, simulator

app_name = "quotes"
urlpatterns = [
    path("", portal.quote_list_view, name="list"),
    path("new/", portal.quote_new_view, name="new"),
    path("compare/", portal.quote_compare_view, name="compare"),
    path("<int:quote_id>/", portal.quote_detail_view, name="detail"),
    path("<int:quote_id>/lines/", portal.quote_lines_view, name="lines"),
    path("<int:quote_id>/estimate/", portal.quote_refresh_view, name="refresh"),
    path("<int:quote_id>/check/", portal.quote_review_request_view, name="review_request"),
    path("<int:quote_id>/claim/", portal.quote_claim_view, name="claim"),
]

backoffice_urlpatterns = [
    path("quotes/review/", backoffice.quote_queue_view, name="quote_queue"),
    path("quotes/<int:quote_id>/", backoffice.quote_review_view, name="quote_review"),
]

# The anonymous simulator (no personal data), under /simulator/.
public_urlpatterns = [
    path("", simulator.simulator_view, name="home"),
]
