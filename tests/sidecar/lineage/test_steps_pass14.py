"""The fourteenth pass (issue 10): the ops whose recall or precision is lowest on the held-out notebooks (type_cast,
encode_categorical, concat, select_columns, filter_rows), written first from the definition (what-is-a-step.md,
tests/corpus/blind/CONVENTIONS.md) and from the documented spellings in the pandas / scikit-learn / polars / NumPy user
guides; none is copied from the corpus. Each row is a cell and the ops the definition gives it, after set-up lines that
load what it reads (the set-up's own steps are not counted).

Rows whose op the definition leaves open are left out (`dt.to_period`, `astype('datetime64[ns]')`, a lambda that only
casts, `pop`).
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('people.csv')\n"
PD2 = PD + "o = pd.read_csv('other.csv')\n"
PL = "import polars as pl\nimport numpy as np\ndf = pl.read_csv('people.csv')\n"
PL2 = PL + "o = pl.read_csv('other.csv')\n"
NP = "import numpy as np\nX = np.loadtxt('x.txt')\nY = np.loadtxt('y.txt')\ny = np.loadtxt('t.txt')\n"
SK = PD + "from sklearn.model_selection import train_test_split\nX = df[['k', 'j', 'a']]\ny = df['y']\n" \
    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"

SKP = SK + "from sklearn.linear_model import LinearRegression\nfrom sklearn.model_selection import cross_val_score, " \
    "cross_validate\nfrom sklearn import metrics\nfrom sklearn.metrics import *\n" \
    "m = LinearRegression().fit(X_train, y_train)\npred = m.predict(X_test)\n"
SMF = PD + "import statsmodels.formula.api as smf\n"
E = ""


# CONVENTIONS 21: astype, pd.to_numeric and polars cast are type_cast, however the call is spelled (a dict of dtypes,
# a column list, attribute access, inside apply, a builtin converter passed by reference, NumPy's astype).
TYPE_CASTS = [
    (PD, "df = df.astype({'a': 'int32', 'b': 'float64'})", ["type_cast"]),
    (PD, "df = df.astype(float)", ["type_cast"]),
    (PD, "df[['a', 'b']] = df[['a', 'b']].astype(float)", ["type_cast"]),
    (PD, "df['a'] = df['a'].astype(str)", ["type_cast"]),
    (PD, "df['flag'] = df['flag'].astype(bool)", ["type_cast"]),
    (PD, "df.a = df.a.astype(int)", ["type_cast"]),
    (PD, "df['a'] = df.a.astype(int)", ["type_cast"]),
    (PD, "df.loc[:, 'a'] = df['a'].astype(float)", ["type_cast"]),
    (PD, "a_int = df['a'].astype(int)", ["type_cast"]),
    (PD, "df['a'] = df['a'].astype('float32', copy=False)", ["type_cast"]),
    (PD, "for c in ['a', 'b']:\n    df[c] = df[c].astype(float)", ["type_cast"]),
    (PD, "cols = ['a', 'b']\ndf[cols] = df[cols].astype('int64')", ["type_cast"]),
    (PD, "df['a'] = pd.to_numeric(df['a'], downcast='integer')", ["type_cast"]),
    (PD, "df['a'] = pd.to_numeric(df['a'].str.replace(',', ''))", ["text_clean", "type_cast"]),
    (PD, "df = df.apply(pd.to_numeric, errors='coerce')", ["type_cast"]),
    (PD, "cols = ['a', 'b']\ndf[cols] = df[cols].apply(pd.to_numeric, errors='coerce')", ["type_cast"]),
    (PD, "df['a'] = df['a'].apply(pd.to_numeric)", ["type_cast"]),
    (PD, "df['a'] = df['a'].apply(float)", ["type_cast"]),
    (PD, "df['a'] = df['a'].map(int)", ["type_cast"]),
    (PD, "df['a'] = df['a'].astype(str).str.zfill(5)", ["type_cast", "text_clean"]),
    (PD, "df['d'] = df['d'].dt.strftime('%Y-%m-%d')", ["type_cast"]),
    (PD, "df = df.convert_dtypes(dtype_backend='pyarrow')", ["type_cast"]),
    (PD, "df['d'] = df['d'].apply(pd.to_datetime)", ["datetime_parse"]),
    (PD, "df['t'] = pd.to_timedelta(df['t'], unit='s')", ["datetime_parse"]),
    # cast, then put on another scale in the same statement (the Keras guides' `x_train.astype("float32") / 255`)
    (NP, "X = X.astype('float32') / 255", ["type_cast", "scale_normalize"]),
    (NP, "X = X.astype(np.float32) / 255.0", ["type_cast", "scale_normalize"]),
    (NP, "y = y.astype(int)", ["type_cast"]),
    (NP, "X = X.astype('float32')", ["type_cast"]),
    (NP, "Xf = X.astype(np.float64)", ["type_cast"]),
    # an existing array given a dtype (NumPy: "array(object, dtype)": a copy in that type); values written in the code
    # with a dtype stay the load that makes them
    (NP, "X = np.array(X, dtype=np.float32)", ["type_cast"]),
    (NP, "X = np.asarray(X, dtype=float)", ["type_cast"]),
    (NP, "Xa = np.array(X)", ["other"]),
    (E, "import numpy as np\nv = np.array([1, 2, 3], dtype=np.float64)", ["load"]),
    (PL, "df = df.cast({'a': pl.Int32})", ["type_cast"]),
    (PL, "df = df.with_columns(pl.col('a').cast(pl.Float64).alias('a_f'))", ["type_cast"]),
    (PL, "df = df.with_columns(pl.col('a', 'b').cast(pl.Int64))", ["type_cast"]),
    (PL, "df = df.with_columns(pl.col('a').cast(pl.Utf8))", ["type_cast"]),
    (PL, "df = df.with_columns(pl.col('a').str.to_decimal())", ["type_cast"]),
    (PL, "df = df.with_columns(pl.col('d').str.to_datetime('%Y-%m-%d %H:%M'))", ["datetime_parse"]),
    # a categorical type is a type too (CONVENTIONS 21 names astype and polars cast without exception, and
    # pd.Categorical(s) already casts); declared categories in an order, or the codes taken out, encode (20)
    (PD, "df['k'] = df['k'].astype('category')", ["type_cast"]),
    (PD, "df = df.astype({'k': 'category'})", ["type_cast"]),
    (PD, "df = df.assign(k=df.k.astype('category'))", ["type_cast"]),
    (PD, "df['k'] = df['k'].cat.remove_unused_categories()", ["type_cast"]),
    (PD, "df['k'] = df['k'].astype(pd.CategoricalDtype(['lo', 'hi'], ordered=True))", ["encode_categorical"]),
    (PL, "df = df.with_columns(pl.col('k').cast(pl.Categorical))", ["type_cast"]),
    (PL, "df = df.with_columns(pl.col('k').cast(pl.Enum(['lo', 'hi'])))", ["encode_categorical"]),
    (PL, "df = df.cast({'k': pl.Categorical})", ["type_cast"]),
    (PL, "df = df.cast({'k': pl.Enum(['lo', 'hi'])})", ["encode_categorical"]),
    (PD, "df = df.astype({'k': pd.CategoricalDtype(['lo', 'hi'], ordered=True)})", ["encode_categorical"]),
    # the values a table is built from, cast: the table's data in that type (a cast that only feeds a consumer's own
    # operation, `fit_transform(s.astype(str))`, stays part of it)
    (PD, "t = pd.DataFrame({'a': df['a'].astype(int), 'b': df['b']})", ["type_cast", "concat"]),
    (PD, "g = df.groupby('k')\nt = pd.DataFrame({'n': g['a'].sum().astype(int), 'm': g['b'].mean()})",
     ["aggregate", "type_cast"]),
    (PD, "from sklearn.preprocessing import LabelEncoder\ndf['k'] = LabelEncoder().fit_transform(df['k'].astype(str))",
     ["encode_categorical"]),
    # shown, a cast is inspection (CONVENTIONS 6)
    (PD, "df['a'].astype(int)", []),
    (PD, "df.dtypes", []),
]

# CONVENTIONS 20: get_dummies, one-hot / ordinal / label encoders (alone or in a ColumnTransformer that only encodes),
# a dict map / replace that recodes category values, factorize, cat.codes, an indicator of a category value.
ENCODINGS = [
    (PD, "d = pd.get_dummies(df['k'])", ["encode_categorical"]),
    (PD, "d = pd.get_dummies(df.k, dtype=int)", ["encode_categorical"]),
    (PD, "df = pd.get_dummies(df, columns=['k', 'j'])", ["encode_categorical"]),
    (PD, "df = pd.get_dummies(df, drop_first=True)", ["encode_categorical"]),
    (PD, "df = pd.concat([df, pd.get_dummies(df['k'], prefix='k')], axis=1)", ["encode_categorical", "concat"]),
    (PD, "df = df.join(pd.get_dummies(df['k']))", ["encode_categorical", "join"]),
    (PD, "df['k'] = pd.factorize(df['k'])[0]", ["encode_categorical"]),
    (PD, "df['k_code'] = df['k'].astype('category').cat.codes", ["encode_categorical"]),
    (PD, "codes = df['k'].astype('category').cat.codes", ["encode_categorical"]),
    (PD, "df['k'] = df['k'].map({'a': 0, 'b': 1, 'c': 2})", ["encode_categorical"]),
    (PD, "mapping = {'a': 0, 'b': 1}\ndf['k'] = df['k'].map(mapping)", ["encode_categorical"]),
    (PD, "df['k'] = df.k.map({'yes': True, 'no': False})", ["encode_categorical"]),
    (PD, "df['k'] = df['k'].replace(['a', 'b'], [0, 1])", ["encode_categorical"]),
    (PD, "df['k'].replace({'a': 0, 'b': 1}, inplace=True)", ["encode_categorical"]),
    (PD, "df = df.replace({'k': {'a': 0, 'b': 1}})", ["encode_categorical"]),
    (PD, "df['k'] = np.where(df['k'] == 'yes', 1, 0)", ["encode_categorical"]),
    (PD, "df['k'] = (df['k'] == 'yes').astype(int)", ["encode_categorical"]),
    (PD, "from sklearn.preprocessing import LabelEncoder\nle = LabelEncoder()\ndf['k'] = le.fit_transform(df['k'])",
     ["encode_categorical"]),
    (PD, "from sklearn.preprocessing import LabelEncoder\nfor c in ['k', 'j']:\n    df[c] = LabelEncoder().fit_transform(df[c])",
     ["encode_categorical"]),
    (PD, "from sklearn.preprocessing import OrdinalEncoder\nenc = OrdinalEncoder()\n"
         "df[['k', 'j']] = enc.fit_transform(df[['k', 'j']])", ["encode_categorical"]),
    (SK, "from sklearn.preprocessing import OneHotEncoder\nohe = OneHotEncoder(sparse_output=False, handle_unknown='ignore')\n"
         "X_train_enc = ohe.fit_transform(X_train)", ["encode_categorical"]),
    (SK + "from sklearn.preprocessing import OneHotEncoder\nohe = OneHotEncoder()\nohe.fit(X_train)\n",
     "X_test_enc = ohe.transform(X_test)", ["encode_categorical"]),
    (SK, "from sklearn.compose import ColumnTransformer\nfrom sklearn.preprocessing import OneHotEncoder\n"
         "ct = ColumnTransformer([('ohe', OneHotEncoder(), ['k', 'j'])], remainder='passthrough')\n"
         "X_train_enc = ct.fit_transform(X_train)", ["encode_categorical"]),
    (SK, "from sklearn.compose import make_column_transformer\nfrom sklearn.preprocessing import OrdinalEncoder\n"
         "ct = make_column_transformer((OrdinalEncoder(), ['k', 'j']), remainder='passthrough')\n"
         "X_train_enc = ct.fit_transform(X_train)", ["encode_categorical"]),
    (SK, "from sklearn.preprocessing import LabelEncoder\ny_train = LabelEncoder().fit_transform(y_train)", ["encode_categorical"]),
    (SK, "from sklearn.preprocessing import LabelBinarizer\nY_train = LabelBinarizer().fit_transform(y_train)", ["encode_categorical"]),
    (PL, "df = df.to_dummies(['k'])", ["encode_categorical"]),
    (PL, "df = df.with_columns(pl.col('k').replace_strict({'a': 0, 'b': 1}))", ["encode_categorical"]),
    (PL, "df = df.with_columns((pl.col('k') == 'yes').cast(pl.Int8).alias('k_yes'))", ["encode_categorical"]),
    # shown or counted, an encoding is inspection
    (PD, "df['k'].astype('category').cat.categories", []),
    (PD, "pd.get_dummies(df['k']).sum()", []),
]

# CONVENTIONS 13 / the op list: pd.concat on either axis, np.concatenate / vstack / hstack / r_ / c_ / append of
# existing arrays, pl.concat on any `how`, DataFrame._append, extend; a frame built from two existing Series.
CONCATS = [
    (PD2, "m = pd.concat([df, o])", ["concat"]),
    (PD2, "m = pd.concat([df, o], axis=0, ignore_index=True)", ["concat"]),
    (PD2, "m = pd.concat([df, o], axis='columns')", ["concat"]),
    (PD2, "m = pd.concat({'a': df, 'b': o}, names=['src'])", ["concat"]),
    (PD2, "m = pd.concat([df, o], keys=['x', 'y'])", ["concat"]),
    (PD2, "df = pd.concat([df, o])", ["concat"]),
    (PD2, "frames = [df, o]\nm = pd.concat(frames)", ["concat"]),
    (PD2, "pd.concat([df, o])", ["concat"]),
    # ONE existing array wrapped in a table, also under a column name, is a conversion (CONVENTIONS 12: other), two
    # put side by side a concat (13)
    (NP, "import pandas as pd\nt = pd.DataFrame({'value': y})", ["other"]),
    (NP, "import pandas as pd\nt = pd.DataFrame(y, columns=['value'])", ["other"]),
    (NP, "import pandas as pd\nt = pd.DataFrame({'x': X[:, 0], 'y': y})", ["concat"]),
    (PD2, "m = df._append(o, ignore_index=True)", ["concat"]),
    (PD2, "s = pd.concat([df['a'], o['a']], axis=1)", ["concat"]),
    ("import pandas as pd\n", "frames = [pd.read_csv(f) for f in ['a.csv', 'b.csv']]\ndf = pd.concat(frames)",
     ["load", "concat"]),
    ("import pandas as pd\n", "dfs = []\nfor f in ['a.csv', 'b.csv']:\n    dfs.append(pd.read_csv(f))\ndf = pd.concat(dfs)",
     ["load", "concat"]),
    # the frames to put together, each read into a list or a dict: every read is a load (what-is-a-step.md: reading a
    # file is a load, "a statement inside a loop ... counts once, where it is written")
    ("import pandas as pd\n", "dfs = []\nfor f in ['a.csv', 'b.csv']:\n    dfs.append(pd.read_csv(f))", ["load"]),
    ("import pandas as pd\n", "frames = {}\nfor f in ['a.csv', 'b.csv']:\n    frames[f] = pd.read_csv(f)", ["load"]),
    ("import pandas as pd\n", "frames = {}\nfor f in ['a.csv', 'b.csv']:\n    frames[f] = pd.read_csv(f)\n"
     "df = pd.concat(frames.values())", ["load", "concat"]),
    (NP, "Z = np.concatenate((X, Y), axis=0)", ["concat"]),
    (NP, "Z = np.concatenate([X, Y], axis=1)", ["concat"]),
    (NP, "Z = np.vstack((X, Y))", ["concat"]),
    (NP, "Z = np.hstack([X, Y])", ["concat"]),
    (NP, "Z = np.r_[X, Y]", ["concat"]),
    (NP, "Z = np.c_[X, Y]", ["concat"]),
    (NP, "Z = np.column_stack((X, Y))", ["concat"]),
    (NP, "Z = np.row_stack((X, Y))", ["concat"]),
    (NP, "Z = np.append(X, Y, axis=0)", ["concat"]),
    (PL2, "m = pl.concat([df, o])", ["concat"]),
    (PL2, "m = pl.concat([df, o], how='diagonal')", ["concat"]),
    (PL2, "m = pl.concat([df, o], how='align')", ["concat"]),
    (PL2, "m = df.extend(o)", ["concat"]),
    # packaging an argument, or feeding an aggregation in the same expression, is no concat (CONVENTIONS 13)
    (PD2, "n = len(pd.concat([df, o]))", []),
]

# CONVENTIONS 18: a selection assigned to a name is select_columns; shown, printed or only an operand it is not (6).
SELECTIONS = [
    # a polars select made only of reductions gives numbers about the data (CONVENTIONS 9), also assigned; a column
    # among them, a value per row (.over) or arithmetic is still a selection or a feature
    (PL, "m = df.select(pl.col('a').mean())", []),
    (PL, "df.select(pl.col('a').mean(), pl.col('b').max())", []),
    (PL, 'n = df.select(pl.len()).item()', []),
    (PL, "s = df.select(pl.col('a').n_unique().alias('n'))", []),
    (PL, "df.select(pl.corr('a', 'b'))", []),
    (PL, "sub = df.select(pl.col('a'), pl.col('b').mean().over('k'))", ['select_columns', 'derive_feature']),
    (PL, "sub = df.select(pl.col('a') * 2)", ['derive_feature']),
    (PL, "g = df.group_by('k').agg(pl.col('a').mean())", ['aggregate']),
    (PL, "df = df.with_columns(pl.col('a').mean().alias('m'))", ['derive_feature']),
    (PD, "sub = df.filter(items=['a', 'b'])", ["select_columns"]),
    (PD, "sub = df.filter(regex='^a_')", ["select_columns"]),
    (PD, "num = df.select_dtypes(include=['int64', 'float64'])", ["select_columns"]),
    (PD, "cat = df.select_dtypes(exclude='number')", ["select_columns"]),
    (PD, "y = df.y", ["select_columns"]),
    (PD, "X = df.loc[:, 'a':'c']", ["select_columns"]),
    (PD, "X = df[df.columns[:-1]]", ["select_columns"]),
    (PD, "features = ['a', 'b']\nX = df[features]", ["select_columns"]),
    (PD, "df = df[['a', 'b', 'y']]", ["select_columns"]),
    (PD, "X = df.iloc[:, :-1]", ["select_columns"]),
    (PL, "sub = df.select('a', 'b')", ["select_columns"]),
    (PL, "sub = df.select(pl.col('^a_.*$'))", ["select_columns"]),
    (PL, "sub = df.lazy().select(['a', 'b']).collect()", ["select_columns"]),
    (PL, "y = df.get_column('y')", ["select_columns"]),
    (PL, "y = df['y']", ["select_columns"]),
    # columns picked by labels made from data values (a list of names kept in a table): select_columns (18)
    (PD2, "names = o['name'].unique().tolist()[1:]\nX = df[names]", ["select_columns"]),
    (PD, "names = list(df['k'].unique())\nW = df[names]", ["select_columns"]),
    (PD, "names = df['k'].unique()\nsub = df[df['k'].isin(names)]", ["filter_rows"]),
    # not steps: column-name lists, shown / printed selections, a selection only passed to a call
    (PD, "features = ['a', 'b']", []),
    (PD, "cols = df.select_dtypes('number').columns.tolist()", []),
    (PD, "num_cols = df.select_dtypes(include='number').columns", []),
    (PD, "df[['a', 'b']]", []),
    (PD, "df[['a', 'b']].head()", []),
    (PD, "print(df[['a', 'b']])", []),
    (PD, "df.filter(like='a_').head()", []),
    (PD, "df.select_dtypes('number').describe()", []),
    (PD, "df.a", []),
    (PD, "df[['a', 'b']].corr()", []),
    (PL, "df.select('a', 'b')", []),
    (PL, "df.select(pl.col('a')).head()", []),
]

# The definition's inspection: a masked frame only counted, shown or reduced to a number is no filter; assigned (or
# rows dropped by their index) it is filter_rows.
FILTERS = [
    # a hand-written split returning the rows before and after one position: a split per part (CONVENTIONS 16)
    (PD, 'def split_data(d, frac=0.8):\n    n = int(len(d) * frac)\n    return d[:n], d[n:]\ntrain, test = split_data(df)', ['split', 'split']),
    (NP, 'def cut(X, y, n):\n    return X[:n], X[n:], y[:n], y[n:]\nXa, Xb, ya, yb = cut(X, y, 100)', ['split', 'split', 'split', 'split']),
    (PD, 'def split_data(d, n):\n    return d.iloc[:n], d.iloc[n:]\na, b = split_data(df, 10)', ['split', 'split']),
    (PD, 'def ends(d):\n    return d[:5], d[-5:]\na, b = ends(df)', ['filter_rows', 'filter_rows']),
    # rows parted by a mask and its complement stay two filters, whatever the names (CONVENTIONS 16 lists positional
    # slices, not masks; the project corpus' timeseries_sales labels them so)
    (PD, "train = df[df['d'] < '2020-01-01']\ntest = df[df['d'] >= '2020-01-01']", ['filter_rows', 'filter_rows']),
    (PD, "m = df['k'] == 'x'\ntrain_df = df[m]\ntest_df = df[~m]", ['filter_rows', 'filter_rows']),
    (PD, 'X_train_pos = X_train[y_train == 1]', ['filter_rows']),
    # columns (or rows) kept by their share or count of missing values: dropna(axis=1 / thresh=...) spelled as a mask
    (PD, 'df = df.loc[:, df.isnull().mean() < 0.5]', ['drop_missing']),
    (PD, 'df = df.loc[:, df.isna().sum() < 100]', ['drop_missing']),
    (PD, 'df = df.loc[:, df.notna().mean() > 0.8]', ['drop_missing']),
    (PD, 'df = df.loc[df.isnull().sum(axis=1) < 3]', ['drop_missing']),
    (PD, 'df.loc[:, df.isnull().mean() < 0.5].head()', []),
    (PD, "big = df[df['a'] > 3]", ["filter_rows"]),
    (PD, "df = df.loc[df.a > 3]", ["filter_rows"]),
    (PD, "df = df[(df.a > 3) & (df.k == 'x')]", ["filter_rows"]),
    (PD, "df = df[~df.k.isin(['x'])]", ["filter_rows"]),
    (PD, "df = df.loc[lambda d: d.a > 3]", ["filter_rows"]),
    (PD, "df = df[df['s'].str.contains('x')]", ["filter_rows"]),
    (PD, "df.drop(df[df.a < 0].index, inplace=True)", ["filter_rows"]),
    (PD, "df = df.query('k == \"x\"')", ["filter_rows"]),
    (PL, "big = df.filter(pl.col('a') > 3)", ["filter_rows"]),
    (PL, "big = df.lazy().filter(pl.col('a') > 3).collect()", ["filter_rows"]),
    (NP, "pos = X[y == 1]", ["filter_rows"]),
    # counted, shown, printed or reduced to one number: inspection
    (PD, "df[df['a'] > 3]", []),
    (PD, "df[df['a'] > 3].shape[0]", []),
    (PD, "len(df[df['a'] > 3])", []),
    (PD, "df[df['a'] > 3].count()", []),
    (PD, "(df['a'] > 3).sum()", []),
    (PD, "df.query('a > 3').head()", []),
    (PD, "print(df[df.a > 3])", []),
    (PD, "df.loc[df.a > 3, 'b'].mean()", []),
    (PD, "df[df.k == 'x']['b'].value_counts()", []),
    (PD, "df[df.a > 3].describe()", []),
    (PD, "n = len(df[df['a'] > 3])", []),
    (PD, "mean_b = df[df.k == 'x']['b'].mean()", []),
    (PD, "n = df[df['a'] > 3].shape[0]", []),
    (PD, "print(len(df[df['a'] > 3]))", []),
    (PD, "df[df['a'].isnull()]", []),
    (PD, "df[df.duplicated()]", []),
    (PD, "share = (df['a'] > 3).mean()", []),
    (PD, "for k, g in df.groupby('k'):\n    print(k, len(g))", []),
    (PL, "df.filter(pl.col('a') > 3)", []),
    (PL, "df.filter(pl.col('a') > 3).height", []),
    (PL, "n = df.filter(pl.col('a') > 3).height", []),
    (PL, "df.filter(pl.col('a') > 3).shape", []),
    (NP, "X[X > 0].sum()", []),
    (NP, "n = np.sum(X[:, 0] > 0)", []),
]

# The most frequent confusions over the whole corpus (derive_feature / evaluate / load against no step), from the
# definition's own words: "arithmetic that creates a column, apply/map with a function: derive_feature" (CONVENTIONS
# 19, 22), "a metric computed by hand ...: evaluate" (7, 27), "every root of the data lineage is a load" (28, 4c).
DERIVED_FEATURES = [
    (PD, "df['ratio'] = df['a'] / df['b']", ['derive_feature']),
    (PD, "df['total'] = df[['a', 'b']].sum(axis=1)", ['derive_feature']),
    (PD, "df['m'] = df[['a', 'b']].mean(axis=1)", ['derive_feature']),
    (PD, "df['a2'] = df['a'] ** 2", ['derive_feature']),
    (PD, "df['year'] = df['d'].dt.year", ['derive_feature']),
    (PD, "df['month'] = pd.DatetimeIndex(df['d']).month", ['derive_feature']),
    (PD, "df['dow'] = df['d'].dt.dayofweek", ['derive_feature']),
    (PD, "df['age_bin'] = pd.cut(df['age'], bins=[0, 18, 65, 100], labels=['child', 'adult', 'senior'])", ['derive_feature']),
    (PD, "df['q'] = pd.qcut(df['a'], 4, labels=False)", ['derive_feature']),
    (PD, "df['lag1'] = df['a'].shift(1)", ['derive_feature']),
    (PD, "df['ma7'] = df['a'].rolling(7).mean()", ['derive_feature']),
    (PD, "df['g_mean'] = df.groupby('k')['a'].transform('mean')", ['derive_feature']),
    (PD, "df['flag'] = np.where(df['a'] > 10, 1, 0)", ['derive_feature']),
    (PD, "df['c'] = np.select([df.a < 0, df.a > 0], ['neg', 'pos'], default='zero')", ['derive_feature']),
    (PD, "df['len'] = df['s'].str.len()", ['derive_feature']),
    (PD, 'df = df.assign(ratio=df.a / df.b)', ['derive_feature']),
    (PD, 'df = df.assign(ratio=lambda d: d.a / d.b)', ['derive_feature']),
    (PD, "df['cum'] = df.groupby('k')['a'].cumsum()", ['derive_feature']),
    (PD, "df['pct'] = df['a'].pct_change()", ['derive_feature']),
    (PD, "df['h'] = df['s'].apply(len)", ['derive_feature']),
    (PD, "df['is_weekend'] = df['d'].dt.dayofweek >= 5", ['derive_feature']),
    (PD, "df.insert(0, 'c', df['a'] * 2)", ['derive_feature']),
    (PD, "df['c'] = df[['a', 'b']].max(axis=1)", ['derive_feature']),
    (PD, "df['e'] = df['a'].ewm(span=10).mean()", ['derive_feature']),
    (PD, "df['d2'] = df['d'] + pd.Timedelta(days=1)", ['derive_feature']),
    (PD, "df['age'] = 2024 - df['born']", ['derive_feature']),
    (PD, "df['c'] = df['a'].mul(2).add(df['b'])", ['derive_feature']),
    (PD, "df['bmi'] = df.weight / (df.height / 100) ** 2", ['derive_feature']),
    (PD, "df['c'] = df['a'].apply(lambda x: x * 2 if x > 0 else 0)", ['derive_feature']),
    (PD, "df['k'] = df['a'].map(lambda x: 'high' if x > 10 else 'low')", ['derive_feature']),
    (PD, "df['wk'] = df['d'].dt.isocalendar().week", ['derive_feature']),
    (PD, "df['c'] = df['a'].clip(lower=0).cumsum()", ['outlier_remove', 'derive_feature']),
    (PD, "df.loc[df['a'] > 10, 'big'] = 1", ['derive_feature']),
    (PD, "df['size'] = df.groupby('k')['a'].transform('count')", ['derive_feature']),
    (PD, "df['share'] = df['a'] / df['a'].sum()", ['scale_normalize']),
    (PD, "df['d_days'] = (df['end'] - df['start']).dt.days", ['derive_feature']),
    (PD, "df[['x', 'y']] = df['s'].str.split(',', expand=True)", ['text_clean']),
    (PD, "df['y'] = df['a'] + df['b'] + df['c']", ['derive_feature']),
    (PD, "df['a_sq'], df['a_cube'] = df['a'] ** 2, df['a'] ** 3", ['derive_feature', 'derive_feature']),
    (PL, "df = df.with_columns((pl.col('a') / pl.col('b')).alias('r'))", ['derive_feature']),
    (PL, "df = df.with_columns(pl.col('d').dt.year().alias('y'))", ['derive_feature']),
    (PL, "df = df.with_columns(pl.col('a').shift(1).over('k').alias('lag'))", ['derive_feature']),
    (PL, "df = df.with_columns(pl.when(pl.col('a') > 0).then(1).otherwise(0).alias('pos'))", ['derive_feature']),
    (PL, "df = df.with_columns(pl.col('s').str.len_chars().alias('n'))", ['derive_feature']),
    (PL, "df = df.with_columns(pl.col('a').mean().over('k').alias('m'))", ['derive_feature']),
    (PL, "df = df.with_columns(pl.col('a').cum_sum().alias('cs'))", ['derive_feature']),
    (PL, "df = df.with_columns(pl.col('a').pct_change().alias('p'))", ['derive_feature']),
    (PL, "df = df.with_columns(new=pl.col('a') * 2)", ['derive_feature']),
    (PL, "df = df.with_columns(pl.lit(1).alias('one'))", ['derive_feature']),
    (NP, 'r = X[:, 0] / X[:, 1]', ['derive_feature']),
    (SK, 'from sklearn.preprocessing import PolynomialFeatures\nX_poly = PolynomialFeatures(degree=2).fit_transform(X_train)', ['derive_feature']),
    (SK, 'from sklearn.preprocessing import KBinsDiscretizer\nXb = KBinsDiscretizer(n_bins=5).fit_transform(X_train)', ['derive_feature']),
]

EVALUATIONS = [
    # a PCA's explained variance ratio describes the components it fitted, as coef_ / scalings_ do: no step (27)
    (SK, "from sklearn.decomposition import PCA\npca = PCA().fit(X)\nnp.cumsum(pca.explained_variance_ratio_)", []),
    (SK, "from sklearn.cluster import KMeans\nkm = KMeans(n_clusters=3).fit(X)\nsse = km.inertia_", ["fit_model", "evaluate"]),
    # a helper's parameter named for predictions holds them: an error or accuracy computed from it in the body is a
    # metric computed by hand, once where it is written (CONVENTIONS 1, 27); a function named for a metric (rmse,
    # mae) is a black box whose call evaluates instead (4a)
    (E, 'import numpy as np\ndef gap(y_true, y_pred):\n    return np.mean(abs(y_true - y_pred))', ['evaluate']),
    (E, 'import numpy as np\ndef report(actual, predicted):\n    print(np.mean(np.abs((actual - predicted) / actual)) * 100)', ['evaluate']),
    (E, 'import numpy as np\ndef hits(y, y_hat):\n    return (y == y_hat).mean()', ['evaluate']),
    (E, 'import numpy as np\ndef shift(x, m):\n    return x - m', []),
    # the null accuracy: always predicting one class of the test target is a baseline metric computed by hand
    # (what-is-a-step.md: evaluate); the classes' balance alone, or of other data, is looked at (Inspection)
    (SKP, 'max(y_test.mean(), 1 - y_test.mean())', ['evaluate']),
    (SKP, 'y_test.value_counts().head(1) / len(y_test)', ['evaluate']),
    (SKP, 'y_test.value_counts().head(1) / y_test.shape', ['evaluate']),
    (SKP, 'null_acc = y_test.value_counts(normalize=True).max()', ['evaluate']),
    (SKP, 'y_test.value_counts(normalize=True).iloc[0]', ['evaluate']),
    (SKP, "np.mean(y_test != 'No')", ['evaluate']),
    (SKP, '(y_test == 0).mean()', ['evaluate']),
    (SKP, 'y_test.mean()', []),
    (SKP, '1 - y_test.mean()', []),
    (SKP, 'y_test.value_counts()', []),
    (SKP, 'y_train.value_counts().head(1) / len(y_train)', []),
    (SKP, "df['y'].value_counts(normalize=True).max()", []),
    (SKP, "(df['y'] == 0).mean()", []),
    (SKP, "max(df['a'].mean(), 1 - df['a'].mean())", []),
    (SK, 'from sklearn.linear_model import LinearRegression\nm = LinearRegression().fit(X_train, y_train)\npred = m.predict(X_test)\nfrom sklearn.metrics import mean_squared_error\nrmse = np.sqrt(mean_squared_error(y_test, pred))', ['fit_model', 'predict', 'evaluate']),
    (SKP, 'acc = accuracy_score(y_test, pred)', ['evaluate']),
    (SKP, 'print(classification_report(y_test, pred))', ['evaluate']),
    (SKP, 'confusion_matrix(y_test, pred)', ['evaluate']),
    (SKP, 'rmse = mean_squared_error(y_test, pred, squared=False)', ['evaluate']),
    (SKP, 'm.score(X_test, y_test)', ['evaluate']),
    (SKP, 'print(m.score(X_test, y_test))', ['evaluate']),
    (SKP, 'scores = cross_val_score(m, X, y, cv=5)', ['evaluate']),
    (SKP, 'rmse = np.sqrt(np.mean((y_test - pred) ** 2))', ['evaluate']),
    (SKP, 'mae = np.mean(np.abs(y_test - pred))', ['evaluate']),
    (SKP, 'acc = (pred == y_test).mean()', ['evaluate']),
    (SKP, 'np.mean(pred == y_test)', ['evaluate']),
    (SKP, 'acc = sum(pred == y_test) / len(y_test)', ['evaluate']),
    (SKP, 'resid = y_test - pred', ['evaluate']),
    (SKP, 'errors = abs(pred - y_test)', ['evaluate']),
    (SKP, 'mape = np.mean(np.abs((y_test - pred) / y_test)) * 100', ['evaluate']),
    (SKP, "print('RMSE:', np.sqrt(metrics.mean_squared_error(y_test, pred)))", ['evaluate']),
    (SKP, "print(f'R2: {r2_score(y_test, pred):.3f}')", ['evaluate']),
    (SKP, "f1 = f1_score(y_test, pred, average='macro')", ['evaluate']),
    (SKP, 'auc = roc_auc_score(y_test, m.predict_proba(X_test)[:, 1])', ['predict', 'evaluate']),
    (SKP, "cv = cross_validate(m, X, y, scoring=['r2', 'neg_mean_absolute_error'])", ['evaluate']),
    (SKP, 'results = pd.DataFrame(cross_validate(m, X, y, cv=5))', ['evaluate']),
    (SKP, 'train_acc = m.score(X_train, y_train)\ntest_acc = m.score(X_test, y_test)', ['evaluate', 'evaluate']),
    (SKP, "for name, mod in [('lr', m)]:\n    print(name, mod.score(X_test, y_test))", ['evaluate']),
    (SKP, 'err = mean_absolute_error(y_test, pred)\nprint(err)', ['evaluate']),
    (SKP, 'mse = ((y_test - pred) ** 2).mean()', ['evaluate']),
    (SKP, 'accuracy = np.sum(pred == y_test) / len(y_test) * 100', ['evaluate']),
    (SKP, 'correct = (pred == y_test).sum()', ['evaluate']),
    (PD, "from scipy import stats\nt, p = stats.ttest_ind(df['a'], df['b'])", ['evaluate']),
    (PD, "from scipy import stats\nr, p = stats.pearsonr(df['a'], df['b'])", ['evaluate']),
    (PD, 'from scipy.stats import chi2_contingency\nchi2, p, dof, exp = chi2_contingency(pd.crosstab(df.k, df.j))', ['reshape', 'evaluate']),
    (PD, "from scipy import stats\nstats.shapiro(df['a'])", ['evaluate']),
    (SMF, "res = smf.ols('y ~ a', data=df).fit()\nres.rsquared", ['fit_model', 'evaluate']),
    (SMF, "res = smf.ols('y ~ a', data=df).fit()\nprint(res.aic)", ['fit_model', 'evaluate']),
    (SMF, "res = smf.ols('y ~ a', data=df).fit()\nres.pvalues", ['fit_model', 'evaluate']),
    (SMF, "res = smf.ols('y ~ a', data=df).fit()\nres.params", ['fit_model']),
    (SMF, "res = smf.ols('y ~ a', data=df).fit()\nprint(res.summary())", ['fit_model']),
    (SMF, "res = smf.ols('y ~ a', data=df).fit()\nresid = res.resid", ['fit_model', 'evaluate']),
]

# Sources, in the spellings of the pandas IO guide (a workbook or HDF store opened, then read), the csv module, and
# loaders mapped over a list of files.
SOURCES = [
    (E, "import pandas as pd\ndf = pd.read_csv('https://example.org/data.csv', sep=';')", ['load']),
    (E, "import pandas as pd\nurl = 'https://example.org/data.csv'\ndf = pd.read_csv(url)", ['load']),
    (E, "import pandas as pd\ndf = pd.read_csv('data.csv', parse_dates=['d'], index_col='d')", ['load']),
    (E, "import pandas as pd\nxl = pd.ExcelFile('f.xlsx')\ndf = xl.parse('Sheet1')", ['load']),
    (E, "import pandas as pd\nwith pd.ExcelFile('f.xlsx') as xl:\n    df = pd.read_excel(xl, 'Sheet1')", ['load']),
    (E, "import pandas as pd\nsheets = pd.read_excel('f.xlsx', sheet_name=None)", ['load']),
    (E, "import pandas as pd\nfor chunk in pd.read_csv('big.csv', chunksize=1000):\n    print(chunk.shape)", ['load']),
    (E, "import pandas as pd\ndf = pd.read_pickle('df.pkl')", ['load']),
    (E, "import pandas as pd\nstore = pd.HDFStore('s.h5')\ndf = store.get('df')", ['load']),
    (E, "import pandas as pd\ndf = pd.DataFrame([[1, 2], [3, 4]], columns=['a', 'b'])", ['load']),
    (E, "import pandas as pd\ndf = pd.DataFrame({'a': range(10)})", ['load']),
    (E, "import pandas as pd\nidx = pd.date_range('2020-01-01', periods=10)\ns = pd.Series(range(10), index=idx)", ['load']),
    (E, 'import numpy as np\nx = np.arange(10)', ['load']),
    (E, 'import numpy as np\nx = np.random.normal(0, 1, size=(100, 2))\nx[:, 1] += 2', ['load', 'derive_feature']),
    (E, 'import numpy as np\nx = np.linspace(0, 1, 50)\ny = np.sin(2 * np.pi * x) + np.random.normal(scale=0.1, size=50)', ['load', 'load']),
    (E, 'from sklearn.datasets import make_blobs\nX, y = make_blobs(n_samples=300, centers=4, random_state=0)', ['load']),
    (E, 'from sklearn.datasets import load_breast_cancer\ndata = load_breast_cancer()\nX, y = data.data, data.target', ['load', 'select_columns', 'select_columns']),
    (E, "import polars as pl\ndf = pl.read_csv('f.csv', try_parse_dates=True)", ['load']),
    (E, "import polars as pl\ndf = pl.scan_csv('f.csv').filter(pl.col('a') > 0).collect()", ['load', 'filter_rows']),
    (E, "import polars as pl\ndf = pl.read_database('SELECT * FROM t', connection=con)", ['load']),
    (E, "import polars as pl\ndf = pl.from_records([(1, 2), (3, 4)], schema=['a', 'b'])", ['load']),
    (E, "import polars as pl\ns = pl.Series('a', [1, 2, 3])", ['load']),
    (E, 'import numpy as np\nX = np.array([[1, 2], [3, 4], [5, 6]])\ny = np.array([0, 1, 0])', ['load', 'load']),
    (E, "import csv\nwith open('f.csv') as f:\n    rows = list(csv.reader(f))", ['load']),
    (E, "import glob\nimport pandas as pd\ndf = pd.concat([pd.read_csv(f) for f in glob.glob('data/*.csv')], ignore_index=True)", ['load', 'concat']),
    (E, "import glob\nimport pandas as pd\ndf = pd.concat(map(pd.read_csv, glob.glob('data/*.csv')))", ['load', 'concat']),
    (E, "import numpy as np\ndata = np.loadtxt('f.txt', delimiter=',')\nX, y = data[:, :2], data[:, 2]", ['load', 'select_columns', 'select_columns']),
    (E, "import pandas as pd\ndf = pd.read_json('f.json', lines=True)", ['load']),
    (E, "import pandas as pd\nimport json\nwith open('f.json') as f:\n    df = pd.json_normalize(json.load(f))", ['load']),
    (E, "import statsmodels.api as sm\ndf = sm.datasets.get_rdataset('mtcars').data", ['load']),
    (E, "from scipy.io import loadmat\nd = loadmat('ex.mat')", ['load']),
    (E, "import scipy.io as sio\nd = sio.loadmat('ex.mat')\nX = d['X']", ['load', 'select_columns']),
]


def _cases(*tables: tuple) -> list:
    return [pytest.param(setup, cell, expected, id=f"{name}:{cell.splitlines()[-1][:60]}")
            for name, table in tables for setup, cell, expected in table]


@pytest.mark.parametrize("setup, cell, expected", _cases(
    ("type_casts", TYPE_CASTS),
    ("encodings", ENCODINGS),
    ("concats", CONCATS),
    ("selections", SELECTIONS),
    ("filters", FILTERS),
    ("derived_features", DERIVED_FEATURES),
    ("evaluations", EVALUATIONS),
    ("sources", SOURCES),
))
def test_the_definition_gives_the_weak_ops_these_ops(setup: str, cell: str, expected: list[str]) -> None:
    # multisets: the order of steps within a statement is not part of the definition
    assert sorted(ops_after(setup, cell)) == sorted(expected)
