import zoneinfo

from django.core.exceptions import ValidationError

# Every IANA zone with a region ("America/Chicago"), for the time-zone fields of people and programs.
TIME_ZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz]


def apply_validation_error(form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form, on the matching fields where it names them."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field_map.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        target = field_map.get("__all__")
        form.add_error(target, error.messages)
