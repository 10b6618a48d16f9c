from django import forms
from django.utils.translation import gettext_lazy as _


class AuditSearchForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), max_length=120, required=False)
    subject = forms.IntegerField(label=_("About person #"), min_value=1, required=False)
    actor = forms.IntegerField(label=_("By person #"), min_value=1, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=_("Until (not including)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["until"] <= cleaned["since"]:
            self.add_error("until", _("The end date must be after the start date."))
        return cleaned
