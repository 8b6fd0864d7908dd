"""The words of a notice: one template set per kind, templates/notifications/<kind>/ —
`subject.txt`, `short.txt` (the text of the bell and of a messenger's direct message, stored in
Notification.text), `body.txt` and `body.html` (the email) — always in the site's language
(Vietnamese), whoever's request raised the event."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from notifications.models import Notification


@dataclass(frozen=True)
class Words:
    """What a notice says in the app: its subject and its short text."""

    subject: str
    text: str


def _template(kind: str, name: str) -> str:
    return f"notifications/{kind}/{name}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def notice_words(*, kind: str, context: dict) -> Words:
    """The subject and the short text of a notice of `kind`, rendered from `context` (plain
    values: strings and numbers, dates already written dd/mm/yyyy, as stored with the notice)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(_template(kind, "subject.txt"), context)
        text = render_to_string(_template(kind, "short.txt"), context)
    return Words(subject=_one_line(subject)[:200], text=_one_line(text))


def absolute(path: str) -> str:
    """A link of the site as the email's reader follows it (SITE_URL)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def email_message(notification: Notification) -> EmailMultiAlternatives:
    """The email of a notice: its stored subject, and the kind's text and HTML bodies rendered
    from the notice's stored context, to its recipient's current address."""
    user = notification.user
    context = {
        **notification.context,
        "recipient_name": user.get_full_name() or user.username,
        "subject": notification.subject,
        "text": notification.text,
        "link": absolute(notification.url),
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(_template(notification.kind, "body.txt"), context)
        html = render_to_string(_template(notification.kind, "body.html"), context)
    message = EmailMultiAlternatives(
        subject=notification.subject or _one_line(notification.text)[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    return message
