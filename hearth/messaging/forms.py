from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_BODY_CHARS, MAX_REPORT_CHARS


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=MAX_BODY_CHARS, widget=forms.Textarea(attrs={"rows": 2}))
    client_msg_id = forms.RegexField(regex=r"^[A-Za-z0-9_-]{1,64}$", widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong?"), max_length=MAX_REPORT_CHARS, required=False)


class PreferenceForm(forms.Form):
    accepts_peer_private_messages = forms.BooleanField(
        label=_("Other participants may message me privately"), required=False
    )
