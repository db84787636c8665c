"""The UCI Statlog German Credit data: 1,000 loan applicants rated good or bad risks."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ._home import verified_file

__all__ = ["load_german_credit"]

#: The 20 attributes and the class, in the order of the Statlog documentation (``german.doc``).
COLUMNS = (
    "status", "duration", "credit_history", "purpose", "credit_amount", "savings",
    "employment_since", "installment_rate", "personal_status_sex", "other_debtors",
    "residence_since", "property", "age", "other_installment_plans", "housing",
    "existing_credits", "job", "people_liable", "telephone", "foreign_worker", "class",
)

#: Attribute 9 as documented: A91 male divorced/separated, A92 female divorced/separated/
#: married, A93 male single, A94 male married/widowed, A95 female single.
SEX_OF_CODE = {"A91": "male", "A92": "female", "A93": "male", "A94": "male", "A95": "female"}

#: Age bands of the derived ``age_band`` column, and the ages (years) where the next one starts.
AGE_BANDS = ("<25", "25-59", ">=60")
_AGE_EDGES = (25, 60)


def load_german_credit(*, data_home: str | os.PathLike[str] | None = None,
                       download: bool = False) -> pd.DataFrame:
    """Load the UCI Statlog German Credit data (``german.data``) from the data home.

    Parameters
    ----------
    data_home : str or path-like or None, default=None
        Folder holding ``german.data``; None uses :func:`biasaudit.datasets.data_home`.
    download : bool, default=False
        If the file is not in the data home, fetch it from the UCI Machine Learning
        Repository (or from ``$BIASAUDIT_DATA_URL``), verify its SHA-256 and save it there.

    Returns
    -------
    DataFrame
        1,000 rows. The 21 columns of the file, named in the documented order: ``status``,
        ``duration``, ``credit_history``, ``purpose``, ``credit_amount``, ``savings``,
        ``employment_since``, ``installment_rate``, ``personal_status_sex``,
        ``other_debtors``, ``residence_since``, ``property``, ``age``,
        ``other_installment_plans``, ``housing``, ``existing_credits``, ``job``,
        ``people_liable``, ``telephone``, ``foreign_worker``, ``class`` (1 good, 2 bad);
        categorical attributes keep their documented codes (``"A11"``, ...). Three derived
        columns follow:

        - ``sex``: ``"female"`` for codes A92 and A95 of ``personal_status_sex``,
          ``"male"`` for A91, A93 and A94;
        - ``age_band``: ordered categorical ``"<25"``, ``"25-59"``, ``">=60"``;
        - ``good_credit``: 1 for class 1 (good risk), 0 for class 2 (bad risk).

        Protected attributes: ``sex``, ``age`` / ``age_band``, ``personal_status_sex``,
        ``foreign_worker`` (A201 yes, A202 no). Label: ``good_credit``.

    Raises
    ------
    AuditError
        If the file is not in the data home (and ``download`` is False or fails).
    DataChecksumError
        If its SHA-256 differs from the published one.

    Notes
    -----
    Attribute 9 ("personal status and sex") mixes sex with marital status, and the code
    A95 (female: single) does not occur in the data, so no single woman can be told apart
    from the other women. Grömping [1]_ argues from the original source that the Statlog
    code table is wrong for this and other attributes (under her reading, A92 mixes
    non-single women with single men and A94 holds single women), so ``sex`` derived from
    the documented codes may be wrong for many rows: treat audits by ``sex`` on these data
    as illustrations, not findings. The data come with a cost matrix (classifying a bad
    risk as good costs 5, the reverse 1). See ``datasets/german.md`` in the repository.

    References
    ----------
    .. [1] U. Grömping, "South German Credit Data: Correcting a Widely Used Data Set",
       Reports in Mathematics, Physics and Chemistry 4/2019, Beuth University of Applied
       Sciences Berlin, 2019.

    Examples
    --------
    >>> from biasaudit.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> len(df), int(df["good_credit"].sum())
    (1000, 700)
    >>> df.groupby("sex")["good_credit"].mean().round(3).to_dict()
    {'female': 0.648, 'male': 0.723}
    """
    path = verified_file("german.data", data_home, caller="load_german_credit", download=download)
    df = pd.read_csv(path, sep=" ", header=None, names=list(COLUMNS))
    df["sex"] = df["personal_status_sex"].map(SEX_OF_CODE)
    band = np.searchsorted(np.asarray(_AGE_EDGES), df["age"].to_numpy(), side="right")
    df["age_band"] = pd.Categorical.from_codes(band, pd.Index(AGE_BANDS), ordered=True)
    df["good_credit"] = (df["class"] == 1).astype("int64")
    return df
