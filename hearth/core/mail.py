from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileEmailBackend(BaseEmailBackend):
    """Embedded mode: print each email and keep a copy under var/mail/ to open later."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.console = ConsoleBackend(*args, **kwargs)
        self.file = FileBackend(*args, **kwargs)

    def send_messages(self, email_messages):
        self.console.send_messages(email_messages)
        return self.file.send_messages(email_messages)
