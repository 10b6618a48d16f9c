from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scope
from .services import CLIENT_EXPIRY_DAYS, CLIENT_SCOPES, EXPIRY_DAYS, NAME_MAX

EXPIRY_LABELS = {7: _("In 7 days"), 30: _("In 30 days"), 90: _("In 90 days"), 365: _("In a year")}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        help_text=_("What the token is for, e.g. “My phone” or “Clinic EHR”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires"), choices=[(d, EXPIRY_LABELS[d]) for d in EXPIRY_DAYS], coerce=int, initial=30
    )


class IntegrationClientForm(forms.Form):
    program = forms.TypedChoiceField(label=_("Program"), coerce=int)
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        help_text=_("The system that will use it, e.g. “County EHR”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may read"),
        choices=[(s.value, s.label) for s in CLIENT_SCOPES],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires"), choices=[(d, EXPIRY_LABELS[d]) for d in CLIENT_EXPIRY_DAYS], coerce=int, initial=90
    )

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [(p.pk, p.name) for p in programs]
