from django.urls import path

from mutua.conversations.views import backoffice, canned, portal, review

app_name = "conversations"
# The member's pages, under /portal/messages/.
urlpatterns: list = [
    path("", portal.conversation_list_view, name="list"),
    path("new/", portal.conversation_start_view, name="new"),
    path("<int:conversation_id>/", portal.conversation_view, name="detail"),
    path("<int:conversation_id>/reply/", portal.conversation_reply_view, name="reply"),
    path("<int:conversation_id>/quality-cell/", portal.conversation_quality_cell_view, name="quality_cell"),
    path("review/items/<int:item_id>/", review.review_request_view, name="review_request"),
]

# The management unit's inbox, under /backoffice/ (names prefixed "conversation_": one namespace for the office).
backoffice_urlpatterns: list = [
    path("conversations/", backoffice.inbox_view, name="conversation_inbox"),
    path("conversations/report/", backoffice.conversation_report_view, name="conversation_report"),
    path("conversations/<int:conversation_id>/", backoffice.conversation_view, name="conversation"),
    path("conversations/<int:conversation_id>/note/", backoffice.conversation_note_view, name="conversation_note"),
    path(
        "conversations/<int:conversation_id>/extend/", backoffice.conversation_extend_view, name="conversation_extend"
    ),
    path(
        "conversations/<int:conversation_id>/assign/", backoffice.conversation_assign_view, name="conversation_assign"
    ),
    path("conversations/<int:conversation_id>/close/", backoffice.conversation_close_view, name="conversation_close"),
    path("conversations/canned/", canned.canned_list_view, name="conversation_canned_list"),
    path("conversations/canned/new/", canned.canned_add_view, name="conversation_canned_add"),
    path("conversations/canned/<int:answer_id>/", canned.canned_edit_view, name="conversation_canned_edit"),
    path("conversations/canned/<int:answer_id>/delete/", canned.canned_delete_view, name="conversation_canned_delete"),
]

# A person's review of an automatic decision, under /backoffice/.
review_backoffice_urlpatterns: list = [
    path("reviews/<int:conversation_id>/", review.review_decide_view, name="review_decide"),
]
