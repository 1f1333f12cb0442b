"""Twenty-fourth pass (acc47): the model libraries notebooks use beside pandas / NumPy / scikit-learn, decided from
their installed API.

acc44 and acc46 decided every public name of the data libraries from the installed packages. This pass does the same
for imbalanced-learn, category_encoders, XGBoost, LightGBM, CatBoost, feature-engine, missingno and geopandas (`bench/
kb_coverage.py --site <a scratch venv>`): every imbalanced-learn sampler draws rows again (CONVENTIONS 30), whatever its
name says; its metrics evaluate (27); CatBoost's and feature-engine's packaged data sets load (published parts are one
load, not a split); CatBoost's curve and threshold helpers evaluate; feature-engine's remaining transformers take their
op (21, 22, 23), its SklearnTransformerWrapper the op of the transformer it wraps; geopandas' spatial joins join.
The controls: callbacks, configuration, plots and column-description files stay no step, and what already was a step
keeps its op.
"""

from __future__ import annotations

from functools import partial

import pytest

from .after_setup import ops_after

SETUP = (
    "import pandas as pd\nimport numpy as np\nimport xgboost as xgb\nimport lightgbm as lgb\nimport catboost as cb\n"
    "from catboost import Pool, CatBoostClassifier\nimport category_encoders as ce\nimport missingno as msno\n"
    "df = pd.read_csv('loans.csv')\nX = df.drop(columns='default')\ny = df.default\n"
    "X_train, X_test, y_train, y_test = X[:800], X[800:], y[:800], y[800:]\n"
)


ops_of = partial(ops_after, SETUP)


