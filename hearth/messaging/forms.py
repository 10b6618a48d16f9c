from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.core.forms import IdMultipleChoiceField

from .models import GROUP_KINDS, Kind
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


class PersonChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class GroupForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, label) for k, label in Kind.choices if k in GROUP_KINDS])
    title = forms.CharField(label=_("Name"), max_length=120)
    participant = forms.ModelChoiceField(
        label=_("Whose family"),
        queryset=None,
        required=False,
        help_text=_(
            "Family conversations only: family members take part while this participant's consent is in force."
        ),
    )
    members = PersonChoiceField(label=_("Members"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, programs, people, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["members"].queryset = people
        self.fields["participant"].queryset = participants
        self.fields["participant"].label_from_instance = lambda obj: obj.display_name

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.FAMILY and not data.get("participant"):
            self.add_error("participant", _("Choose whose family this conversation is for."))
        return data


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda obj: obj.display_name
