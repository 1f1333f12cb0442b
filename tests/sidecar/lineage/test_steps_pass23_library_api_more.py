"""Twenty-third pass, continued (acc46): the rest of the data libraries' public API in the op tables.

acc44 decided every public name of pandas, NumPy, polars, scikit-learn and scipy.stats from the installed packages.
This pass does the same for scipy.signal / interpolate / cluster / spatial.distance and statsmodels' api, tsa.api,
stats.api and formula.api (`bench/kb_coverage.py`, statsmodels enumerated from a scratch venv with `--site`). The rows
check a sample of the new entries by the definition, and the controls: the same names shown (an inspection), inside a
plot call, as a filter's design (parameters) or a distance between two vectors (a number), and the short names that
mean something else in another scipy module.
"""

from __future__ import annotations

from functools import partial

import pytest

from .after_setup import ops_after

SETUP = (
    "import pandas as pd\nimport numpy as np\nfrom scipy import signal, interpolate\n"
    "import scipy.cluster.hierarchy as sch\nfrom scipy.cluster.vq import kmeans, whiten, vq\n"
    "from scipy.spatial.distance import pdist, cdist, squareform, euclidean\nimport statsmodels.api as sm\n"
    "import matplotlib.pyplot as plt\n"
    "df = pd.read_csv('signal.csv')\nX = np.loadtxt('x.txt')\n"
)


ops_of = partial(ops_after, SETUP)


@pytest.mark.parametrize("cell, ops", [
    # a series filtered or smoothed: new values computed from the data, as a rolling mean (CONVENTIONS 22)
    ("smooth = signal.savgol_filter(df.y, 11, 3)", ["derive_feature"]),
    ("clean = signal.medfilt(df.y, 5)", ["derive_feature"]),
    ("b, a = signal.butter(4, 0.1)\nlow = signal.filtfilt(b, a, df.y)", ["derive_feature"]),
    ("down = signal.decimate(df.y, 4)", ["derive_feature"]),
    # a power spectrum of a series, kept (new values from the data)
    ("freqs, power = signal.welch(df.y, fs=100)", ["derive_feature"]),
    # values between known points; a curve fitted through them and read at new points (fit_model, then predict)
    ("grid = interpolate.griddata(X[:, :2], X[:, 2], (gx, gy))", ["derive_feature"]),
    ("f = interpolate.interp1d(df.t, df.y, kind='cubic')", ["fit_model"]),
    ("spline = interpolate.UnivariateSpline(df.t, df.y, s=1)", ["fit_model"]),
    ("tck = interpolate.splrep(df.t, df.y)\ny_new = interpolate.splev(t_new, tck)", ["fit_model", "predict"]),
    # features divided by their spread before k-means (a scaler, CONVENTIONS 23); k-means and hierarchical clustering
    # fitted (CONVENTIONS 4a), the observations' clusters read from them (CONVENTIONS 26: labels are predict)
    ("Xw = whiten(X)", ["scale_normalize"]),
    ("centroids, distortion = kmeans(X, 3)", ["fit_model"]),
    ("Z = sch.linkage(X, method='ward')\nlabels = sch.fcluster(Z, 3, criterion='maxclust')", ["fit_model", "predict"]),
    ("codes, dists = vq(X, centroids)", ["predict"]),
    # the distances between all pairs of rows, as sklearn's pairwise distances
    ("D = cdist(X, centroids)", ["derive_feature"]),
    # statsmodels: lags put beside a series (as lagmat), a trend filter (as hpfilter is), censored values imputed
    ("lagged = sm.tsa.add_lag(X, lags=3)", ["derive_feature"]),
    ("cycle, trend = sm.tsa.hamilton_filter(df.y, h=8)", ["derive_feature"]),
    ("filled = sm.imputation.ros.impute_ros(df.obs, df.censored)", ["impute_missing"]),
    ("from statsmodels.tsa.statespace.tools import diff\nchanges = diff(df.y, k_diff=1)", ["derive_feature"]),
    ("rho, sigma = sm.regression.yule_walker(df.y, order=3, method='mle')", ["fit_model"]),
    # a power spectrum kept and computed with (its bias against a known spectrum): a step
    ("freqs, power = signal.welch(df.y)\nbias = np.mean(power - 1)", ["derive_feature"]),
    # tests, intervals and agreement measures (CONVENTIONS 27)
    ("stat, p = sm.stats.runstest_1samp(df.y)", ["evaluate"]),
    ("kappa = sm.stats.cohens_kappa(table)", ["evaluate"]),
    ("low, high = sm.stats.zconfint(df.y)", ["evaluate"]),
])
def test_library_api_names_are_steps(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


@pytest.mark.parametrize("cell", [
    # a filter's design, a window, a frequency response: parameters and figure data (CONVENTIONS 15, 8)
    "b, a = signal.butter(4, 0.1)",
    "w, h = signal.freqz(b, a)",
    "win = signal.get_window('hann', 64)",
    # `signal.normalize` normalises a filter's coefficients, not data (the short name a scaler's elsewhere)
    "b2, a2 = signal.normalize(b, a)",
    # positions of peaks: an answer about the series
    "peaks, props = signal.find_peaks(df.y, height=0)",
    # shown, a spectrum is looked at (CONVENTIONS 6: element-wise results shown are inspection)
    "signal.welch(df.y)",
    # computed inside a plot call: plotting (CONVENTIONS 8), the dendrogram draws
    "sch.dendrogram(sch.linkage(X, 'ward'))",
    # a power spectrum estimated only to draw it: looked at, as a value_counts only drawn (CONVENTIONS 8)
    "freqs, power = signal.welch(df.y)\nplt.semilogy(freqs, power)",
    "plt.plot(signal.savgol_filter(df.y, 11, 3))",
    # a distance between two vectors: a number (CONVENTIONS 9); a condensed matrix put square: a conversion
    "d = euclidean(X[0], X[1])",
    "D = squareform(D_condensed)",
    # autocorrelations read to choose a model's order, power analyses from hypothesised numbers (CONVENTIONS 9, 27)
    "a = sm.tsa.acf(df.y, nlags=20)",
    "n = sm.stats.tt_ind_solve_power(effect_size=0.3, alpha=0.05, power=0.8)",
    "es = sm.stats.proportion_effectsize(0.12, 0.10)",
])
def test_library_api_controls_are_not_steps(cell: str) -> None:
    assert ops_of(cell) == []


@pytest.mark.parametrize("cell, ops", [
    # imbalanced-learn's resampling under its name before 0.8 (`fit_sample`, renamed `fit_resample`): rows drawn again
    # (CONVENTIONS 30: resampling is `sample`), not a model fitted
    ("from imblearn.over_sampling import SMOTE\nX_res, y_res = SMOTE(random_state=0).fit_sample(X, y)", ["sample"]),
    ("from imblearn.under_sampling import RandomUnderSampler\nrus = RandomUnderSampler()\n"
     "X_res, y_res = rus.fit_sample(X, y)", ["sample"]),
])
def test_resampling_under_its_old_name_is_sample(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # controls: the current name, and a model's own fit
    ("from imblearn.over_sampling import SMOTE\nX_res, y_res = SMOTE(random_state=0).fit_resample(X, y)", ["sample"]),
    ("from sklearn.linear_model import LogisticRegression\nm = LogisticRegression().fit(X, y)", ["fit_model"]),
])
def test_resampling_controls(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops
