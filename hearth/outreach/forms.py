from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Outcome


class AttemptForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What happened?"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
