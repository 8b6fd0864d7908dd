"""Demo bulletins for `seed_demo`: in Phú Nghĩa and Đa Kia, one bulletin in each status of the
workflow, written through the services as the commune's officer and leader would. The demo has
no channel (no tokens), so every delivery is one to post by hand; one is already confirmed.

Idempotent: a bulletin is keyed by its commune and title, and one that exists is left as it is.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bulletins import services
from bulletins.models import Bulletin, BulletinStatus, DeliveryStatus
from bulletins.publishing import bulletin_publish, delivery_confirm
from communes.models import Commune, District
from groups.models import Platform

User = get_user_model()
COMMUNE_CODES = ("25267", "25231")  # Phú Nghĩa, Đa Kia
SOURCE = "Trung tâm Y tế huyện Bù Gia Mập"

# (status it ends in, field, title, body, source)
BULLETINS = (
    (
        BulletinStatus.PUBLISHED,
        "y-te",
        "Tiêm vắc xin phòng Covid-19 mũi 1 cho người từ 18 tuổi",
        "Trạm Y tế xã tổ chức tiêm vắc xin phòng Covid-19 mũi 1 cho người từ 18 tuổi trở lên "
        "vào sáng thứ Bảy tại Hội trường UBND xã. Người dân mang theo căn cước công dân và giấy "
        "mời. Đề nghị đeo khẩu trang, giữ khoảng cách khi đến điểm tiêm.",
        SOURCE,
    ),
    (
        BulletinStatus.SCHEDULED,
        "an-ninh-trat-tu",
        "Cảnh giác lừa đảo qua điện thoại",
        "Thời gian gần đây xuất hiện các cuộc gọi giả danh công an, ngân hàng để chiếm đoạt tiền. "
        "Người dân không cung cấp mã OTP, không chuyển tiền theo yêu cầu của người lạ. Khi nghi "
        "ngờ, báo ngay cho Công an xã.",
        "Công an xã",
    ),
    (
        BulletinStatus.APPROVED,
        "nong-nghiep",
        "Phòng trừ sâu bệnh trên cây điều mùa mưa",
        "Mùa mưa là thời điểm bọ xít muỗi và bệnh thán thư phát triển mạnh trên cây điều. Bà con "
        "thường xuyên thăm vườn, tỉa cành thông thoáng. Cần hướng dẫn kỹ thuật, liên hệ cán bộ "
        "khuyến nông xã.",
        "",
    ),
    (
        BulletinStatus.SUBMITTED,
        "van-hoa-xa-hoi",
        "Hạn chế tụ tập đông người trong thời gian giãn cách",
        "Thực hiện chỉ đạo của huyện, các thôn tạm dừng các hoạt động văn hóa, thể thao tập trung "
        "đông người. Các gia đình tổ chức việc hiếu, hỉ gọn nhẹ, đúng quy định phòng dịch.",
        "",
    ),
    (
        BulletinStatus.REJECTED,
        "hanh-chinh",
        "Lịch tiếp công dân tháng 8",
        "UBND xã tiếp công dân vào sáng thứ Ba hằng tuần tại trụ sở.",
        "",
    ),
    (
        BulletinStatus.DRAFT,
        "y-te",
        "Hướng dẫn cách ly tại nhà",
        "Người tiếp xúc gần với ca bệnh thực hiện cách ly tại nhà 14 ngày, tự theo dõi sức khỏe và "
        "báo ngay cho Trạm Y tế xã khi có biểu hiện sốt, ho, khó thở.",
        SOURCE,
    ),
)


def _walk(bulletin: Bulletin, status: str, *, officer, leader) -> None:
    """Move a new draft through the workflow to `status`, as its people would."""
    if status == BulletinStatus.DRAFT:
        return
    services.bulletin_submit(bulletin=bulletin, actor=officer)
    if status == BulletinStatus.SUBMITTED:
        return
    if status == BulletinStatus.REJECTED:
        services.bulletin_reject(
            bulletin=bulletin, actor=leader, reason="Ghi rõ giờ tiếp công dân và người tiếp."
        )
        return
    services.bulletin_approve(bulletin=bulletin, actor=leader, override_duplicate=True)
    if status == BulletinStatus.APPROVED:
        return
    later = timezone.now() + datetime.timedelta(days=2) if status == "scheduled" else None
    bulletin = bulletin_publish(bulletin=bulletin, actor=leader, publish_at=later)
    if status == BulletinStatus.PUBLISHED:
        # A Zalo group's: a confirmed link is on its group's platform.
        first = bulletin.deliveries.filter(
            status=DeliveryStatus.AWAITING_CONFIRMATION, group__platform=Platform.ZALO
        ).first()
        if first is not None:
            delivery_confirm(
                delivery=first,
                actor=officer,
                posted_url=f"https://zalo.me/g/demo-{first.group_id}/post/1",
            )


@transaction.atomic
def seed_demo_bulletins(*, district: District) -> int:
    """Write the demo bulletins of two communes; answers how many were created."""
    created = 0
    for commune in Commune.objects.filter(district=district, code__in=COMMUNE_CODES):
        officer = User.objects.filter(username=f"xa-{commune.slug}").first()
        leader = User.objects.filter(username=f"ct-{commune.slug}").first()
        if officer is None or leader is None:
            continue
        for status, field, title, body, source in BULLETINS:
            if Bulletin.objects.filter(commune=commune, title=title).exists():
                continue
            bulletin = services.bulletin_create(
                commune=commune, author=officer, field=field, title=title, body=body, source=source
            )
            _walk(bulletin, status, officer=officer, leader=leader)
            created += 1
    return created
