"""MODEL.md's machine-output keys, written out independently of the code that produces them."""

from __future__ import annotations

PROFILE_KEYS = [
    "salary",
    "hours_per_week",
    "horizon_years",
    "discount_rate",
    "salary_growth",
    "tax_rate",
    "time_value",
    "employer_share",
    "selection_adjustment",
    "lag_months",
    "scenario",
    "goal",
    "target_role",
    "target_salary",
    "experience_years",
]

SIMULATION_KEYS = ["id", "name", "kind", "p_npv_positive", "npv_mean", "npv_p10", "npv_p50", "npv_p90", "draws", "seed"]
