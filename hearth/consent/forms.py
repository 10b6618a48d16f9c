import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.programs.models import Program

from .models import MAX_CONSENT_DAYS, Category, RecipientKind


class ConsentGrantForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none(), empty_label=None)
    recipient_kind = forms.ChoiceField(label=_("Who will receive it"), choices=RecipientKind.choices)
    recipient = forms.ChoiceField(
        label=_("Person with a Hearth account"),
        required=False,
        help_text=_("Choose a family member or partner you invited, or leave empty and type a name below."),
    )
    recipient_name = forms.CharField(label=_("Recipient's name"), max_length=200, required=False)
    categories = forms.MultipleChoiceField(
        label=_("What they may see"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.CharField(label=_("Why you are sharing this"), max_length=300)
    expires_on = forms.DateField(
        label=_("Sharing ends on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("You can stop sharing earlier at any time."),
    )
    signature = forms.CharField(label=_("Sign by typing your full name"), max_length=200)

    def __init__(self, *args, programs, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.family = {str(m.user_id): m.user for m in family}
        self.fields["recipient"].choices = [("", _("No Hearth account"))] + [
            (key, user.display_name) for key, user in self.family.items()
        ]

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("The end date must be in the future."))
        if value > timezone.localdate() + datetime.timedelta(days=MAX_CONSENT_DAYS):
            raise forms.ValidationError(_("Choose an end date within three years."))
        return value

    def clean(self):
        cleaned = super().clean()
        recipient_user = self.family.get(cleaned.get("recipient") or "")
        cleaned["recipient_user"] = recipient_user
        if recipient_user and not cleaned.get("recipient_name"):
            cleaned["recipient_name"] = recipient_user.display_name
        if not cleaned.get("recipient_name"):
            self.add_error("recipient_name", _("Name who will receive the information."))
        return cleaned
