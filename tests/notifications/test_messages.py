"""One template set per message (STYLE.md, Text): every kind of notice has its subject, short
text, text body and HTML body under templates/notifications/<kind>/, says it in Vietnamese with
dates written dd/mm/yyyy, and carries no internal code."""

import re

import pytest
from django.template.loader import get_template
from django.utils import translation

from notifications.messages import email_message, notice_words
from notifications.models import Notification, NotificationKind
from tests.factories import UserFactory

BULLETIN = {
    "bulletin": 12,
    "title": "Tiêm vắc xin mũi 2",
    "field": "Y tế, phòng chống dịch bệnh",
    "commune": "Phú Nghĩa",
}
CONTEXTS = {
    "bulletin_submitted": {
        **BULLETIN,
        "submitter": "Lê Thị Hoa",
        "submitted": "08:00 10/08/2021",
        "repeats": True,
    },
    "bulletin_approved": {**BULLETIN, "approver": "Điểu Văn Lâm", "approved": "09:00 10/08/2021"},
    "bulletin_rejected": {
        **BULLETIN,
        "rejecter": "Điểu Văn Lâm",
        "rejected": "09:00 10/08/2021",
        "reason": "Thiếu giờ tiêm.",
    },
    "bulletin_published": {**BULLETIN, "published": "10:00 10/08/2021", "groups": 4, "by_hand": 3},
    "delivery_failed": {
        **BULLETIN,
        "delivery": 30,
        "group": "Telegram Phú Tiến",
        "village": "Thôn Phú Tiến",
    },
    "posts_waiting": {"count": 3, "day": "11/08/2021", "titles": ["Tiêm vắc xin mũi 2"]},
}
REMINDER = {
    "deadline": "606/UBND-VX: Báo cáo kết quả thành lập nhóm tin",
    "title": "Báo cáo kết quả thành lập nhóm tin",
    "directive": "606/UBND-VX",
    "commune": "Phú Nghĩa",
    "due": "06/08/2021",
    "day": "09/08/2021",
    "when": "quá hạn 3 ngày",
}
CODE = re.compile(r"(?:^|[\s(\"“])[a-z][a-z0-9]*(?:_[a-z0-9]+)+[:\s]")
LEFTOVER = re.compile(r"%\(|\{\{|\{%|\bNone\b")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def context_of(kind: str) -> dict:
    return CONTEXTS.get(kind, REMINDER)


@pytest.mark.parametrize("kind", NotificationKind.values)
def test_every_kind_has_its_four_templates(kind):
    for name in ("subject.txt", "short.txt", "body.txt", "body.html"):
        get_template(f"notifications/{kind}/{name}")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", NotificationKind.values)
def test_every_kind_says_it_in_vietnamese_without_codes(kind):
    # Asked from an English page, the words are still the site's (Vietnamese).
    with translation.override("en"):
        words = notice_words(kind=kind, context=context_of(kind))
    user = UserFactory(first_name="Hoa", last_name="", email="hoa@example.org")
    notice = Notification(
        user=user,
        kind=kind,
        event="e",
        subject=words.subject,
        text=words.text,
        url="/bulletins/12/",
        context=context_of(kind),
    )
    message = email_message(notice)
    html = message.alternatives[0][0]
    for said in (words.subject, words.text, message.body, html):
        assert not LEFTOVER.search(said), said
        assert not CODE.search(said), said
        assert not ISO_DATE.search(said), said
    assert words.subject and words.text and "\n" not in words.text
    assert message.body.startswith("Kính gửi đồng chí Hoa,")
    assert "Cổng thông tin nhóm tin thôn (thư được gửi tự động)." in message.body
    assert 'href="http://127.0.0.1:8000/bulletins/12/"' in html
    with translation.override("en"):
        english = get_template(f"notifications/{kind}/short.txt").render(context_of(kind))
    assert " ".join(english.split()) != words.text, "not translated"


def test_the_words_of_a_publication_count_groups_and_posts_by_hand():
    words = notice_words(kind="bulletin_published", context=CONTEXTS["bulletin_published"])
    assert words.text == (
        "Bản tin “Tiêm vắc xin mũi 2” đã được phát hành lúc 10:00 10/08/2021 tới 4 nhóm tin. "
        "Có 3 bài cần đăng thủ công và xác nhận."
    )
    all_sent = notice_words(
        kind="bulletin_published", context={**CONTEXTS["bulletin_published"], "by_hand": 0}
    )
    assert all_sent.text.endswith("tới 4 nhóm tin.")


def test_a_title_with_markup_is_shown_as_written_in_the_text_and_escaped_in_html(db):
    context = {**CONTEXTS["bulletin_rejected"], "title": "Tiêm <b>mũi 2</b> & mũi 3"}
    words = notice_words(kind="bulletin_rejected", context=context)
    assert "“Tiêm <b>mũi 2</b> & mũi 3”" in words.text
    notice = Notification(
        user=UserFactory(email="a@example.org"),
        kind="bulletin_rejected",
        event="e",
        subject=words.subject,
        text=words.text,
        context=context,
    )
    message = email_message(notice)
    assert "“Tiêm <b>mũi 2</b> & mũi 3”" in message.body
    assert "Tiêm &lt;b&gt;mũi 2&lt;/b&gt; &amp; mũi 3" in message.alternatives[0][0]
