from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_PLAN_CONTACTS, AcknowledgeAction
from .phones import phone_normalize

ROWS = {"rows": 3}


class SafetyPlanForm(forms.Form):
    # The version the editor started from: a save over a newer version is refused (stale form).
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    warning_signs = forms.CharField(
        label=_("1. Warning signs"),
        help_text=_("Thoughts, feelings or situations that tell you a crisis may be coming. One a line."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=ROWS),
    )
    coping_strategies = forms.CharField(
        label=_("2. Things I can do on my own"),
        help_text=_("To take my mind off my problems without contacting anyone. One a line."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=ROWS),
    )
    distractions = forms.CharField(
        label=_("3. People and places that take my mind off things"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=ROWS),
    )
    professionals = forms.CharField(
        label=_("5. Other professionals or agencies I can contact"),
        help_text=_("Your program's on-call line, your clinician, 988 and 911 are always on your plan."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=ROWS),
    )
    environment = forms.CharField(
        label=_("6. Making my surroundings safer"),
        help_text=_("What you will keep away or hand to someone you trust while things are hard."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=ROWS),
    )
    reasons_for_living = forms.CharField(
        label=_("The one thing most important to me"),
        help_text=_("My reasons for living."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=ROWS),
    )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    def clean(self):
        data = super().clean()
        name, phone = data.get("name", "").strip(), data.get("phone", "").strip()
        if phone and not name:
            self.add_error("name", _("Add a name for this number."))
        if name and not phone:
            self.add_error("phone", _("Add a phone number."))
        if phone:
            try:
                data["phone"] = phone_normalize(phone)
            except forms.ValidationError as exc:
                self.add_error("phone", exc)
        return data


def contact_formset_class(filled: int):
    """Existing contacts plus a few empty rows (no script needed to add one), up to the cap."""
    extra = max(0, min(2, MAX_PLAN_CONTACTS - filled))
    return forms.formset_factory(
        ContactForm, extra=extra, max_num=MAX_PLAN_CONTACTS, validate_max=True, absolute_max=MAX_PLAN_CONTACTS * 2
    )


def contacts_from(formset) -> list[dict]:
    return [
        {"name": f.cleaned_data["name"].strip(), "phone": f.cleaned_data["phone"]}
        for f in formset.forms
        if f.cleaned_data.get("name") and f.cleaned_data.get("phone")
    ]


class AcknowledgeForm(forms.Form):
    action = forms.ChoiceField(label=_("What did you do?"), choices=AcknowledgeAction.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note for the care team"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
