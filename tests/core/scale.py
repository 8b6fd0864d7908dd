"""A whole district at a chosen shape, for the tests that hold a page's queries constant.

`build_world(shape)` makes one district of `shape.communes` communes, each with
`shape.villages` villages of `shape.groups` news groups, and everything the pages list: member
and Bluzone counts, officers with their fields, logins, channels, bulletins (published with
their deliveries and audit, a draft, one awaiting approval), deadlines with submissions (one
with an attachment), reminders with their in-app deliveries and notices, inspections (one with a
follow-up deadline) and compliance reports in the archive (one compiled, with its file).

Rows are written in bulk where the services would be slow and where nothing the pages read
depends on the services' side effects; a bulk write keeps the rules the database holds (unique
keys, checks). The clock is frozen on NOW while it builds, so every page sees the same "today".
"""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from rest_framework.authtoken.models import Token
from simple_history.utils import bulk_create_with_history

from bulletins.models import (
    Bulletin,
    BulletinStatus,
    BulletinTransition,
    Channel,
    ChannelKind,
    ChannelPlatform,
    Delivery,
    DeliveryStatus,
)
from bulletins.sending import delivery_text
from bulletins.verification import new_verify_code
from communes.models import (
    BluzoneCount,
    Commune,
    District,
    FieldAssignment,
    Officer,
    Role,
    Village,
)
from deadlines.models import (
    Deadline,
    EscalationDigest,
    Inspection,
    Reminder,
    ReminderDelivery,
    ReminderDeliveryChannel,
    Submission,
)
from deadlines.notices import reminder_context, reminder_event, reminder_url
from deadlines.schedule import ReminderKind
from deadlines.services import inspection_record
from groups.models import GroupStatus, MemberCount, MessagingGroup, Platform
from notifications.messages import notice_words
from notifications.models import Notification
from reports.models import ComplianceReport, ReportFormat, ReportStatus
from tests.factories import CommuneFactory, DeadlineFactory, DistrictFactory, make_user

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Four days after the dispatch's deadline (06/08/2021), a morning, local time.
NOW = datetime.datetime(2021, 8, 10, 8, 0, tzinfo=LOCAL)
AS_OF = NOW.date()
FIELD_CODES = ["y-te", "an-ninh-trat-tu", "nong-nghiep", "van-hoa-xa-hoi", "hanh-chinh"]


@dataclass(frozen=True)
class Shape:
    """How big the district is: per commune, per village, and how many of each dated thing."""

    communes: int
    villages: int  # per commune
    groups: int  # per village
    counts: int  # dated member counts per group, Bluzone counts per village
    bulletins: int  # published per commune, each delivered to every group of the commune
    deadlines: int  # covering every commune; half the communes have submitted to each
    reports: int  # compliance reports in the archive
    logins: (
        int  # commune officers with a login, per commune (each reminded in the app and by email)
    )

    @property
    def label(self) -> str:
        return f"{self.communes}x{self.villages}x{self.groups}"


SMALL = Shape(
    communes=3, villages=1, groups=1, counts=1, bulletins=1, deadlines=2, reports=2, logins=1
)
LARGE = Shape(
    communes=30, villages=4, groups=3, counts=3, bulletins=3, deadlines=4, reports=12, logins=2
)


@dataclass
class World:
    shape: Shape
    district: District
    commune_a: Commune
    users: dict[str, object] = field(default_factory=dict)
    # Ids and codes the URLs name, all in commune A unless said otherwise.
    ids: dict[str, object] = field(default_factory=dict)

    def token(self, role: str) -> str:
        return Token.objects.get_or_create(user=self.users[role])[0].key


def _day(offset: int) -> datetime.date:
    return AS_OF + datetime.timedelta(days=offset)


def _moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LOCAL)


