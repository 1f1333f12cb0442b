"""Rules of the twenty-second pass (acc42: batch 9, Kaggle playground cleaning of category values), on small
hand-written cells; controls keep what each rule must not change.

- One value of a text column given another text through `.loc` (`df.loc[df.city == "Golkata", "city"] = "Kolkata"`,
  Titanic's `df.loc[df.Title == "Mlle", "Title"] = "Miss"`) fixes that value's spelling or variant label:
  CONVENTIONS 20, "Fixing spelling or format of strings, and variant labels, is `text_clean`", as
  `s.replace("Mlle", "Miss")` already reads. Values lumped under a catch-all name ("Others", "Rare"), lists of values
  (`isin`) and codes (numbers) stay `encode_categorical` (CONVENTIONS 20: "lumping into 'Other'").
- `isin` with a name bound to a written list of strings (`rare = ["Capt", "Don"]; df.loc[df.t.isin(rare), "t"] =
  "Rare"`) tests category values as `isin(["Capt", "Don"])` does: lumping, `encode_categorical` (CONVENTIONS 20).
- A helper that lumps the values it is given (`def to_others(values): for v in values: df.loc[df.city == v,
  "city"] = "Others"`) recodes the column it tests (CONVENTIONS 20), not a new feature.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME, ops_after

TEXT_FRAME = FRAME + "data = pd.read_csv('train.csv')\n"


@pytest.mark.parametrize("cell, ops", [
    ('data.loc[data["City"] == "Golkata", "City"] = "Kolkata"', ["text_clean"]),
    ("df.loc[df['Title'] == 'Mlle', 'Title'] = 'Miss'\ndf.loc[df['Title'] == 'Mme', 'Title'] = 'Mrs'",
     ["text_clean", "text_clean"]),
    ('data.loc[data["Profession"].eq("Dev"), "Profession"] = "Software Engineer"', ["text_clean"]),
    # the value tested named by a loop over a written list of strings
    ('for name in ["Less Delhi", "Tolkata"]:\n    if name == "Less Delhi":\n'
     '        data.loc[data["City"] == name, "City"] = "Delhi"\n'
     '    else:\n        data.loc[data["City"] == name, "City"] = "Kolkata"\n', ["text_clean", "text_clean"]),
])
def test_one_category_value_respelt_is_text_clean(cell: str, ops: list[str]) -> None:
    assert ops_after(TEXT_FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # lumped under a catch-all name: encode_categorical (CONVENTIONS 20)
    ('data.loc[data["City"] == "Gurgaon", "City"] = "Others"', ["encode_categorical"]),
    ("df.loc[df['Title'] == 'Capt', 'Title'] = 'Rare'", ["encode_categorical"]),
    ('for name in ["Vidya", "No.12"]:\n    data.loc[data["City"] == name, "City"] = "Others"\n',
     ["encode_categorical"]),
    # a list of values put under one: lumping
    ("df.loc[df['Title'].isin(['Capt', 'Don']), 'Title'] = 'Noble'", ["encode_categorical"]),
    # a number recoded: encode; a code given a label: encode
    ("df.loc[df['Sex'] == 'male', 'Sex'] = 0", ["encode_categorical"]),
    ("df.loc[df['grade'] == 1, 'grade'] = 'A'", ["encode_categorical"]),
    # another column written where one column holds a value: unchanged (pass 8)
    ("df.loc[df['region'] == 'PR', 'state'] = 'Puerto Rico'", ["derive_feature"]),
    # a text placeholder cleared stays text_clean (CONVENTIONS 29); a range binned stays derive_feature
    ('data.loc[data["City"] == "?", "City"] = np.nan', ["text_clean"]),
    ("df.loc[df['age'] > 60, 'age'] = 'senior'", ["derive_feature"]),
])
def test_category_values_lumped_or_coded_stay_encode(cell: str, ops: list[str]) -> None:
    assert ops_after(TEXT_FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    ('rare = ["Capt", "Don", "Jonkheer"]\ndf.loc[df["Title"].isin(rare), "Title"] = "Rare"', ["encode_categorical"]),
    ('junk = ["B.Ed", "3M"]\ndata.loc[data["Profession"].isin(junk), "Profession"] = "Others"', ["encode_categorical"]),
    ('def name_to_others(lst):\n    for name in lst:\n        data.loc[data["City"] == name, "City"] = "Others"\n\n\n'
     'name_to_others(["Vidhi", "Ayush"])\n', ["encode_categorical"]),
])
def test_values_named_in_a_list_lumped_are_encode(cell: str, ops: list[str]) -> None:
    assert ops_after(TEXT_FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # a list of numbers named: not category values, the reading of main stays
    ("ids = [3, 7]\ndf.loc[df['grade'].isin(ids), 'grade'] = 0", ["derive_feature"]),
])
def test_named_number_lists_are_not_category_values(cell: str, ops: list[str]) -> None:
    assert ops_after(TEXT_FRAME, cell) == ops
