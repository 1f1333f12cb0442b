"""Cells from real notebooks that tests in more than one folder run: each cell has one home here."""


def chili_cleaning_cell(frame: str) -> str:
    """gulutu-ml chili's cleaning cell as written (with `frame` for the notebook's `df`): a column of gaps dropped,
    the numeric gaps filled in a loop, `color` filled, both fills pandas 3's chained in-place kind."""
    return f"""{frame}.drop(columns=['temp'], inplace=True)
num_cols_with_na = {frame}.select_dtypes(include='number').columns[{frame}.select_dtypes(include='number').isnull().any()]
for col in num_cols_with_na:
    median_value = {frame}[col].median()
    {frame}[col].fillna(median_value, inplace=True)
if {frame}['color'].isnull().sum() > 0:
    mode_color = {frame}['color'].mode()[0]
    {frame}['color'].fillna(mode_color, inplace=True)
"""