def build_world(shape: Shape) -> World:
    """The whole district; call with the clock frozen on NOW."""
    district = DistrictFactory()
    communes = [
        CommuneFactory(district=district, code="25267", name="Phú Nghĩa", slug="phu-nghia"),
        *(CommuneFactory(district=district) for _ in range(shape.communes - 1)),
    ]
    world = World(shape=shape, district=district, commune_a=communes[0])
    users = world.users
    users["staff"] = make_user(Role.DISTRICT_STAFF, district=district, username="vhtt")
    users["district_leader"] = make_user(Role.DISTRICT_LEADER, district=district, username="ct")
    users["leader"] = make_user(Role.COMMUNE_LEADER, commune=communes[0], username="ct-a")
    # An administrator: a login without a role, for the admin site.
    users["admin"] = get_user_model().objects.create_superuser("root", "root@example.org", "-")
    # Commune → its officers' logins; the first of commune A's is the cast's officer of A.
    logins = {
        commune.pk: [
            make_user(
                Role.COMMUNE_OFFICER,
                commune=commune,
                username="xa-a" if index == number == 0 else f"xa-{index}-{number}",
            )
            for number in range(shape.logins)
        ]
        for index, commune in enumerate(communes)
    }
    officers = {pk: users[0] for pk, users in logins.items()}
    users["officer"] = officers[communes[0].pk]

    villages = _villages(shape, communes)
    groups = _groups(shape, villages)
    _counts(shape, villages, groups)
    _staff(shape, communes, officers)
    _channels(communes)
    _bulletins(shape, world, communes, villages, groups, officers)
    _deadlines(shape, world, communes, logins)
    _inspections(world, communes)
    _reports(shape, world, communes)

    a = communes[0]
    village = next(v for v in villages if v.commune_id == a.pk)
    group = next(g for g in groups if g.village_id == village.pk)
    world.ids.update(
        code=a.code,
        district=a.district_id,
        commune=a.pk,
        village=village.pk,
        group=group.pk,
        count_date=AS_OF.replace(day=1).isoformat(),
        officer=Officer.objects.filter(commune=a, user__isnull=True).order_by("pk").first().pk,
        login=users["officer"].pk,
        assignment=FieldAssignment.objects.filter(commune=a).order_by("field_id").first().pk,
        field="y-te",
        channel=Channel.objects.get(commune=a, platform=ChannelPlatform.TELEGRAM).pk,
        delivery=Delivery.objects.filter(bulletin__commune=a).order_by("pk").first().pk,
    )
    return world


def _villages(shape: Shape, communes: list[Commune]) -> list[Village]:
    return Village.objects.bulk_create(
        Village(
            commune=commune,
            name=f"Thôn {number + 1}",
            households=100 + 10 * number,
            residents=400 + 40 * number,
            smartphone_users=200 + 20 * number,
        )
        for commune in communes
        for number in range(shape.villages)
    )


# Every platform a group may be on, in turn; a Telegram group has a chat id, so bulletins are
# sent to it through the commune's channel.
PLATFORMS = itertools.cycle([Platform.ZALO, Platform.TELEGRAM, Platform.FACEBOOK])


def _groups(shape: Shape, villages: list[Village]) -> list[MessagingGroup]:
    groups = []
    for village in villages:
        for number in range(shape.groups):
            platform = next(PLATFORMS)
            groups.append(
                MessagingGroup(
                    village=village,
                    platform=platform,
                    name=f"{platform.label} {village.name} {number + 1}",
                    invite_url=f"https://zalo.me/g/v{village.pk}n{number}",
                    admin_name="Nguyễn Văn A",
                    admin_phone="0912345678",
                    admin_trained=number % 2 == 0,
                    established_on=datetime.date(2021, 7, 1),
                    registered_on=datetime.date(2021, 7, 1),
                    status=GroupStatus.ACTIVE,
                    channel_id=f"-100{village.pk}{number}" if platform == Platform.TELEGRAM else "",
                )
            )
    return MessagingGroup.objects.bulk_create(groups)


def _counts(shape: Shape, villages: list[Village], groups: list[MessagingGroup]) -> None:
    dates = [
        datetime.date(2021, 8, 1) - datetime.timedelta(days=7 * n) for n in range(shape.counts)
    ]
    MemberCount.objects.bulk_create(
        MemberCount(group=group, date=date, members=60 + 5 * n)
        for group in groups
        for n, date in enumerate(dates)
    )
    BluzoneCount.objects.bulk_create(
        BluzoneCount(village=village, date=date, installs=50 + 5 * n)
        for village in villages
        for n, date in enumerate(dates)
    )


