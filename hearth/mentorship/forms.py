"""Forms of the mentorship pages. Availability is a grid of "Tuesday evenings"-style slots."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.consent.models import MAX_CONSENT_DAYS

from . import matching
from .models import MENTOR_SHAREABLE, Channel, EndReason, HowItWent

# A slot's local window in minutes: the part of the day as matching names it.
_PART_WINDOWS = {name: (start * 60, end * 60) for name, start, end, _label in matching.PARTS_OF_DAY}


def _slot_choices() -> list[tuple[str, str]]:
    return [
        (f"{day}:{name}", _("%(day)s %(part)s") % {"day": matching._WEEKDAYS[day], "part": label})
        for day in range(7)
        for name, _start, _end, label in matching.PARTS_OF_DAY
    ]


def slots_to_windows(slots) -> list[list[int]]:
    windows = []
    for slot in slots:
        day, name = slot.split(":")
        start, end = _PART_WINDOWS[name]
        windows.append([int(day), start, end])
    return windows


def windows_to_slots(windows) -> list[str]:
    by_window = {v: k for k, v in _PART_WINDOWS.items()}
    return [f"{d}:{by_window[(s, e)]}" for d, s, e in windows if (s, e) in by_window]


def _checkboxes(vocabulary: dict, label, required=False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=list(vocabulary.items()), widget=forms.CheckboxSelectMultiple, required=required
    )


class PreferencesForm(forms.Form):
    languages = _checkboxes(matching.LANGUAGES, _("Languages you want to talk in"))
    gender = forms.ChoiceField(
        label=_("Mentor's gender"),
        choices=[("", _("No preference")), *matching.GENDERS.items()],
        required=False,
    )
    pathways = _checkboxes(matching.PATHWAYS, _("Recovery pathways that matter to you"))
    lived_experience = _checkboxes(matching.LIVED_EXPERIENCE, _("Someone who is also…"))
    interests = _checkboxes(matching.INTERESTS, _("Things you enjoy"))
    availability = forms.MultipleChoiceField(
        label=_("When you are usually free"), choices=_slot_choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["availability"] = slots_to_windows(data["availability"])
        return data


class ProfileForm(forms.Form):
    languages = _checkboxes(matching.LANGUAGES, _("Languages you can mentor in"), required=True)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *matching.GENDERS.items()], required=False)
    age_range = forms.ChoiceField(
        label=_("Age range"), choices=[("", "—"), *matching.AGE_RANGES.items()], required=False
    )
    years_in_recovery = forms.IntegerField(label=_("Years in recovery"), min_value=0, max_value=80)
    pathways = _checkboxes(matching.PATHWAYS, _("Your recovery pathways"))
    lived_experience = _checkboxes(matching.LIVED_EXPERIENCE, _("Lived experience you are open about"))
    interests = _checkboxes(matching.INTERESTS, _("Interests"))
    availability = forms.MultipleChoiceField(
        label=_("When you are usually free (your time zone)"),
        choices=_slot_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    capacity = forms.IntegerField(label=_("Most mentees at once"), min_value=1, max_value=12)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["availability"] = slots_to_windows(data["availability"])
        return data


class RespondForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Yes")), ("decline", _("No, thank you"))])


class ContactForm(forms.Form):
    happened_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices)
    minutes = forms.IntegerField(label=_("How long (minutes)"), min_value=0, max_value=600)
    how_it_went = forms.ChoiceField(label=_("How it went"), choices=HowItWent.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("A few words (optional)"),
        help_text=_("Keep it short and personal; no clinical details. The care team can read it."),
        max_length=280,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WorryForm(forms.Form):
    text = forms.CharField(
        label=_("What worries you?"),
        help_text=_("The care team is told at once. If someone is in danger now, call 988 or 911."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you ending it?"), choices=EndReason.choices, widget=forms.RadioSelect)


class TrainingForm(forms.Form):
    name = forms.CharField(label=_("Training or certification"), max_length=120)
    completed_on = forms.DateField(label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"}))


class MeetingForm(forms.Form):
    """A mentor meeting on a day, from one time to another, in the mentor's own zone."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def service_kwargs(self) -> dict:
        day, starts, ends = (self.cleaned_data[k] for k in ("day", "starts", "ends"))
        return {
            "starts_at": timezone.make_aware(datetime.datetime.combine(day, starts)),
            "ends_at": timezone.make_aware(datetime.datetime.combine(day, ends)),
        }


class SupervisionNoteForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    )
    body = forms.CharField(
        label=_("Supervision note"),
        help_text=_("Only you and the program's admins can read it."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ShareWithMentorForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("What your mentor may see"),
        choices=[(c.value, c.label) for c in MENTOR_SHAREABLE],
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(label=_("Why you are sharing this (optional)"), max_length=300, required=False)
    expires_on = forms.DateField(
        label=_("Sharing ends on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("You can stop sharing earlier at any time."),
    )
    signature = forms.CharField(label=_("Sign by typing your full name"), max_length=200)

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("The end date must be in the future."))
        if value > timezone.localdate() + datetime.timedelta(days=MAX_CONSENT_DAYS):
            raise forms.ValidationError(_("Choose an end date within three years."))
        return value

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "categories": data["categories"],
            "purpose": data["purpose"],
            "expires_at": timezone.make_aware(datetime.datetime.combine(data["expires_on"], datetime.time(23, 59))),
            "signature": data["signature"],
        }
