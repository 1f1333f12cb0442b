"""feature-engine: its transformer classes and the op their transform / fit_transform performs.

feature-engine's classes follow scikit-learn's fit / transform protocol, so they are read by the same rules
(CONVENTIONS 25: `.fit` alone of a preprocessor is no step, `.transform` takes the transformer's op). Without
this table a feature-engine class is an unknown fittable object and its `.fit` reads as a model fit.
Keyed by short name, as `sklearn.TRANSFORMERS`; names shared with scikit-learn (`OneHotEncoder`,
`OrdinalEncoder`, `PowerTransformer`) have the same op in both.
"""

from __future__ import annotations

TRANSFORMERS: dict[str, str] = {
    **{name: "impute_missing" for name in (
        "MeanMedianImputer", "ArbitraryNumberImputer", "EndTailImputer", "CategoricalImputer",
        "RandomSampleImputer",
    )},
    "DropMissingData": "drop_missing",
    **{name: "encode_categorical" for name in (
        "CountFrequencyEncoder", "MeanEncoder", "WoEEncoder", "PRatioEncoder", "RareLabelEncoder",
        "DecisionTreeEncoder", "StringSimilarityEncoder", "OneHotEncoder", "OrdinalEncoder",
    )},
    **{name: "outlier_remove" for name in ("Winsorizer", "ArbitraryOutlierCapper", "OutlierTrimmer")},
    **{name: "scale_normalize" for name in (
        "LogTransformer", "LogCpTransformer", "ReciprocalTransformer", "PowerTransformer", "BoxCoxTransformer",
        "YeoJohnsonTransformer", "ArcsinTransformer", "ArcSinhTransformer",
    )},
    # what-is-a-step.md: `pd.cut` / binning and arithmetic that creates a column are derive_feature; a missing
    # indicator is derive_feature as sklearn's MissingIndicator is
    **{name: "derive_feature" for name in (
        "AddMissingIndicator", "EqualFrequencyDiscretiser", "EqualWidthDiscretiser", "ArbitraryDiscretiser",
        "DecisionTreeDiscretiser", "GeometricWidthDiscretiser", "MathFeatures", "RelativeFeatures",
        "CyclicalFeatures", "DecisionTreeFeatures", "DatetimeFeatures",
    )},
    # the rest of feature-engine 1.9's transformers (bench/kb_coverage.py): lags and windows of a series, features of
    # texts, dates and coordinates computed into new columns (CONVENTIONS 21, 22), mean normalisation (a scaler, 23)
    **{name: "derive_feature" for name in (
        "LagFeatures", "WindowFeatures", "ExpandingWindowFeatures", "TextFeatures", "DatetimeSubtraction",
        "DatetimeOrdinal", "GeoDistanceFeatures",
    )},
    "MeanNormalizationScaler": "scale_normalize",
    # MatchVariables: the test set given the training set's columns (extra ones dropped, missing ones added, in its
    # order); MatchCategories: categorical columns cast to the training set's categories
    "MatchVariables": "select_columns",
    "MatchCategories": "type_cast",
    "DropFeatures": "drop_columns",
    **{name: "select_columns" for name in (
        "DropConstantFeatures", "DropDuplicateFeatures", "DropCorrelatedFeatures", "SmartCorrelatedSelection",
        "SelectByShuffling", "SelectBySingleFeaturePerformance", "SelectByTargetMeanPerformance",
        "RecursiveFeatureElimination", "RecursiveFeatureAddition", "DropHighPSIFeatures", "ProbeFeatureSelection",
        "SelectByInformationValue", "MRMR",
    )},
    # the names feature-engine's releases before 1.3 / 1.0 gave the same transformers (renamed since; notebooks and
    # the library's own documentation notebooks of those releases still call them): MathematicalCombination ->
    # MathFeatures, CombineWithReferenceFeature -> RelativeFeatures, CyclicalTransformer -> CyclicalFeatures,
    # AddNaNBinaryImputer -> AddMissingIndicator, the *CategoricalEncoder / CategoricalVariableImputer families
    **{name: "derive_feature" for name in (
        "MathematicalCombination", "CombineWithReferenceFeature", "CyclicalTransformer", "AddNaNBinaryImputer",
    )},
    **{name: "encode_categorical" for name in (
        "CountFrequencyCategoricalEncoder", "OrdinalCategoricalEncoder", "MeanCategoricalEncoder",
        "WoERatioCategoricalEncoder", "OneHotCategoricalEncoder", "RareLabelCategoricalEncoder",
        "DecisionTreeCategoricalEncoder",
    )},
    **{name: "impute_missing" for name in ("CategoricalVariableImputer", "FrequentCategoryImputer")},
    "Windsorizer": "outlier_remove",
}
