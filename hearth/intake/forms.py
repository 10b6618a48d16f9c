from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import User
from hearth.checkins.measures import Measure
from hearth.core.forms import TIME_ZONE_CHOICES

from .models import Availability, SexAtBirth


class AboutForm(forms.Form):
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(label=_("Your phone"), max_length=32, required=False)
    emergency_contact_name = forms.CharField(label=_("Emergency contact: name"), max_length=200)
    emergency_contact_phone = forms.CharField(label=_("Emergency contact: phone"), max_length=32)
    language = forms.ChoiceField(label=_("Language for Hearth"), choices=User.Language.choices)
    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=TIME_ZONE_CHOICES)
    sex_at_birth = forms.ChoiceField(
        label=_("Sex assigned at birth"),
        choices=SexAtBirth.choices,
        required=False,
        help_text=_("Used only to score one alcohol questionnaire the way it was designed."),
    )
    gender_identity = forms.CharField(label=_("Your gender, in your words"), max_length=60, required=False)
    accessibility_needs = forms.CharField(
        label=_("Anything that would make sessions easier for you?"),
        help_text=_("For example captions, a screen reader, larger text, breaks. Only your care team sees this."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    availability = forms.MultipleChoiceField(
        label=_("When can you usually attend?"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chip-input"}),
    )
    availability_note = forms.CharField(label=_("Anything else about your schedule?"), max_length=300, required=False)


class ScreeningForm(forms.Form):
    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        for index, text in enumerate(measure.items):
            self.fields[f"q{index + 1}"] = forms.TypedChoiceField(
                label=text,
                choices=measure.options_for(index),
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale-input"}),
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"q{i + 1}"] for i in range(len(self.measure.items))]


class SignForm(forms.Form):
    agree = forms.BooleanField(label=_("I have read this and I agree."))
    signed_name = forms.CharField(
        label=_("Type your full name to sign"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note (care team only)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
