"""Demo deadlines, submissions and inspections for `seed_demo`."""

from __future__ import annotations

import datetime
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction

from communes.models import Commune, District
from deadlines.models import Deadline, Inspection, Submission
from deadlines.services import inspection_record

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DIRECTIVE = "606/UBND-VX"
DUE = datetime.date(2021, 8, 6)
TITLE = "Báo cáo kết quả thành lập nhóm tin tại các thôn, ấp, bon"
DESCRIPTION = (
    "Công văn 606/UBND-VX ngày 26/7/2021 của UBND huyện Bù Gia Mập: thành lập ở mỗi thôn ít nhất "
    "một nhóm tin làm kênh truyền thông chính thức của xã, vận động toàn bộ người dân sinh sống "
    "trên thôn vào nhóm; hoàn thành và báo cáo kết quả về UBND huyện (qua Phòng Văn hóa – TT) "
    "trước ngày 6/8/2021."
)
# Phú Văn reports three days late and Bình Thắng not at all; the others on time.
LATE_CODE, MISSING_CODE = "25229", "25234"
ON_TIME_TIMES = [
    datetime.datetime(2021, 8, 2, 9, 40),
    datetime.datetime(2021, 8, 3, 15, 5),
    datetime.datetime(2021, 8, 4, 8, 20),
    datetime.datetime(2021, 8, 4, 16, 45),
    datetime.datetime(2021, 8, 5, 10, 30),
    datetime.datetime(2021, 8, 6, 16, 50),
]
LATE_TIME = datetime.datetime(2021, 8, 9, 10, 15)
NOTES = [
    "Đã thành lập nhóm Zalo ở tất cả các thôn; cán bộ văn hóa xã làm trưởng nhóm.",
    "Mỗi thôn, ấp có ít nhất một nhóm tin; đang tiếp tục vận động người dân vào nhóm.",
    "Hoàn thành thành lập nhóm tin; danh sách nhóm và quản trị viên gửi kèm.",
]
INSPECTION_DATE = datetime.date(2021, 8, 12)
FOLLOW_UP_DUE = datetime.date(2021, 8, 20)


def _pick(communes: list[Commune], code: str, fallback: int) -> Commune | None:
    by_code = {commune.code: commune for commune in communes}
    if code in by_code:
        return by_code[code]
    return communes[fallback] if len(communes) > abs(fallback) else None


@transaction.atomic
def seed_demo_reports(*, district: District) -> None:
    """Idempotent: the deadlines' part of the demo of Bù Gia Mập — the deadline of
    606/UBND-VX (06/08/2021) for every commune, most submitted on time, one late, one missing,
    and an inspection of the missing commune with its follow-up deadline."""
    communes = list(district.communes.order_by("code"))
    if not communes:
        return
    deadline = Deadline.objects.filter(district=district, directive=DIRECTIVE, due_date=DUE).first()
    if deadline is None:
        deadline = Deadline.objects.create(
            district=district,
            directive=DIRECTIVE,
            due_date=DUE,
            title=TITLE,
            description=DESCRIPTION,
        )
        deadline.communes.set(communes)

    missing = _pick(communes, MISSING_CODE, -1)
    late = _pick(communes, LATE_CODE, -2)
    users = get_user_model().objects
    on_time = iter(ON_TIME_TIMES * (len(communes) // len(ON_TIME_TIMES) + 1))
    for index, commune in enumerate(communes):
        if commune == missing:
            continue
        moment = LATE_TIME if commune == late else next(on_time)
        if Submission.objects.filter(deadline=deadline, commune=commune).exists():
            continue
        # Seeded history: the submission time is the demo's, not the clock's.
        Submission.objects.create(
            deadline=deadline,
            commune=commune,
            submitted_at=moment.replace(tzinfo=LOCAL),
            note=NOTES[index % len(NOTES)],
            submitted_by=users.filter(username=f"xa-{commune.slug}").first(),
        )

    if (
        missing is not None
        and not Inspection.objects.filter(commune=missing, date=INSPECTION_DATE).exists()
    ):
        inspection_record(
            actor=users.filter(username="vhtt").first(),
            commune=missing,
            date=INSPECTION_DATE,
            inspector="Trần Thị Thu Hà",
            findings=(
                "Xã chưa báo cáo kết quả theo Công văn 606/UBND-VX; 2 thôn chưa có nhóm tin, "
                "quản trị viên nhóm chưa được tập huấn. Yêu cầu xã hoàn thành và báo cáo."
            ),
            follow_up_due=FOLLOW_UP_DUE,
        )
