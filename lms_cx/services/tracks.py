"""The competency tracks: data, seeded with the four every CX organisation starts from."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Track

#: The four built-in tracks, in display order, with their titles per locale.
DEFAULT_TRACKS: tuple[tuple[str, dict[str, str], dict[str, str]], ...] = (
    (
        "communication",
        {"en": "Communication", "fa": "ارتباطات", "pl": "Komunikacja"},
        {
            "en": "Active listening, empathy, tone in writing and on the phone, de-escalation.",
            "fa": "گوش دادن فعال، همدلی، لحن در نوشتار و تلفن، آرام‌سازی موقعیت‌های پرتنش.",
            "pl": "Aktywne słuchanie, empatia, ton w piśmie i przez telefon, łagodzenie napięć.",
        },
    ),
    (
        "persona_awareness",
        {
            "en": "Customer persona awareness",
            "fa": "شناخت پرسونای مشتری",
            "pl": "Znajomość person klientów",
        },
        {
            "en": "Who our customers are, what each needs, and decisions that serve them.",
            "fa": "مشتریان ما چه کسانی هستند، هر کدام چه نیازی دارند و چه تصمیمی به سودشان است.",
            "pl": "Kim są nasi klienci, czego potrzebują i jakie decyzje im służą.",
        },
    ),
    (
        "problem_solving",
        {"en": "Problem solving", "fa": "حل مسئله", "pl": "Rozwiązywanie problemów"},
        {
            "en": "Complaint handling, first-contact resolution, deciding alone or escalating.",
            "fa": "رسیدگی به شکایت، حل در اولین تماس، تصمیم مستقل یا ارجاع.",
            "pl": "Reklamacje, rozwiązanie przy pierwszym kontakcie, decyzja lub eskalacja.",
        },
    ),
    (
        "product_knowledge",
        {"en": "Product knowledge", "fa": "دانش محصول", "pl": "Znajomość produktów"},
        {
            "en": "The products, plans, devices and policies customers ask about.",
            "fa": "محصولات، طرح‌ها، دستگاه‌ها و سیاست‌هایی که مشتریان درباره‌شان می‌پرسند.",
            "pl": "Produkty, plany, urządzenia i zasady, o które pytają klienci.",
        },
    ),
)


def ensure_default_tracks(session: Session) -> int:
    """Add whichever of the four built-in tracks are missing; return how many were added."""
    existing = set(session.scalars(sa.select(Track.code)))
    added = 0
    for position, (code, title, description) in enumerate(DEFAULT_TRACKS):
        if code in existing:
            continue
        session.add(
            Track(
                code=code,
                title=title,
                description=description,
                position=position,
                is_builtin=True,
            )
        )
        added += 1
    session.commit()
    return added
