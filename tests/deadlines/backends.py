"""Email backends that fail like a mail server does, for the outbox tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(LocmemBackend):
    """Always refused by the server."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """Refuses the first `failures` sends, then delivers (to django.core.mail.outbox)."""

    failures = 1

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPDataError(451, b"Requested action aborted: try again later")
        return super().send_messages(messages)


class SlowBackend(LocmemBackend):
    """Delivers (to django.core.mail.outbox) after `seconds`, like a slow mail server: another
    process racing for the same row gets there while this one is still sending."""

    seconds = 0.2

    def send_messages(self, messages):
        import time

        time.sleep(SlowBackend.seconds)
        return super().send_messages(messages)
