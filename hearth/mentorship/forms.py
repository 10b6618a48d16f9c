"""Forms of the mentorship pages. Availability is a grid of "Tuesday evenings"-style slots."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import matching
from .models import Channel, EndReason, HowItWent

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
