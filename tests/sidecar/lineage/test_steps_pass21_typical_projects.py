"""The twenty-first pass (acc40, issue 10): idioms of "typical users'" end-to-end projects on GitHub (churn, credit
risk, loan default, insurance cost: portfolio pieces and capstones, not Kaggle kernels). Rules were found on public
repositories outside the corpus, each idiom written in more than one place (counted with `find_string` over the public
code index), and decided by what-is-a-step.md and CONVENTIONS.md. Rows are cells written the way the sources write
them, after set-up lines whose own steps are not counted; every group has negative controls.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps

PD = ("import pandas as pd\nimport numpy as np\nimport joblib\nimport pickle\n"
      "from sklearn.model_selection import train_test_split\nfrom sklearn.linear_model import LogisticRegression\n"
      "from sklearn.metrics import f1_score, roc_curve, precision_recall_curve, confusion_matrix\n"
      "df = pd.read_csv('churn.csv')\nX_train, X_test, y_train, y_test = train_test_split(df.drop(columns='y'), df.y)\n"
      "model = LogisticRegression().fit(X_train, y_train)\nprobs = model.predict_proba(X_test)[:, 1]\n")


def steps_after(setup: str, cell: str) -> list[tuple[str, str | None]]:
    """The (op, output) of the steps of `cell` run after `setup`, without the steps of `setup` itself."""
    return [(step.op, step.output) for step in classify_steps(setup + cell)][len(classify_steps(setup)):]


# CONVENTIONS 26: "thresholding probabilities [is] predict". A threshold picked by evaluating many
# (`best_threshold = thresholds[np.argmax(f1_scores)]`, `epsilon, F1 = select_threshold(y_val, p_val)`) and then
# applied to the scores, `final_preds = (probs >= best_threshold).astype(int)`, read evaluate: the threshold carries
# the evaluation's role, so the comparison read as predictions compared with a result. It is a threshold as a number
# written in the code is (credit-risk threshold tuning in hemant2186/credit-risk-loan-default-prediction; `find_string`
# finds `(... >= best_threshold).astype(int)` in 10 public repositories). Controls: a residual compared with a bound
# stays evaluate, predictions compared with the true classes stay evaluate, a number threshold stays predict.
CHOSEN_THRESHOLDS = [
    (PD, "ths = np.linspace(0.05, 0.95, 19)\nf1s = [f1_score(y_test, (probs >= t).astype(int)) for t in ths]\n"
         "best_threshold = ths[np.argmax(f1s)]\nfinal_preds = (probs >= best_threshold).astype(int)",
     [("load", "ths"), ("evaluate", "f1s"), ("predict", "final_preds")]),
    (PD, "fpr, tpr, thresholds = roc_curve(y_test, probs)\nix = np.argmax(tpr - fpr)\n"
         "y_hat = (probs >= thresholds[ix]).astype(int)",
     [("evaluate", "fpr"), ("evaluate", "ix"), ("predict", "y_hat")]),
    (PD, "precision, recall, thresholds = precision_recall_curve(y_test, probs)\n"
         "f1 = 2 * precision * recall / (precision + recall)\nbest_t = thresholds[np.argmax(f1)]\n"
         "y_hat = np.where(probs > best_t, 1, 0)",
     [("evaluate", "precision"), ("evaluate", "f1"), ("predict", "y_hat")]),
    # controls
    (PD, "p = model.predict(X_test)\nrmse = np.sqrt(((y_test - p) ** 2).mean())\nbig = np.abs(y_test - p) > 2 * rmse",
     [("predict", "p"), ("evaluate", "rmse"), ("evaluate", "big")]),
    (PD, "p = model.predict(X_test)\nacc = f1_score(y_test, p)\nok = p == y_test",
     [("predict", "p"), ("evaluate", "acc"), ("evaluate", "ok")]),
    (PD, "threshold = 0.3\nfinal_preds = (probs >= threshold).astype(int)", [("predict", "final_preds")]),
]


@pytest.mark.parametrize("setup,cell,expected", CHOSEN_THRESHOLDS)
def test_a_threshold_chosen_by_evaluation_applied_to_scores_predicts(setup: str, cell: str,
                                                                      expected: list[tuple[str, str | None]]) -> None:
    assert steps_after(setup, cell) == expected


# what-is-a-step.md, "Sources are steps": "reading a file ... into data" is a `load`; CONVENTIONS 15: "model loading"
# is no step; 17: a tuple from ONE call is one step. The multi-notebook project saves its prepared parts in one notebook
# (`joblib.dump(X_train_processed, "../data/processed/X_train_processed.pkl")`) and reads them back in the next,
# `X_train_processed = joblib.load("../data/processed/X_train_processed.pkl")` (Samit165/Customer-Churn-Prediction
# notebooks 04 and 05); that read no step, so the modelling notebook's data had no root. `find_string` finds
# `X_train = joblib.load(` in 10 public repositories and `= pickle.load(open('X_train` in 10 more. Read back into a name
# of data it is a load; into a model's, a scaler's, an encoder's or a column list's name it stays no step.
SAVED_DATA_READ_BACK = [
    (PD, "X_train_processed = joblib.load('../data/processed/X_train_processed.pkl')\n"
         "y_train = joblib.load('../data/processed/y_train.pkl')",
     [("load", "X_train_processed"), ("load", "y_train")]),
    (PD, "x_train = pickle.load(open('x_train.p', 'rb'))", [("load", "x_train")]),
    (PD, "with open('data.pkl', 'rb') as f:\n    data = pickle.load(f)", [("load", "data")]),
    (PD, "X_tr, X_te, y_tr, y_te = joblib.load('splits.joblib')", [("load", "X_tr")]),
    (PD, "from joblib import load\nX_test = load('X_test.pkl')", [("load", "X_test")]),
    # controls: a model, a scaler, encoders and column lists read back are no step; a model read back still predicts
    (PD, "clf = joblib.load('model.pkl')\nscaler = joblib.load('scaler.pkl')\n"
         "label_encoders = joblib.load('encoders.pkl')\nfeature_names = joblib.load('feature_names.pkl')\n"
         "train_columns = joblib.load('cols.pkl')\nfeature_list = joblib.load('../artifacts/features/features.pkl')\n"
         "features = joblib.load('model_features.pkl')", []),
    (PD, "best_model = pickle.load(open('best.pkl', 'rb'))\ny_pred = best_model.predict(X_test)", [("predict", "y_pred")]),
    (PD, "saved = pickle.load(open('thing.pkl', 'rb'))", []),
]


@pytest.mark.parametrize("setup,cell,expected", SAVED_DATA_READ_BACK)
def test_saved_data_read_back_is_a_load(setup: str, cell: str, expected: list[tuple[str, str | None]]) -> None:
    assert steps_after(setup, cell) == expected


# CONVENTIONS 20: "a dict `map`/`replace` that recodes category values (to codes ...)" is encode_categorical. The
# Telco-churn idiom recodes the target one value per call, `df['Churn'].replace(to_replace='Yes', value=1,
# inplace=True)` then `... 'No', value=0 ...` (`find_string`: 10 public repositories for that exact text, 10 more for
# `.replace('Yes', 1)`), which read text_clean where `replace({'Yes': 1, 'No': 0})` reads encode_categorical. A word
# replaced by a number is that recoding. Controls: text replaced by text, a placeholder (`'?'`, `' '`) replaced by a
# number or NaN, and `str.replace` stay text_clean.
RECODED_ONE_VALUE = [
    (PD, "df['Churn'].replace(to_replace='Yes', value=1, inplace=True)\n"
         "df['Churn'].replace(to_replace='No', value=0, inplace=True)",
     [("encode_categorical", "df"), ("encode_categorical", "df")]),
    (PD, "df['Attribute20'] = df['Attribute20'].replace('Yes', 1)", [("encode_categorical", "df")]),
    (PD, "y = df['y'].replace('yes', 1).replace('no', 0)", [("encode_categorical", "y")]),
    (PD, "features = df.replace('male', 1)", [("encode_categorical", "features")]),
    # controls
    (PD, "df['MultipleLines'].replace('No phone service', 'No', inplace=True)", [("text_clean", "df")]),
    (PD, "df['TotalCharges'] = df['TotalCharges'].replace(' ', 0)", [("text_clean", "df")]),
    (PD, "df['x'] = df['x'].replace('?', np.nan)", [("text_clean", "df")]),
    (PD, "df['x'] = df['x'].str.replace('Yes', '1')", [("text_clean", "df")]),
]


@pytest.mark.parametrize("setup,cell,expected", RECODED_ONE_VALUE)
def test_a_category_value_replaced_by_a_number_is_encoded(setup: str, cell: str,
                                                          expected: list[tuple[str, str | None]]) -> None:
    assert steps_after(setup, cell) == expected


# CONVENTIONS 12: wrapping ONE existing object in `DataFrame` is a conversion (`other` when assigned to a new name);
# 1: a notebook helper's call is no step. The hand-made model comparison of the typical project: a helper that fits,
# predicts and returns the scores (`def evaluate(model): ...; return {"Test R2": r2_score(y_test, p), ...}`), called
# per model into a dict or list, `results[name] = evaluate(m)` / `results.append(evaluate_model(name, m))`, then
# `pd.DataFrame(results)` (subhransudhar-projects/medical-insurance-cost-prediction; akhilgolepu/Customer-Churn-
# Prediction's `pb_results`). The container kept its "written in the code" mark, so the table read `load`, data
# created in code; with the scores put in it directly (`results[name] = r2_score(...)`) it already read `other`.
# Controls: a container of a helper that returns prepared data, and one of literal numbers, are unchanged.
HELPER_SCORES_KEPT = [
    (PD, "def evaluate_model(name, model):\n    model.fit(X_train, y_train)\n    pred = model.predict(X_test)\n"
         "    return {'Model': name, 'F1': f1_score(y_test, pred)}\nresults = []\n"
         "results.append(evaluate_model('LR', LogisticRegression()))\nresults_df = pd.DataFrame(results)",
     [("fit_model", "model"), ("predict", "pred"), ("evaluate", None), ("other", "results_df")]),
    (PD, "def evaluate(model):\n    model.fit(X_train, y_train)\n    p = model.predict(X_test)\n"
         "    score = f1_score(y_test, p)\n    return score\nscores = {}\nfor name, m in [('lr', LogisticRegression())]:\n"
         "    scores[name] = evaluate(m)\ncomparison = pd.DataFrame(scores.items(), columns=['model', 'f1'])",
     [("fit_model", "model"), ("predict", "p"), ("evaluate", "score"), ("other", "comparison")]),
    # controls
    (PD, "def prep(d):\n    return d.dropna()\nparts = {}\nparts['a'] = prep(df)\nallp = pd.DataFrame(parts)",
     [("drop_missing", None), ("load", "allp")]),
    (PD, "vals = {}\nvals['a'] = 1.5\ntab = pd.DataFrame(vals, index=[0])", [("load", "tab")]),
]


@pytest.mark.parametrize("setup,cell,expected", HELPER_SCORES_KEPT)
def test_scores_a_notebook_helper_returns_kept_in_a_container(setup: str, cell: str,
                                                              expected: list[tuple[str, str | None]]) -> None:
    assert steps_after(setup, cell) == expected


# CONVENTIONS 15: "column-name lists (also when computed)" are no step. The explainability notebook of the typical
# project cleans a ColumnTransformer's output names for its SHAP plots, `feature_names = [name.replace("cat__",
# "").replace("num__", "") for name in preprocessor.get_feature_names_out()]` (Samit165/Customer-Churn-Prediction
# notebook 05; `find_string`: 10 public repositories iterate `preprocessor.get_feature_names_out()` so), which read
# three text_clean; a frame's labels edited into a list of their own (`new_cols = [c.replace(' ', '_') for c in
# df.columns]`, the "not fixed" item of the nineteenth pass) read one. Controls: values of data cleaned in a
# comprehension, files read and columns of data filled per name keep their steps; setting `.columns` stays rename.
COLUMN_NAMES_EDITED = [
    (PD + "preprocessor = model\n",
     "feature_names = [name.replace('cat__', '').replace('num__', '') for name in preprocessor.get_feature_names_out()]",
     []),
    (PD, "new_cols = [c.replace(' ', '_') for c in df.columns]\ndf.columns = new_cols", [("rename", "df")]),
    # controls
    (PD, "texts = [t.lower().replace('x', '') for t in df['text']]", [("text_clean", "texts"), ("text_clean", "texts")]),
    (PD, "frames = [pd.read_csv(f) for f in ['a.csv', 'b.csv']]", [("load", "frames")]),
    (PD, "cols = ['a', 'b']\nfilled = [df[c].fillna(0) for c in cols]", [("impute_missing", "filled")]),
    (PD, "df.columns = [c.lower().replace(' ', '_') for c in df.columns]", [("rename", "df")]),
]


@pytest.mark.parametrize("setup,cell,expected", COLUMN_NAMES_EDITED)
def test_column_names_edited_into_a_list_are_no_step(setup: str, cell: str,
                                                     expected: list[tuple[str, str | None]]) -> None:
    assert steps_after(setup, cell) == expected
