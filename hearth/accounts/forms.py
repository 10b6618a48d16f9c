from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.core.forms import TIME_ZONE_CHOICES
from hearth.programs.models import Cohort, Program, Role

from .models import ClinicalIdentity, User


class InvitationAcceptForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name to show in groups"),
        max_length=60,
        help_text=_("Peers see this name. A first name or an alias is fine."),
    )
    legal_name = forms.CharField(
        label=_("Your full legal name"), max_length=200, help_text=_("Only your care team sees this.")
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=256,
        help_text=_("At least 12 characters. A short sentence is easy to remember and hard to guess."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=256,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class InvitationCreateForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    cohort = forms.ModelChoiceField(label=_("Cohort (participants)"), queryset=Cohort.objects.none(), required=False)

    def __init__(self, *args, programs, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["cohort"].queryset = cohorts


class FamilyInvitationForm(forms.Form):
    email = forms.EmailField(label=_("Their email"), max_length=254)
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none(), empty_label=None)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)

    class Meta:
        model = User
        fields = ["display_name", "pronouns", "time_zone", "language", "larger_text", "high_contrast", "reduce_motion"]


class ClinicalIdentityForm(forms.ModelForm):
    class Meta:
        model = ClinicalIdentity
        fields = [
            "legal_name",
            "date_of_birth",
            "phone",
            "emergency_contact_name",
            "emergency_contact_phone",
            "accessibility_needs",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }
