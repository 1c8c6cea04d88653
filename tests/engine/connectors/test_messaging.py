"""The SMS and WhatsApp gateways: Indonesian numbers in the gateways' form, and a send repeated with
the same reference is one message."""

from __future__ import annotations

import pytest

from engine.connectors.http import ConnectorRefused, ConnectorUnavailable
from engine.connectors.messaging import msisdn


@pytest.mark.parametrize(
    "given, expected",
    [
        ("081234567890", "6281234567890"),
        ("+62 812-3456-7890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("81234567890", "6281234567890"),
        ("(0812) 3456 7890", "6281234567890"),
        ("0211234567", None),
        ("", None),
        (None, None),
        ("12345", None),
        ("08abc", None),
    ],
)
def test_mobile_numbers_are_written_as_the_gateways_take_them(given, expected):
    assert msisdn(given) == expected


def test_a_repeated_reference_is_not_a_second_message(messaging):
    sms = messaging.connectors.sms
    first = sms.send("6281234567890", "Uji", "ref-1")
    assert sms.send("6281234567890", "Uji", "ref-1") == first
    [message] = messaging.to("6281234567890", "sms")
    assert message.sends == 2  # seen twice by the gateway, sent once


def test_a_wrong_token_is_refused_and_a_down_gateway_is_unavailable(messaging):
    wa = messaging.connectors.whatsapp
    wa.headers["Authorization"] = "salah"
    with pytest.raises(ConnectorRefused):
        wa.send("6281234567890", "Uji", "ref-2")
    messaging.mode("sms", "mati")
    with pytest.raises(ConnectorUnavailable):
        messaging.connectors.sms.send("6281234567890", "Uji", "ref-3")
