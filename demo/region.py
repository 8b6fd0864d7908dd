"""Bù Gia Mập as the demo draws it: the district, its 8 communes of 2021 with their villages, and
how the region names its villages, its people, their phones and their posts.

The district's and the communes' codes and names are the official ones (docs/rules.md#demo).
Villages are illustrative (no public list of them with populations exists), named like the
region's thôn, ấp and bon.
"""

from __future__ import annotations

from communes.models import VillageKind

DISTRICT = {
    "code": "691",
    "name": "Bù Gia Mập",
    "province_name": "Bình Phước",
    "province_code": "70",
    "bluzone_target_pct": 50,
}

# (official code, 2021 name, villages) in the order of docs/rules.md#demo.
COMMUNES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "25222",
        "Bù Gia Mập",
        (
            "Thôn Bù Lư",
            "Thôn Đăk Á",
            "Thôn Đăk Côn",
            "Thôn Bù Rên",
            "Thôn Bình Tiến",
            "Thôn Thác Dài",
            "Thôn Đăk Khâu",
            "Bon Bù Lạch",
            "Bon Bu Dốt",
            "Bon Đăk Ka",
        ),
    ),
    (
        "25225",
        "Đak Ơ",
        (
            *(f"Thôn {n}" for n in range(1, 11)),
            "Bon Bù Ka",
            "Bon Đăk Ơ",
        ),
    ),
    (
        "25228",
        "Đức Hạnh",
        (
            "Thôn Đức Lập",
            "Thôn Đức Lợi",
            "Thôn Đức Thọ",
            "Thôn Tân Lập",
            "Thôn Bình Giai",
            "Thôn Hai Căn",
            "Thôn Phú Lâm",
            "Bon Bù Kroai",
            "Bon Bu Bưng",
        ),
    ),
    (
        "25229",
        "Phú Văn",
        (
            "Thôn Đăk Son 1",
            "Thôn Đăk Son 2",
            "Thôn Phú Châu",
            "Thôn Phú Thịnh",
            "Thôn Đăk Liên",
            "Thôn Phú Tâm",
            "Bon Bu Gia Phúc",
            "Bon Bù Rên",
        ),
    ),
    (
        "25231",
        "Đa Kia",
        (
            *(f"Thôn {n}" for n in range(1, 7)),
            "Thôn Bình Hà 1",
            "Thôn Bình Hà 2",
            "Thôn Bình Hà 3",
            "Thôn Đa Bông Cua",
            "Thôn Sơn Hà",
            "Thôn Bình Minh",
            "Bon Đăk Kia",
            "Bon Bù Dinh",
        ),
    ),
    (
        "25232",
        "Phước Minh",
        (
            "Ấp Phước Tân",
            "Ấp Phước Lộc",
            "Ấp Phước Sơn",
            "Ấp Phước Yên",
            "Ấp Phước Hòa",
            "Ấp Bình Tiến 1",
            "Ấp Bình Tiến 2",
            "Ấp Bình Đức",
            "Bon Bù Nâu",
        ),
    ),
    (
        "25234",
        "Bình Thắng",
        (
            "Thôn Bình Tân",
            "Thôn Bình Lợi",
            "Thôn Bình Hòa",
            "Thôn Bình Thuận",
            "Thôn Bình Phú",
            "Thôn Bình Giang",
            "Thôn Bình Hưng",
            "Bon Bu Dốt",
            "Bon Bu Lum",
            "Bon Bù Ghe",
            "Bon Bù Krong",
        ),
    ),
    (
        "25267",
        "Phú Nghĩa",
        (
            "Thôn Khắc Khoan",
            "Thôn Đắk Á",
            "Thôn Tân Lập",
            "Thôn Tân Hòa",
            "Thôn Bình Tiến 1",
            "Thôn Bình Tiến 2",
            "Thôn Đắk Son",
            "Thôn Đắk Khâu",
            "Thôn Phú Tiến",
            "Thôn Phú Hòa",
            "Bon Bù Xia",
            "Bon Bu Prăng",
            "Bon Đắk Á",
        ),
    ),
)

KIND_BY_PREFIX = {"Thôn": VillageKind.THON, "Bon": VillageKind.BON, "Ấp": VillageKind.AP}

KINH_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng")
# (middle names, given names) for men and for women.
KINH_NAMES = (
    (("Văn", "Hữu", "Minh", "Đức", "Quốc"), ("Hùng", "Tuấn", "Dũng", "Sơn", "Long", "Thắng")),
    (("Thị", "Ngọc", "Thanh", "Thu"), ("Lan", "Hương", "Mai", "Hạnh", "Thảo", "Yến", "Nga")),
)
# Most S'tiêng and M'nông names in Bình Phước carry Điểu (men) or Thị (women).
STIENG_NAMES = (
    ("Điểu", ("Minh", "Ninh", "Lợi", "Phúc", "Khâm", "Bình", "Sa Rê", "Điều")),
    ("Thị", ("Bích", "Hòa", "Lý", "Nhung", "Thanh", "Ngoan", "Hiền")),
)
MOBILE_PREFIXES = ("086", "096", "097", "098", "032", "035", "038", "088", "091", "094", "090")

FIELD_OFFICER_POSITION = "Công chức Văn hóa - Xã hội"
LEADER_POSITION = "Chủ tịch UBND xã"
