from django import forms
from django.utils.translation import gettext_lazy as _


class ContactRequestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    member_number_given = forms.CharField(label=_("Member number (if you know it)"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    message = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
