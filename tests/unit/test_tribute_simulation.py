"""The tribute tables reproduce the reference's expected returns (a simulation, not timed)."""

import random
from decimal import Decimal

import pytest

from domain.identity.roles import Psyche
from domain.klepsydra.instruments import INSTRUMENTS, Tier
from domain.klepsydra.tribute import resolve_tribute, tier_weights

TRIBUTE = Decimal(100)
ROUNDS = 300_000

# (instrument, luck) → expected return per 100 Ξ tribute for ZEN_ARCHITECT, from the reference.
EXPECTED = {
    ("SISYPHUSS_ASCENT", 0.5): 25,
    ("ORACLE_OF_DELPHI_VALLEY", 0.5): 49,
    ("MERCHANT_OF_CABBAGE", 0.5): 75,
    ("SISYPHUSS_ASCENT", 0.95): 77,
    ("ORACLE_OF_DELPHI_VALLEY", 0.95): 140,
    ("MERCHANT_OF_CABBAGE", 0.95): 199,
}
WIN_RATE = {
    "SISYPHUSS_ASCENT": 0.077,
    "ORACLE_OF_DELPHI_VALLEY": 0.097,
    "MERCHANT_OF_CABBAGE": 0.143,
}


@pytest.mark.parametrize(
    ("key", "expected"), EXPECTED.items(), ids=[f"{name}@{luck}" for name, luck in EXPECTED]
)
def test_simulated_return_per_100_matches_the_reference_within_3_percent(
    key: tuple[str, float], expected: float
) -> None:
    instrument_id, luck = key
    rng = random.Random(f"{instrument_id}:{luck}")
    instrument = INSTRUMENTS[instrument_id]
    total = Decimal(0)
    wins = 0
    for _ in range(ROUNDS):
        outcome = resolve_tribute(
            instrument, TRIBUTE, luck, Psyche.ZEN_ARCHITECT, 0, rng.random(), rng.random()
        )
        total += outcome.boon
        wins += outcome.won
    mean = float(total) / ROUNDS
    assert mean == pytest.approx(expected, rel=0.03)
    if luck == 0.5:
        assert wins / ROUNDS == pytest.approx(WIN_RATE[instrument_id], abs=0.002)


def test_common_weight_shrinks_and_others_grow_with_luck_times_odds() -> None:
    sisyphus = INSTRUMENTS["SISYPHUSS_ASCENT"]
    weights = tier_weights(sisyphus, 0.5, 0.85)
    assert weights[Tier.COMMON] == pytest.approx(7499 / 0.425)
    assert weights[Tier.MYTHIC] == pytest.approx(150 * 0.425)


def test_after_five_losses_the_next_tribute_is_a_pity_boon_of_one_and_a_half() -> None:
    outcome = resolve_tribute(
        INSTRUMENTS["MERCHANT_OF_CABBAGE"],
        Decimal(15),
        0.05,
        Psyche.RISK_AVERSE_ARTISAN,
        5,
        0.0,
        0.0,
    )
    assert (outcome.outcome, outcome.boon, outcome.won) == ("pity_boon", Decimal("22.50"), True)


def test_a_card_pays_one_and_a_half_its_cost_times_the_psyche_boon_factor() -> None:
    oracle = INSTRUMENTS["ORACLE_OF_DELPHI_VALLEY"]
    # The last sliver of both draws lands on the mythic tier's card.
    outcome = resolve_tribute(
        oracle, Decimal(25), 0.95, Psyche.SYNDICATE_ENFORCER, 0, 0.99999, 0.99999
    )
    assert (outcome.outcome, outcome.card) == ("mythic", "KRONOSS_GIFT")
    assert outcome.boon == Decimal("1125.00")  # 600 × 1.5 × 1.25


def test_the_same_draws_give_the_same_outcome() -> None:
    sisyphus = INSTRUMENTS["SISYPHUSS_ASCENT"]
    first = resolve_tribute(sisyphus, Decimal(10), 0.7, None, 2, 0.3, 0.6)
    assert first == resolve_tribute(sisyphus, Decimal(10), 0.7, None, 2, 0.3, 0.6)
