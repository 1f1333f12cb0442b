"""Generate the example's synthetic passenger data (run once; the CSVs are committed).

    python examples/titanic/make_data.py

Realistic on purpose so every preprocessing step in preprocess.ipynb has something to do:
~20% missing ages (a few typed as "unknown"), 2 missing ports, 9 duplicated rows, tickets
shared by families, fares in a second file keyed by ticket, survival driven by sex, class,
age and family size so a logistic regression has signal to find.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

SEED = 1912
PASSENGERS = 891
HERE = Path(__file__).resolve().parent

FIRST_MALE = ["John", "William", "James", "George", "Charles", "Thomas", "Henry", "Frederick", "Arthur", "Albert",
              "Edward", "Walter", "Harry", "Joseph", "Robert", "Ernest", "Alfred", "Patrick", "Samuel", "Karl"]
FIRST_FEMALE = ["Mary", "Anna", "Margaret", "Elizabeth", "Helen", "Alice", "Catherine", "Ellen", "Emily", "Bertha",
                "Agnes", "Ida", "Florence", "Edith", "Maria", "Johanna", "Kate", "Jane", "Annie", "Elin"]
SURNAMES = ["Smith", "Andersson", "Brown", "Sage", "Johnson", "Goodwin", "Panula", "Skoog", "Carter", "Rice",
            "Asplund", "Fortune", "Kelly", "Williams", "Davies", "Jones", "Taylor", "Harris", "Baxter", "Allison",
            "Ryerson", "Lefebre", "Palsson", "Hart", "Becker", "Collyer", "Moran", "Murphy", "O'Brien", "Nilsson"]
PORTS = ["S", "C", "Q"]


def passenger_rows(rng: random.Random) -> tuple[list[dict], dict[str, tuple[float, str]]]:
    rows: list[dict] = []
    tickets: dict[str, tuple[float, str]] = {}
    pid = 1
    while len(rows) < PASSENGERS:
        pclass = rng.choices([1, 2, 3], weights=[0.24, 0.21, 0.55])[0]
        party = min(rng.choices([1, 2, 3, 4, 5, 6], weights=[0.6, 0.18, 0.1, 0.06, 0.04, 0.02])[0],
                    PASSENGERS - len(rows))
        surname = rng.choice(SURNAMES)
        ticket = f"{rng.choice(['', 'PC ', 'A/5 ', 'STON/O2. ', 'CA. '])}{rng.randint(1000, 399999)}"
        base_fare = {1: 84.0, 2: 20.7, 3: 13.7}[pclass] * rng.uniform(0.4, 2.2)
        cabin = f"{rng.choice('ABCDE')}{rng.randint(2, 140)}" if pclass == 1 or rng.random() < 0.05 else ""
        tickets[ticket] = (round(base_fare * (1 + 0.6 * (party - 1)), 4), cabin)
        port = rng.choices(PORTS, weights=[0.72, 0.19, 0.09])[0]
        for member in range(party):
            sex = "male" if rng.random() < 0.64 else "female"
            child = party > 2 and member >= 2 and rng.random() < 0.7
            age = rng.uniform(0.5, 14) if child else max(15.0, rng.gauss({1: 39, 2: 30, 3: 25}[pclass], 12))
            title = ("Master." if sex == "male" else "Miss.") if child else ("Mr." if sex == "male" else rng.choice(["Mrs.", "Miss."]))
            first = rng.choice(FIRST_MALE if sex == "male" else FIRST_FEMALE)
            score = (2.4 if sex == "female" else -1.1) + {1: 1.1, 2: 0.2, 3: -0.9}[pclass] - 0.02 * (age - 30)
            score += (1.2 if child else 0.0) - (0.5 if party > 4 else 0.0)
            survived = int(rng.random() < 1 / (1 + math.exp(-score)))
            age_text = f"{age:.0f}" if age >= 1 else f"{age:.2f}"
            if rng.random() < 0.19:
                age_text = "" if rng.random() < 0.9 else "unknown"
            rows.append({
                "PassengerId": pid, "Survived": survived, "Pclass": pclass, "Name": f"{surname}, {title} {first}",
                "Sex": sex, "Age": age_text, "SibSp": min(party - 1, rng.randint(0, 1)) if party > 1 else 0,
                "Parch": max(0, party - 2) if party > 2 else 0, "Ticket": ticket, "Embarked": port,
            })
            pid += 1
    for index in rng.sample(range(len(rows)), 2):
        rows[index]["Embarked"] = ""
    for index in rng.sample(range(len(rows)), 9):  # the same passenger recorded twice
        rows.append(dict(rows[index]))
    rng.shuffle(rows)
    return rows, tickets


def main() -> None:
    rng = random.Random(SEED)
    rows, tickets = passenger_rows(rng)
    with open(HERE / "passengers.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with open(HERE / "tickets.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ticket", "Fare", "Cabin"])
        for ticket, (fare, cabin) in sorted(tickets.items()):
            writer.writerow([ticket, f"{fare:.4f}", cabin])
    print(f"wrote {len(rows)} passengers, {len(tickets)} tickets to {HERE}")


if __name__ == "__main__":
    main()
