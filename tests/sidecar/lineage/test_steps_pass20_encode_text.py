"""The twentieth pass (acc35, issue 10): encode / type_cast / text_clean idioms found in fresh material (NLP and
feature-engineering course notebooks, the public code index) that the classifier missed or named wrong. Rows are cells
written the way the sources write them, after set-up lines whose own steps are not counted; every group has negative
controls.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('train.csv')\n"
SK = PD + "from sklearn.preprocessing import LabelEncoder, StandardScaler\nfrom sklearn import preprocessing\n"
NLTK = PD + ("import nltk\nimport string\nfrom nltk.tokenize import word_tokenize, sent_tokenize, TweetTokenizer\n"
             "from nltk.corpus import stopwords\nstop_words = set(stopwords.words('english'))\n")


# CONVENTIONS 20: "one-hot/ordinal/label encoders" are encode_categorical. Keras' `to_categorical(y, num_classes)`
# turns class labels into one-hot rows (dipanjanS/practical-machine-learning-with-python's deep-learning chapters,
# practical-nlp-code; `find_string` finds `keras.utils.to_categorical(`, `np_utils.to_categorical(`,
# `tf.keras.utils.to_categorical(` in many other public repositories); it read no step. Controls: shown in a print it
# stays no step; a keras function the table does not name stays none.
TO_CATEGORICAL = [
    (PD + "import keras\n", "y_train = keras.utils.to_categorical(df['label'], 10)", ["encode_categorical"]),
    (PD + "from keras.utils import np_utils\n", "y = np_utils.to_categorical(df.label)", ["encode_categorical"]),
    (PD + "import tensorflow as tf\n", "y = tf.keras.utils.to_categorical(df.label, num_classes=3)",
     ["encode_categorical"]),
    (PD + "from tensorflow.keras.utils import to_categorical\n(x_train, y_train), (x_test, y_test) = mnist.load_data()\n",
     "y_train = to_categorical(y_train)\ny_test = to_categorical(y_test, 10)",
     ["encode_categorical", "encode_categorical"]),
    # controls
    (PD + "from tensorflow.keras.utils import to_categorical\n", "print(to_categorical([0, 1, 2]))", []),
    (PD + "import keras\n", "keras.utils.set_random_seed(42)", []),
]

# CONVENTIONS 20 (label encoders are encode_categorical) and 3 (the apply call is the step and takes what its function
# does): an encoder's transform handed to apply column by column (`df.apply(LabelEncoder().fit_transform)`,
# `df[cols].apply(le.fit_transform)`; `find_string` finds each in 10+ public files), or a lambda that returns the
# codes (`apply(lambda x: x.cat.codes)` after `astype('category')`, dipanjanS's `train_cat_df.apply(lambda row:
# row.cat.codes)`, 10+ public files; `lambda col: le.fit_transform(col.astype(str))`), read derive_feature. Controls:
# a scaler's transform stays as it was, arithmetic on codes (pass 18's `x.map(codes) * 0.5`) and a length derive.
ENCODER_APPLIED = [
    (SK, "cat_cols = ['a', 'b']\ndf[cat_cols] = df[cat_cols].apply(LabelEncoder().fit_transform)",
     ["encode_categorical"]),
    (SK, "le = preprocessing.LabelEncoder()\ndf = df.apply(le.fit_transform)", ["encode_categorical"]),
    (SK, "le = LabelEncoder()\ndf_enc = df.apply(lambda col: le.fit_transform(col.astype(str)), axis=0)",
     ["encode_categorical"]),
    (PD, "cat_cols = ['a', 'b']\ndf[cat_cols] = df[cat_cols].apply(lambda x: x.astype('category').cat.codes)",
     ["encode_categorical"]),
    (PD, "cat_columns = df.select_dtypes(['category']).columns\n"
         "df[cat_columns] = df[cat_columns].apply(lambda x: x.cat.codes)", ["encode_categorical"]),
    (SK, "def enc(col):\n    return LabelEncoder().fit_transform(col)\ndf = df.apply(enc)", ["encode_categorical"]),
    # controls
    (SK, "sc = StandardScaler()\nnum = ['a', 'b']\ndf[num] = df[num].apply(sc.fit_transform)", ["derive_feature"]),
    (PD, "def halve(x):\n    return x.cat.codes * 0.5\ndf['g'] = df['g'].apply(halve)", ["derive_feature"]),
    (PD, "df['n'] = df['text'].apply(len)", ["derive_feature"]),
]

# what-is-a-step.md: "`str.split`, `str.strip`, `str.lower`, `replace` on text, regex extraction: `text_clean`". A
# tokenizer splits a text into its words or sentences as `str.split` does: `apply(sent_tokenize)`,
# `apply(tokenizer.tokenize)` of NLTK's TweetTokenizer / RegexpTokenizer (`find_string`: 10+ public files each), and
# stop words or punctuation removed by a comprehension (`apply(lambda x: [w for w in x if w not in stop_words])`,
# `"".join([c for c in text if c not in string.punctuation])`, 10+ public files each) read derive_feature. Controls:
# words kept by their length, and a token count, derive.
TOKENS_AND_STOP_WORDS = [
    (NLTK, "df['sents'] = df['text'].apply(sent_tokenize)", ["text_clean"]),
    (NLTK, "tt = TweetTokenizer()\ndf['tokens'] = df['text'].apply(tt.tokenize)", ["text_clean"]),
    (NLTK, "tokenizer = nltk.RegexpTokenizer(r'\\w+')\ndf['tokens'] = df['text'].apply(lambda x: tokenizer.tokenize(x))",
     ["text_clean"]),
    (NLTK, "df['tokens'] = df['tokens'].apply(lambda x: [word for word in x if word not in stop_words])",
     ["text_clean"]),
    (NLTK, "df['text'] = df['text'].apply(lambda x: ''.join([c for c in x if c not in string.punctuation]))",
     ["text_clean"]),
    (NLTK, "def remove_punct(text):\n    text = ''.join([c for c in text if c not in string.punctuation])\n"
           "    return text\ndf['text'] = df['text'].apply(remove_punct)", ["text_clean"]),
    # controls
    (NLTK, "df['tokens'] = df['tokens'].apply(lambda x: [w for w in x if len(w) > 2])", ["derive_feature"]),
    (NLTK, "df['n_words'] = df['text'].apply(lambda x: len(x.split()))", ["derive_feature"]),
    (NLTK, "df['text'] = df['text'].apply(word_tokenize)", ["text_clean"]),
]

# what-is-a-step.md: arithmetic that creates a column is derive_feature. A number counted in each text
# (`apply(lambda x: len(word_tokenize(x)))`, a word-count feature: `find_string` finds 10+ public files;
# `lambda x: x.lower().count("!")`) read text_clean, because a cleaning call sits inside the count. Controls: the
# text itself cleaned stays text_clean.
COUNTS_IN_TEXT = [
    (NLTK, "df['word_count'] = df['text'].apply(lambda x: len(word_tokenize(x)))", ["derive_feature"]),
    (NLTK, "df['n_free'] = df['text'].apply(lambda x: x.lower().count('free'))", ["derive_feature"]),
    # controls (a ratio of counts with no cleaning call in it derived before too)
    (NLTK, "df['ones'] = df['seq'].apply(lambda x: x.count('1') / len(x))", ["derive_feature"]),
    (NLTK, "df['text'] = df['text'].apply(lambda x: x.lower().strip())", ["text_clean"]),
    (NLTK, "df['tokens'] = df['text'].apply(lambda x: word_tokenize(x.lower()))", ["text_clean"]),
]

# CONVENTIONS 20: a map "that recodes category values" is encode_categorical; the brief's frequency / target encoding.
# A column mapped through a table of one value per category of that same column (`freq = df["city"].value_counts()`
# then `df["city"].map(freq)`; `df[col].map(train.groupby(col)["y"].mean())`; the public code index's
# frequency_encode / target_encode / mean_encoding helpers, 8+ files; two tuning notebooks map a neighbourhood's median
# price back and label it encode_categorical) read derive_feature; written inline, the table is a parameter of the
# encoding (CONVENTIONS 9), one step. Controls: a table of another column, a lookup keyed by identifiers (a tuning
# notebook labels `df["User_ID"].map(df.groupby("User_ID")["Purchase"].count())` derive_feature: a group statistic
# per row, as `groupby().transform`, CONVENTIONS 22), and a price list of another frame stay derive_feature.
CATEGORY_TABLES = [
    (PD, "freq = df['city'].value_counts()\ndf['city_freq'] = df['city'].map(freq)", ["aggregate", "encode_categorical"]),
    (PD, "frequency_map = df['city'].value_counts().to_dict()\ndf['city_freq'] = df['city'].map(frequency_map)",
     ["aggregate", "encode_categorical"]),
    (PD, "target_mean = df.groupby('city')['y'].mean()\ndf['city_enc'] = df['city'].map(target_mean)",
     ["aggregate", "encode_categorical"]),
    (PD, "for col in ['a', 'b']:\n    means = df.groupby(col)['y'].mean()\n    df[col + '_enc'] = df[col].map(means)",
     ["aggregate", "encode_categorical"]),
    (PD, "df['city_freq'] = df['city'].map(df['city'].value_counts(normalize=True))", ["encode_categorical"]),
    (PD, "df['city_enc'] = df['city'].map(df.groupby('city')['y'].mean())", ["encode_categorical"]),
    (PD, "aff = pd.cut(df[['Neighborhood', 'SalePrice']].groupby('Neighborhood').median()['SalePrice'], bins=5,"
         " labels=['a', 'b', 'c', 'd', 'e'])\n", ["aggregate", "derive_feature"]),
    (PD + "aff = pd.cut(df[['Neighborhood', 'SalePrice']].groupby('Neighborhood').median()['SalePrice'], bins=5,"
          " labels=['a', 'b', 'c', 'd', 'e'])\n",
     "df['Affluence'] = df['Neighborhood'].map(aff)", ["encode_categorical"]),
    # controls
    (PD, "counts = df['town'].value_counts()\ndf['city_freq'] = df['city'].map(counts)", ["aggregate", "derive_feature"]),
    (PD, "df['x'] = df['city'].map(df.groupby('town')['y'].mean())", ["derive_feature", "derive_feature"]),
    (PD, "df['Product_Count'] = df['Product_ID'].map(df.groupby('Product_ID')['Purchase'].count())",
     ["derive_feature", "derive_feature"]),
    (PD, "df['n'] = df['UserId'].map(df['UserId'].value_counts())", ["derive_feature", "derive_feature"]),
    (PD + "other = pd.read_csv('prices.csv')\n", "prices = other.set_index('id')['price']\ndf['price'] = df['id'].map(prices)",
     ["other", "select_columns", "derive_feature"]),
]

# CONVENTIONS 20: "an indicator of a category value (`(sex=='female').astype(int)`, `np.where(target=='spam',1,0)`)" is
# encode_categorical. The same comparison written as a method (`df["Attrition"].eq("Yes").astype(int)`,
# `df.y.eq("yes").astype(int)`; `find_string` finds 10+ public files for each spelling) read derive_feature.
# Controls: equality with a number stays a derived indicator; a row filter stays a filter; a text pattern derives.
EQUALITY_METHODS = [
    (PD, "df['AttritionFlag'] = df['Attrition'].eq('Yes').astype(int)", ["encode_categorical"]),
    (PD, "y = df.y.eq('yes').astype(int)", ["encode_categorical"]),
    (PD, "df['label'] = df['decision'].str.lower().eq('yes').astype(int)", ["encode_categorical"]),
    (PD, "df['stayed'] = df['Attrition'].ne('Yes').astype(int)", ["encode_categorical"]),
    # controls
    (PD, "df['three'] = df['x'].eq(3).astype(int)", ["derive_feature"]),
    (PD, "df2 = df[df['kind'].eq('a')]", ["filter_rows"]),
    (PD, "df['has_free'] = df['text'].str.contains('free').astype(int)", ["derive_feature"]),
]

# CONVENTIONS 20 (label encoders are encode_categorical) and 15 (constructors are no steps): one encoder per column
# kept in a dict (`encoders[col] = LabelEncoder()`, then `df[col] = encoders[col].fit_transform(df[col])`; `find_string`
# finds `] = LabelEncoder()` with `self.label_encoders[col]` / `self.encoders[col]` in 10+ public files) read
# derive_feature: the dict's entry was not known as an encoder. Controls: other values put into a dict stay no step.
ENCODERS_IN_A_DICT = [
    (SK, "encoders = {}\nfor col in ['a', 'b']:\n    encoders[col] = LabelEncoder()\n"
         "    df[col] = encoders[col].fit_transform(df[col])", ["encode_categorical"]),
    (SK, "label_encoders = {}\nfor col in ['a', 'b']:\n    label_encoders[col] = LabelEncoder()\n"
         "    df[col] = label_encoders[col].fit_transform(df[col].astype(str))", ["encode_categorical"]),
    # controls
    (SK, "d = {}\nd['x'] = df['a'] * 2", []),
    (SK, "from sklearn.ensemble import RandomForestClassifier\nmodels = {}\nmodels['rf'] = RandomForestClassifier()", []),
]

GROUPS = {
    "to_categorical": TO_CATEGORICAL,
    "encoder_applied": ENCODER_APPLIED,
    "tokens_and_stop_words": TOKENS_AND_STOP_WORDS,
    "counts_in_text": COUNTS_IN_TEXT,
    "category_tables": CATEGORY_TABLES,
    "equality_methods": EQUALITY_METHODS,
    "encoders_in_a_dict": ENCODERS_IN_A_DICT,
}
ROWS = [(group, *row) for group, rows in GROUPS.items() for row in rows]


@pytest.mark.parametrize("group,setup,cell,expected", ROWS,
                         ids=[f"{group}-{i}" for i, (group, *_rest) in enumerate(ROWS)])
def test_encode_and_text_idiom_ops(group: str, setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected
