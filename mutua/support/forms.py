from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.support.models import ContactRequest


class ContactRequestForm(forms.ModelForm):
    class Meta:
        model = ContactRequest
        fields = ["name", "member_number_given", "email", "phone", "message"]
        labels = {"member_number_given": _("Member number (if you know it)")}
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": 4000})}
