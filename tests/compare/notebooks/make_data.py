"""Generate the data of the compare test notebooks (run once; the CSVs are committed).

    python tests/compare/notebooks/make_data.py

shop_churn: customers (ages with a few minors, ~10% missing incomes, plans and regions) and their orders, keyed
by customer_id and by a legacy_id that differs for some customers (a join-key choice that matters); churn driven
by tenure, spend and plan. sensor_load: hourly readings with a few spikes (what a cleaning helper removes).
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def shop(rng: random.Random) -> None:
    customers, orders = [], []
    for cid in range(1, 401):
        age = rng.choice([16, 17]) if rng.random() < 0.04 else rng.randint(18, 75)
        income = "" if rng.random() < 0.1 else round(rng.gauss(52000, 15000), 2)
        plan = rng.choice(["basic", "plus", "pro"])
        region = rng.choice(["north", "south", "east", "west"])
        tenure = rng.randint(1, 72)
        n_orders = rng.randint(0, 30)
        amount = round(n_orders * rng.uniform(8, 60), 2)
        score = -0.04 * tenure + (0.6 if plan == "basic" else -0.3) - 0.002 * amount + rng.gauss(0, 0.8)
        customers.append([cid, age, income, plan, region, tenure, int(score > -0.9)])
        if rng.random() < 0.9:  # some customers never ordered
            legacy = cid if rng.random() < 0.85 else cid + 1000
            orders.append([cid, legacy, amount, n_orders])
    write(HERE / "customers.csv", ["customer_id", "age", "income", "plan", "region", "tenure", "churned"], customers)
    write(HERE / "orders.csv", ["customer_id", "legacy_id", "amount", "n_orders"], orders)


def sensor(rng: random.Random) -> None:
    rows = []
    for i in range(24 * 20):
        day, hour = divmod(i, 24)
        temperature = round(12 + 8 * math.sin((hour - 6) / 24 * 2 * math.pi) + rng.gauss(0, 1.5), 2)
        load = 40 + 1.8 * temperature + 10 * (8 <= hour <= 20) + rng.gauss(0, 4)
        if rng.random() < 0.03:
            load += rng.choice([60, 90, 120])  # spikes
        rows.append([f"2026-03-{1 + day:02d} {hour:02d}:00:00", temperature, round(load, 2)])
    write(HERE / "readings.csv", ["time", "temperature", "load"], rows)


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)


if __name__ == "__main__":
    shop(random.Random(20261203))
    sensor(random.Random(77))