def _staff(shape: Shape, communes: list[Commune], officers: dict) -> None:
    """Each commune: one officer per village besides its login; the login answers for health,
    the others for one more field each, as many as there are fields."""
    staff = Officer.objects.bulk_create(
        Officer(commune=commune, full_name=f"Cán bộ {number + 1}", position="Công chức")
        for commune in communes
        for number in range(shape.villages)
    )
    by_commune = {}
    for officer in staff:
        by_commune.setdefault(officer.commune_id, []).append(officer)
    assignments = []
    for commune in communes:
        responsible = [officers[commune.pk].officer, *by_commune[commune.pk]]
        for code, officer in zip(FIELD_CODES, responsible, strict=False):
            assignments.append(FieldAssignment(commune=commune, field_id=code, officer=officer))
    # With their history, which the page of who answers for each field lists.
    bulk_create_with_history(assignments, FieldAssignment)


def _channels(communes: list[Commune]) -> None:
    channels = []
    for commune in communes:
        channel = Channel(commune=commune, platform=ChannelPlatform.TELEGRAM)
        channel.credentials = {"bot_token": f"12345:bot-of-{commune.code}"}
        channels.append(channel)
    Channel.objects.bulk_create(channels)


def _bulletins(shape, world, communes, villages, groups, officers) -> None:
    """Each commune: `shape.bulletins` published to every village (delivered to every group,
    through the channel or by hand, some confirmed), one draft, one awaiting approval."""
    leader = world.users["leader"]
    villages_of = {}
    for village in villages:
        villages_of.setdefault(village.commune_id, []).append(village)
    groups_of = {}
    for group in groups:
        groups_of.setdefault(group.village.commune_id, []).append(group)
    bulletins = []
    for commune in communes:
        author = officers[commune.pk]
        for number in range(shape.bulletins):
            published = NOW - datetime.timedelta(days=number + 1)
            bulletins.append(
                Bulletin(
                    commune=commune,
                    field_id="y-te",
                    title=f"Thông báo số {number + 1} của {commune.name}",
                    body=f"Lịch tiêm vắc xin đợt {number + 1} tại Trạm Y tế xã.",
                    source="Trạm Y tế xã",
                    author=author,
                    status=BulletinStatus.PUBLISHED,
                    submitted_at=published - datetime.timedelta(hours=2),
                    approved_at=published - datetime.timedelta(hours=1),
                    published_at=published,
                    verify_code=new_verify_code(),
                )
            )
            bulletins[-1].delivered_text = delivery_text(bulletins[-1])
        for status in (BulletinStatus.DRAFT, BulletinStatus.SUBMITTED):
            bulletins.append(
                Bulletin(
                    commune=commune,
                    field_id="y-te",
                    title=f"Tin {status} của {commune.name}",
                    body="Họp thôn bàn việc lập nhóm tin.",
                    author=author,
                    status=status,
                    submitted_at=NOW if status == BulletinStatus.SUBMITTED else None,
                )
            )
    bulletins = Bulletin.objects.bulk_create(bulletins)
    targets = Bulletin.villages.through
    targets.objects.bulk_create(
        targets(bulletin_id=bulletin.pk, village_id=village.pk)
        for bulletin in bulletins
        for village in villages_of[bulletin.commune_id]
    )
    transitions = []
    deliveries = []
    steps = [
        ("", BulletinStatus.SUBMITTED),
        (BulletinStatus.SUBMITTED, BulletinStatus.APPROVED),
        (BulletinStatus.APPROVED, BulletinStatus.PUBLISHED),
    ]
    for bulletin in bulletins:
        if bulletin.status == BulletinStatus.SUBMITTED:
            transitions.append(
                BulletinTransition(
                    bulletin=bulletin,
                    actor=bulletin.author,
                    at=NOW,
                    from_status=BulletinStatus.DRAFT,
                    to_status=BulletinStatus.SUBMITTED,
                )
            )
        if bulletin.status != BulletinStatus.PUBLISHED:
            continue
        for hours, (before, after) in zip((2, 1, 0), steps, strict=True):
            transitions.append(
                BulletinTransition(
                    bulletin=bulletin,
                    actor=bulletin.author if after == BulletinStatus.SUBMITTED else leader,
                    at=bulletin.published_at - datetime.timedelta(hours=hours),
                    from_status=before or BulletinStatus.DRAFT,
                    to_status=after,
                )
            )
        for number, group in enumerate(groups_of[bulletin.commune_id]):
            sent = bool(group.channel_id)
            confirmed = not sent and number % 2 == 0
            deliveries.append(
                Delivery(
                    bulletin=bulletin,
                    group=group,
                    channel=group.platform if sent else ChannelKind.MANUAL,
                    status=(
                        DeliveryStatus.SENT
                        if sent
                        else DeliveryStatus.CONFIRMED
                        if confirmed
                        else DeliveryStatus.AWAITING_CONFIRMATION
                    ),
                    attempts=1 if sent else 0,
                    sent_at=bulletin.published_at if sent or confirmed else None,
                    posted_url=f"https://zalo.me/p/{bulletin.pk}-{group.pk}" if confirmed else "",
                    confirmed_by=bulletin.author if confirmed else None,
                )
            )
    BulletinTransition.objects.bulk_create(transitions)
    Delivery.objects.bulk_create(deliveries)
    world.ids["bulletin"] = next(
        b.pk for b in bulletins if b.commune_id == world.commune_a.pk and b.published_at
    )
    world.ids["verify_code"] = next(
        b.verify_code for b in bulletins if b.pk == world.ids["bulletin"]
    )
    world.ids["draft"] = next(
        b.pk
        for b in bulletins
        if b.commune_id == world.commune_a.pk and b.status == BulletinStatus.DRAFT
    )


