from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.core.forms import TIME_ZONE_CHOICES

from .models import Cohort, EnrolmentState, Program, Track


class ProgramSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)

    class Meta:
        model = Program
        fields = ["name", "time_zone", "on_call_phone", "allow_peer_private_messages", "chat_retention_years"]
        help_texts = {
            "on_call_phone": _("Shown behind every page's “Get help now” button."),
            "chat_retention_years": _(
                "Leave empty to keep them. Each night, messages of people who left the program longer ago "
                "than this are removed; the audit trail is kept. Check your state's record-keeping rules first."
            ),
        }


class ProgramCreateForm(ProgramSettingsForm):
    class Meta(ProgramSettingsForm.Meta):
        fields = ["name", "slug", "time_zone", "on_call_phone", "allow_peer_private_messages"]
        labels = {"slug": _("Short name for links")}


class TrackForm(forms.Form):
    name = forms.CharField(label=_("Track or phase"), max_length=120)
    order = forms.IntegerField(label=_("Position"), min_value=1, max_value=99, initial=1)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Cohort or group name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Cohort.Kind.choices, initial=Cohort.Kind.COHORT, required=False)

    def clean_kind(self):
        return self.cleaned_data["kind"] or Cohort.Kind.COHORT


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(label=_("Move to"), choices=EnrolmentState.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, allowed: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["to_state"].choices = [c for c in EnrolmentState.choices if c[0] in allowed]


class TrackChoiceForm(forms.Form):
    track = forms.ModelChoiceField(
        label=_("Track or phase"), queryset=Track.objects.none(), required=False, empty_label=_("No track")
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = Track.objects.filter(program=program)