@pytest.mark.parametrize("cell, ops", [
    # imbalanced-learn's under-samplers and SMOTEN, whose names say no "sampler": rows drawn again (CONVENTIONS 30)
    ("from imblearn.under_sampling import EditedNearestNeighbours\n"
     "X_res, y_res = EditedNearestNeighbours().fit_resample(X_train, y_train)", ["sample"]),
    ("from imblearn.under_sampling import ClusterCentroids\ncc = ClusterCentroids(random_state=42)\n"
     "X_res, y_res = cc.fit_resample(X_train, y_train)", ["sample"]),
    ("from imblearn.under_sampling import AllKNN\nX_res, y_res = AllKNN().fit_resample(X_train, y_train)", ["sample"]),
    ("from imblearn.under_sampling import OneSidedSelection\n"
     "X_res, y_res = OneSidedSelection(random_state=0).fit_resample(X_train, y_train)", ["sample"]),
    ("from imblearn.under_sampling import InstanceHardnessThreshold\n"
     "X_res, y_res = InstanceHardnessThreshold().fit_resample(X_train, y_train)", ["sample"]),
    ("from imblearn.over_sampling import SMOTEN\nX_res, y_res = SMOTEN().fit_resample(X_train, y_train)", ["sample"]),
    # "Turns a dataset into an imbalanced dataset": rows drawn (one call, one step: CONVENTIONS 17)
    ("from imblearn.datasets import make_imbalance\n"
     "X_imb, y_imb = make_imbalance(X, y, sampling_strategy={0: 100, 1: 20})", ["sample"]),
    # imbalanced-learn's metrics, printed or kept (CONVENTIONS 27: metric calls are evaluate)
    ("from imblearn.metrics import classification_report_imbalanced\n"
     "print(classification_report_imbalanced(y_test, pred))", ["evaluate"]),
    ("from imblearn.metrics import sensitivity_specificity_support\n"
     "sen, spe, sup = sensitivity_specificity_support(y_test, pred)", ["evaluate"]),
    # category_encoders' wrapper for multi-class targets encodes as the encoder it wraps (CONVENTIONS 20)
    ("enc = ce.PolynomialWrapper(ce.TargetEncoder(cols=['grade']))\nX_enc = enc.fit_transform(X_train, y_train)",
     ["encode_categorical"]),
    # CatBoost's packaged data sets: a load, the train / test parts it is published in are no split
    ("train_df, test_df = cb.datasets.titanic()", ["load"]),
    ("from catboost.datasets import msrank_10k\ntrain_df, _ = msrank_10k()", ["load"]),
    ("from catboost.datasets import titanic\ntrain_df = titanic()[0]", ["load"]),
    # CatBoost's ROC curve of a fitted model on a pool, and the threshold chosen by an error rate (CONVENTIONS 27)
    ("model = CatBoostClassifier(iterations=50).fit(X_train, y_train)\n"
     "curve = cb.utils.get_roc_curve(model, Pool(X_test, y_test))", ["fit_model", "evaluate"]),
    # feature-engine 1.9's other transformers: lags and windows of a series, dates subtracted (CONVENTIONS 21, 22),
    # arcsinh (23), selection by information value, the test set given the training columns
    ("from feature_engine.timeseries.forecasting import LagFeatures\n"
     "X_lag = LagFeatures(variables=['sales'], periods=[1, 7]).fit_transform(X_train)", ["derive_feature"]),
    ("from feature_engine.timeseries.forecasting import WindowFeatures\n"
     "X_win = WindowFeatures(window=3, functions=['mean']).fit_transform(X_train)", ["derive_feature"]),
    ("from feature_engine.datetime import DatetimeSubtraction\n"
     "X_days = DatetimeSubtraction(variables='end', reference='start').fit_transform(X_train)", ["derive_feature"]),
    ("from feature_engine.transformation import ArcSinhTransformer\n"
     "X_t = ArcSinhTransformer(variables=['income']).fit_transform(X_train)", ["scale_normalize"]),
    ("from feature_engine.selection import SelectByInformationValue\n"
     "X_sel = SelectByInformationValue().fit_transform(X_train, y_train)", ["select_columns"]),
    ("from feature_engine.preprocessing import MatchVariables\nmatch = MatchVariables()\nmatch.fit(X_train)\n"
     "X_test_m = match.transform(X_test)", ["select_columns"]),
    # feature-engine's wrapper applies the scikit-learn transformer it holds to some columns: that transformer's op
    ("from feature_engine.wrappers import SklearnTransformerWrapper\nfrom sklearn.preprocessing import StandardScaler\n"
     "wrap = SklearnTransformerWrapper(transformer=StandardScaler(), variables=['income'])\n"
     "X_scaled = wrap.fit_transform(X_train)", ["scale_normalize"]),
    # ... and its fit alone is a preprocessor's, no step (CONVENTIONS 25), not a model's fit
    ("from feature_engine.wrappers import SklearnTransformerWrapper\nfrom sklearn.impute import SimpleImputer\n"
     "wrap = SklearnTransformerWrapper(transformer=SimpleImputer(strategy='median'))\nwrap.fit(X_train)", []),
])
def test_model_library_api_decided(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


GEO = "import geopandas as gpd\ntracts = gpd.read_file('tracts.shp')\n"


@pytest.mark.parametrize("cell, ops", [
    # geopandas' functions: spatial joins and overlays combine two tables' rows (join), clip keeps the rows inside a
    # boundary (filter_rows), points built from two coordinate columns are a new column (derive_feature)
    (GEO + "joined = gpd.sjoin(stores, tracts, how='left', predicate='within')", ["load", "join"]),
    (GEO + "nearest = gpd.sjoin_nearest(stores, tracts)", ["load", "join"]),
    (GEO + "pieces = gpd.overlay(tracts, flood_zones, how='intersection')", ["load", "join"]),
    (GEO + "inside = gpd.clip(stores, tracts)", ["load", "filter_rows"]),
    ("import geopandas as gpd\n"
     "stores_geo = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), crs='EPSG:4326')",
     ["derive_feature"]),
])
def test_geopandas_functions_decided(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # already decided before this pass: a sampler named so, an encoder or scaler named so, the boosting libraries' training
    # loop and cross-validation, a metric named as a score, a classifier fitted, a resampler inside a pipeline (the
    # pipeline's fit is the step)
    ("from imblearn.over_sampling import SMOTE\nX_res, y_res = SMOTE().fit_resample(X_train, y_train)", ["sample"]),
    ("enc = ce.BinaryEncoder(cols=['grade'])\nX_enc = enc.fit_transform(X_train)", ["encode_categorical"]),
    ("dtrain = xgb.DMatrix(X_train, label=y_train)\nbst = xgb.train({'max_depth': 3}, dtrain, 50)",
     ["other", "fit_model"]),
    ("res = lgb.cv({'objective': 'binary'}, lgb.Dataset(X, y), nfold=5)", ["evaluate"]),
    ("from imblearn.metrics import geometric_mean_score\nprint(geometric_mean_score(y_test, pred))", ["evaluate"]),
    ("from feature_engine.scaling import MeanNormalizationScaler\n"
     "X_norm = MeanNormalizationScaler().fit_transform(X_train)", ["scale_normalize"]),
    ("from imblearn.ensemble import BalancedRandomForestClassifier\n"
     "brf = BalancedRandomForestClassifier().fit(X_train, y_train)", ["fit_model"]),
    ("from imblearn.pipeline import make_pipeline\nfrom imblearn.under_sampling import AllKNN\n"
     "from sklearn.linear_model import LogisticRegression\n"
     "pipe = make_pipeline(AllKNN(), LogisticRegression())\npipe.fit(X_train, y_train)", ["fit_model"]),
    # deliberately no step: callbacks, configuration, a model's importance plotted, column descriptions written,
    # missingno's plots of missing values
    ("es = lgb.early_stopping(stopping_rounds=50)\nlog = lgb.log_evaluation(100)", []),
    ("xgb.set_config(verbosity=0)", []),
    ("xgb.plot_importance(bst, importance_type='gain')", []),
    ("lgb.plot_importance(booster, max_num_features=10)", []),
    ("cb.utils.create_cd({0: 'Label'}, output_path='train.cd')", []),
    ("msno.matrix(df)\nmsno.bar(df)", []),
    ("blend = cb.sum_models([m1, m2])", []),
    # geopandas: a file read, its layers listed (an answer), its frame merged as pandas' is
    ("import geopandas as gpd\ntracts = gpd.read_file('tracts.shp')\nlayers = gpd.list_layers('city.gpkg')\n"
     "merged = tracts.merge(df, on='geoid')", ["load", "join"]),
    # a target transformer handed by keyword to scikit-learn's TransformedTargetRegressor stays part of its one
    # fit_model
    ("from sklearn.compose import TransformedTargetRegressor\nfrom sklearn.preprocessing import StandardScaler\n"
     "from sklearn.linear_model import LinearRegression\n"
     "ttr = TransformedTargetRegressor(regressor=LinearRegression(), transformer=StandardScaler())\n"
     "ttr.fit(X_train, y_train)", ["fit_model"]),
])
def test_model_library_controls(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops
