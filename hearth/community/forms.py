from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import FlagReason, HideReason
from .services import (
    AUTO_HIDE_RANGE,
    MAX_BODY_CHARS,
    MAX_FLAG_NOTE_CHARS,
    MAX_TITLE_CHARS,
    MIN_TITLE_CHARS,
    MUTE_HOURS,
    PROPOSAL_CAPACITY,
    PROPOSAL_MAX_DESCRIPTION,
    PROPOSAL_MINUTES,
)

# Length limits are checked by the services (one clear message, nothing saved); the forms only
# bound what a browser sends so a 100 KB post still reaches that message instead of a truncation.
BODY_WIDGET = forms.Textarea(attrs={"rows": 5})
EMPTY = {"required": _("Write something before posting.")}


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_CHARS * 10)
    body = forms.CharField(
        label=_("What would you like to share?"), widget=BODY_WIDGET, strip=False, error_messages=EMPTY
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["maxlength"] = MAX_TITLE_CHARS
        self.fields["title"].error_messages["required"] = gettext(
            "Give your thread a short title (at least %(min)d characters)."
        ) % {"min": MIN_TITLE_CHARS}
        self.fields["body"].widget.attrs["maxlength"] = MAX_BODY_CHARS


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=BODY_WIDGET, strip=False, error_messages=EMPTY)
    # The post being answered (quote-reply); the service checks it belongs to the thread and is visible.
    quote = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = MAX_BODY_CHARS


class EditForm(ReplyForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Your post")
        del self.fields["quote"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search titles and posts"), max_length=200, required=False)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=FlagReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Anything a moderator should know"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_FLAG_NOTE_CHARS}),
        required=False,
    )


MODERATOR_REASONS = [(value, label) for value, label in HideReason.choices if value != HideReason.FLAGS]


class HideForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason the author will see"), choices=MODERATOR_REASONS)


class MuteForm(forms.Form):
    hours = forms.TypedChoiceField(
        label=_("Pause posting for"),
        coerce=int,
        choices=[(24, _("1 day")), (72, _("3 days")), (168, _("1 week"))],
    )
    reason = forms.ChoiceField(label=_("Reason the person will see"), choices=MODERATOR_REASONS)

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours not in MUTE_HOURS:
            raise forms.ValidationError(_("Choose how long."))
        return hours


class SettingsForm(forms.Form):
    auto_hide_flags = forms.IntegerField(
        label=_("Hide a post until a moderator reviews it after this many people flag it"),
        min_value=AUTO_HIDE_RANGE[0],
        max_value=AUTO_HIDE_RANGE[1],
    )


class ProposalForm(forms.Form):
    program = forms.TypedChoiceField(label=_("Program"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Kind of event"), choices=())
    title = forms.CharField(
        label=_("Title"), max_length=MAX_TITLE_CHARS * 10, help_text=_("Shown on calendars. No health details.")
    )
    description = forms.CharField(
        label=_("What you have in mind"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": PROPOSAL_MAX_DESCRIPTION}),
        required=False,
    )
    starts_at = forms.DateTimeField(
        label=_("When (your time zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=PROPOSAL_MINUTES[0], max_value=PROPOSAL_MINUTES[1], initial=90
    )
    capacity = forms.IntegerField(
        label=_("Room for how many people"),
        required=False,
        min_value=PROPOSAL_CAPACITY[0],
        max_value=PROPOSAL_CAPACITY[1],
    )

    def __init__(self, *args, programs, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [(p.pk, p.name) for p in programs]
        self.fields["kind"].choices = kinds
        if len(programs) == 1:
            self.fields["program"].widget = forms.HiddenInput()
            self.fields["program"].initial = programs[0].pk
