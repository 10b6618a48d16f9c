from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import GROUPS
from .models import Channel


class PreferencesForm(forms.Form):
    """Channel choices per group of kinds, quiet hours, SMS number and the daily check-in time.

    ``groups`` and ``channels`` are those shown to this person (SMS and push only when set up)."""

    quiet_start = forms.TimeField(
        label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    checkin_reminder_time = forms.TimeField(
        label=_("Daily check-in reminder at"),
        required=False,
        help_text=_("Leave empty for no daily reminder."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    sms_number = forms.RegexField(
        label=_("Mobile number for text messages"),
        regex=r"^\+[1-9][0-9]{6,14}$",
        required=False,
        help_text=_("With the country code, for example +13125550123."),
        error_messages={"invalid": _("Enter the number with its country code, like +13125550123.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, groups: list[str], channels: list[str], choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups, self.channels = groups, channels
        if "sms" not in channels:
            del self.fields["sms_number"]
        if "checkins" not in groups:
            del self.fields["checkin_reminder_time"]
        for group in groups:
            for channel in channels:
                self.fields[self.choice_name(group, channel)] = forms.BooleanField(
                    label=f"{GROUPS[group]}: {Channel(channel).label}",
                    required=False,
                    initial=choices[group][channel][0],
                )

    @staticmethod
    def choice_name(group: str, channel: str) -> str:
        return f"{group}__{channel}"

    def clean(self):
        data = super().clean()
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            raise forms.ValidationError(_("Give both the start and the end of your quiet hours, or neither."))
        return data

    def choice_rows(self):
        """(group label, [bound checkbox per channel]) for the table."""
        return [
            (GROUPS[group], [self[self.choice_name(group, channel)] for channel in self.channels])
            for group in self.groups
        ]

    def chosen(self) -> dict[tuple[str, str], bool]:
        return {
            (group, channel): self.cleaned_data[self.choice_name(group, channel)]
            for group in self.groups
            for channel in self.channels
        }