def _deadlines(shape: Shape, world: World, communes: list[Commune], logins: dict) -> None:
    """Deadlines due every week around D, each covering every commune; every other commune has
    submitted to each, commune A only to those ahead (once with an attachment). Each commune
    late on a passed deadline is reminded (overdue) on D, in the app and by email, to each of
    its officers' logins, and the district's users are told of it in the app and in their
    digest of the day (escalation)."""
    staff = world.users["staff"]
    deadlines = []
    for number in range(shape.deadlines):
        # Due 04/08, 11/08, 28/07, 18/08, …: passed and ahead of D in turn.
        offset = -6 - 7 * (number // 2) if number % 2 == 0 else 1 + 7 * (number // 2)
        deadlines.append(
            DeadlineFactory(
                district=world.district,
                title=f"Báo cáo số {number + 1}",
                directive=f"{600 + number}/UBND-VX",
                due_date=_day(offset),
                communes=communes,
                created_by=staff,
            )
        )
    submitted = {
        deadline.pk: [
            c for c in communes[::2] if c != world.commune_a or deadline.due_date >= AS_OF
        ]
        for deadline in deadlines
    }
    submissions = Submission.objects.bulk_create(
        Submission(
            deadline=deadline,
            commune=commune,
            submitted_at=_moment(min(deadline.due_date, AS_OF) - datetime.timedelta(days=1)),
            submitted_by=logins[commune.pk][0],
            note="Đã hoàn thành.",
        )
        for deadline in deadlines
        for commune in submitted[deadline.pk]
    )
    first = next(s for s in submissions if s.commune_id == world.commune_a.pk)
    first.attachment.save("bao-cao.pdf", ContentFile(b"%PDF-1.4 bao cao"), save=True)
    world.ids["deadline"] = deadlines[0].pk
    world.ids["submitted_deadline"] = first.deadline_id
    world.ids["submission"] = first.pk

    reminders = Reminder.objects.bulk_create(
        Reminder(deadline=deadline, commune=commune, kind=kind, day=AS_OF, created_at=NOW)
        for deadline in deadlines
        if deadline.due_date < AS_OF
        for commune in communes
        if commune not in submitted[deadline.pk]
        for kind in (ReminderKind.OVERDUE, ReminderKind.ESCALATION)
    )
    # The district's users are emailed the day's escalations in one digest each.
    digests = {
        user.pk: EscalationDigest.objects.create(
            recipient=user, day=AS_OF, status="sent", attempts=1, sent_at=NOW
        )
        for user in (staff, world.users["district_leader"])
    }
    deliveries = []
    for reminder in reminders:
        if reminder.kind == ReminderKind.ESCALATION:
            recipients = [
                (user_id, ReminderDeliveryChannel.IN_APP, digest)
                for user_id, digest in digests.items()
            ]
        else:
            recipients = [
                (user.pk, channel, None)
                for user in logins[reminder.commune_id]
                for channel in (ReminderDeliveryChannel.IN_APP, ReminderDeliveryChannel.EMAIL)
            ]
        deliveries += [
            ReminderDelivery(
                reminder=reminder,
                channel=channel,
                recipient_id=user_id,
                digest=digest,
                status="sent",
                attempts=1,
                sent_at=NOW,
                created_at=NOW,
            )
            for user_id, channel, digest in recipients
        ]
    ReminderDelivery.objects.bulk_create(deliveries)
    # Each in-app reminder is a notice in its recipient's bell, as the job makes it.
    reminder_of = {reminder.pk: reminder for reminder in reminders}
    deadline_of = {deadline.pk: deadline for deadline in deadlines}
    notices = []
    for delivery in deliveries:
        if delivery.channel != ReminderDeliveryChannel.IN_APP:
            continue
        reminder = reminder_of[delivery.reminder_id]
        deadline = deadline_of[reminder.deadline_id]
        context = reminder_context(
            title=deadline.title,
            directive=deadline.directive,
            due_date=deadline.due_date,
            commune=reminder.commune.name,
            day=AS_OF,
        )
        words = notice_words(kind=reminder.kind, context=context)
        notices.append(
            Notification(
                user_id=delivery.recipient_id,
                kind=reminder.kind,
                event=reminder_event(reminder.pk),
                subject=words.subject,
                text=words.text,
                url=reminder_url(kind=reminder.kind, deadline_id=deadline.pk),
                context=context,
                created_at=NOW,
            )
        )
    Notification.objects.bulk_create(notices)
    world.ids["reminder"] = next(r.pk for r in reminders if r.commune_id == world.commune_a.pk)


def _inspections(world: World, communes: list[Commune]) -> None:
    """Each commune inspected once; commune A's visit set a follow-up, now a deadline."""
    staff = world.users["staff"]
    inspection_record(
        actor=staff,
        commune=communes[0],
        date=_day(-3),
        inspector="Trần Thị Thu Hà",
        findings="Hai thôn chưa có nhóm tin.",
        follow_up_due=_day(14),
    )
    Inspection.objects.bulk_create(
        Inspection(
            commune=commune,
            date=_day(-5),
            inspector="Trần Thị Thu Hà",
            findings="Nhóm tin hoạt động đều.",
            created_by=staff,
        )
        for commune in communes[1:]
    )
    world.ids["inspection"] = Inspection.objects.get(commune=communes[0]).pk
    world.ids["follow_up"] = Deadline.objects.get(inspection__commune=communes[0]).pk


def _reports(shape: Shape, world: World, communes: list[Commune]) -> None:
    """The archive: reports of the district and of single communes (commune A's among them),
    waiting, failed, and one compiled with its file."""
    staff = world.users["staff"]
    reports = ComplianceReport.objects.bulk_create(
        ComplianceReport(
            district=world.district,
            commune=communes[number % len(communes)] if number % 2 else None,
            format=ReportFormat.PDF if number % 3 else ReportFormat.XLSX,
            as_of=AS_OF,
            status=ReportStatus.FAILED if number % 4 == 3 else ReportStatus.PENDING,
            error="Không đọc được số liệu." if number % 4 == 3 else "",
            requested_by=staff,
            created_at=NOW - datetime.timedelta(minutes=number),
            queued_at=NOW - datetime.timedelta(minutes=number),
        )
        for number in range(shape.reports)
    )
    done = ComplianceReport(
        district=world.district,
        commune=communes[0],
        format=ReportFormat.PDF,
        as_of=AS_OF,
        status=ReportStatus.DONE,
        progress=100,
        number="01/BC-VHTT",
        number_year=2021,
        number_seq=1,
        issued_on=AS_OF,
        requested_by=world.users["officer"],
        created_at=NOW,
    )
    done.file.save("bao-cao-01.pdf", ContentFile(b"%PDF-1.4 bao cao tuan thu"), save=False)
    done.save()
    world.ids["report"] = done.pk
    world.ids["pending_report"] = reports[0].pk
