from aevon.secretbox import SecretBox, mask


def test_values_are_sealed_masked_and_opened_across_a_key_rotation() -> None:
    old = SecretBox("first-key")
    sealed = old.seal("sk_live_9f8e7d6c5b4a3456")
    assert sealed.masked == "sk_l…3456"
    assert "9f8e7d6c" not in sealed.sealed
    rotated = SecretBox("second-key,first-key")
    assert rotated.open(sealed) == "sk_live_9f8e7d6c5b4a3456"
    assert SecretBox("second-key").open(rotated.seal("xoxb-0123456789ab")) == "xoxb-0123456789ab"
    assert mask("short") == "••••••••"
