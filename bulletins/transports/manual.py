"""Posting by hand: the groups of a platform no channel posts to (Facebook, Viber, …), or whose
id is not known. Nothing is sent; an officer posts the bulletin and confirms it with the post's
link or a picture of it."""

from __future__ import annotations

from bulletins.models import ChannelKind
from bulletins.transports.base import PostByHand, Transport


class Manual(Transport):
    platform = ChannelKind.MANUAL

    def send(self, *, chat_id: str, text: str) -> PostByHand:
        return PostByHand()
