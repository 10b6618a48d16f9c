from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_NOTE_LENGTH


class ProgressSummaryForm(forms.Form):
    text = forms.CharField(
        label=_("In your own words, how are things going?"),
        help_text=_(
            "Only the people you chose to share your progress with can read this. You can change it at any time."
        ),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ContractActionForm(forms.Form):
    ACTIONS = ("agree", "stop", "state", "acknowledge", "note", "topic")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    day = forms.DateField(required=False)
    medication_observed = forms.BooleanField(required=False)
    text = forms.CharField(required=False, max_length=MAX_NOTE_LENGTH)


class ActivityActionForm(forms.Form):
    ACTIONS = ("propose", "edit", "agree", "done", "not_done")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    activity = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    week = forms.DateField(required=False)
    # The length is the service's to refuse, in words (a form error here would be generic).
    title = forms.CharField(required=False, strip=False)
