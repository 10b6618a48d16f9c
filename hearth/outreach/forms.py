from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Outcome, Rule


class AttemptForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What happened?"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ThresholdsForm(forms.Form):
    missed_checkins_in_a_row = forms.IntegerField(label=_("Missed check-ins in a row"), min_value=1, max_value=14)
    craving_at_least = forms.IntegerField(label=_("Craving at or above (0-10)"), min_value=1, max_value=10)
    isolation_days = forms.IntegerField(label=_("Days without social contact"), min_value=1, max_value=30)
    missed_session_lookback_days = forms.IntegerField(
        label=_("Look back for missed sessions (days)"), min_value=1, max_value=30
    )
    disabled_rules = forms.MultipleChoiceField(
        label=_("Rules switched off"),
        choices=[(value, label) for value, label in Rule.choices if value != Rule.PHQ9_ITEM9],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
