"""Every audit option, declared once: name, default, allowed values, help.

``audit()``, ``audit_counts()`` and ``AuditResult.with_options()`` check their options
through :meth:`AuditOptions.from_kwargs`; the command line builds its flags from
:data:`OPTIONS` and the API page's option table is generated from it (a test checks
that the signatures, the command line and the docs agree with these declarations).
"""

from __future__ import annotations

import numbers
import inspect
import textwrap
from dataclasses import dataclass, field, fields, make_dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping

from .exceptions import InvalidParameterError

# This module imports no data library: the command line builds its flags from OPTIONS, and
# `biasaudit --help` must stay fast. The checks import what they need when they run.

__all__ = ["AuditOptions", "OPTIONS", "Option"]

REFERENCE_RULES = ("largest", "best", "overall")


@dataclass(frozen=True)
class Option:
    """One audit option.

    ``choices`` lists the allowed values of a choice option; ``check`` normalises and
    checks any other value (``check(value, name, caller)``). ``statistical`` options only
    change how the table is analysed, so :meth:`AuditResult.with_options` can change them
    without the rows. ``cli`` is False for options the command line spells its own way.
    """

    name: str
    default: Any
    help: str
    choices: tuple | None = None
    check: Callable | None = None
    statistical: bool = True
    cli: bool = True
    doc_type: str = ""


def _fraction(closed="neither"):
    def check(value, name, caller):
        from ._validation import _check_interval

        return _check_interval(value, name, 0, 1, caller=caller, closed=closed)
    return check


def _count(minimum):
    def check(value, name, caller):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
            msg = f"{caller}(): `{name}` must be an integer >= {minimum}; got {value!r}."
            raise InvalidParameterError(msg)
        return int(value)
    return check


def _boolean(value, name, caller):
    if not (isinstance(value, bool) or type(value).__name__ == "bool_"):  # numpy's bool, unimported
        msg = f"{caller}(): `{name}` must be True or False; got {value!r}."
        raise InvalidParameterError(msg)
    return bool(value)


def _reference(value, name, caller):
    if isinstance(value, Mapping):
        return {(k if isinstance(k, str) else tuple(k)): (tuple(v) if isinstance(v, list) else v)
                for k, v in value.items()}
    return value  # a rule or a label; checked against the groupings


def _intersections(value, name, caller):
    if value is None or isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    if isinstance(value, str):
        from ._validation import _check_option

        return _check_option(value, name, {"all"}, caller=caller)
    if isinstance(value, (list, tuple)):
        return tuple((c,) if isinstance(c, str) else tuple(c) for c in value)
    msg = (f"{caller}(): `{name}` must be True, False, 'all' or a list of tuples of attribute names; "
           f"got {value!r}.")
    raise InvalidParameterError(msg)


def _metrics(value, name, caller):
    if value is None:
        return None
    names = (value,) if isinstance(value, str) else tuple(value)
    if not names:
        msg = f"{caller}(): `{name}` must name at least one metric; got an empty list."
        raise InvalidParameterError(msg)
    return names


def _thresholds(value, name, caller):
    from ._thresholds import check_thresholds

    return check_thresholds(value, name, caller)


def _rng(value, name, caller):
    return value  # normalised by numpy.random.default_rng when the seed is drawn


OPTIONS: tuple[Option, ...] = (
    Option("reference", "largest", "The comparison point of disparities: 'largest' (the largest assessable "
           "group), 'best' (the assessable group with the most favourable value of each metric), 'overall' "
           "(the whole population; tests compare a group with the rest), a group label, or a dict per "
           "attribute or intersection.", check=_reference, cli=False, doc_type="{'largest', 'best', 'overall'}, label, or dict"),
    Option("intersections", True, "Intersections to audit: True (the cross of all attributes), 'all' "
           "(every cross of two or more), False, or a list of tuples of attribute names.",
           check=_intersections, cli=False, doc_type="bool, 'all', or list of tuples of str"),
    Option("metrics", None, "Metric names or aliases; None computes every metric the table allows.",
           check=_metrics, cli=False, doc_type="list of str or None"),
    Option("positive_is_favorable", True, "Whether the positive decision is favourable to the person "
           "(a loan granted) rather than unfavourable (flagged as high risk); it sets every metric's "
           "direction and the rate the four-fifths rule uses.", check=_boolean, cli=False, doc_type="bool"),
    Option("four_fifths_threshold", 0.8, "Impact-ratio threshold of the four-fifths flag, in (0, 1].",
           check=_fraction("right"), cli=False, doc_type="float"),
    Option("min_group_size", 30, "Groups with fewer rows are reported but not assessable: never chosen as "
           "a reference, never driving a max-min summary, a criterion or a four-fifths flag.",
           check=_count(1), doc_type="int"),
    Option("confidence_level", 0.95, "Level of every interval; tests use alpha = 1 - confidence_level.",
           check=_fraction(), doc_type="float"),
    Option("interval_method", "wilson", "Interval of each group's rate.",
           choices=("wilson", "clopper-pearson", "jeffreys")),
    Option("test", "auto", "Test of each group against its reference: the pooled score test, Fisher's "
           "exact test, or 'auto' (Fisher where an expected count is below 5).", choices=("auto", "score", "fisher")),
    Option("correction", "holm", "Multiple-testing adjustment over the audit's family of tests.",
           choices=("holm", "fdr_bh", "bonferroni")),
    Option("alternative", "two-sided", "Alternative hypothesis: 'less' means the group's rate is below "
           "the reference's.", choices=("two-sided", "less", "greater")),
    Option("tolerance", 0.05, "Largest absolute difference of rates treated as negligible: the "
           "equivalence margin, the practical threshold of a disparity and the gap at which power is "
           "computed.", check=_fraction(), doc_type="float"),
    Option("omnibus_test", "auto", "Test of equal rates across all groups of a grouping ('auto': Monte "
           "Carlo where Cochran's rule finds chi-square inadequate, with a second stage of draws "
           "when the first cannot resolve the p-value).", choices=("auto", "chi2", "g", "monte-carlo")),
    Option("n_resamples", 0, "Bootstrap replicates for intervals of values, differences, spreads and criteria "
           "(0 for none). A regression audit resamples rows, so audit() draws them with the data.",
           check=_count(0), doc_type="int"),
    Option("bootstrap_method", "percentile", "Bootstrap interval method.", choices=("percentile", "bca")),
    Option("ratio_method", "koopman", "Interval of each ratio to the reference: Koopman's score interval, "
           "the dual of the score test (it excludes 1 exactly where that test rejects), or Katz's log "
           "interval (0.5 added to every cell only where a count is zero).", choices=("koopman", "katz")),
    Option("threshold", None, "Score audits: thresholds turning scores into decisions (score >= t), "
           "a number, 'top_k=<int>', 'top_share=<fraction>', 'fpr=<fraction>' or a list of these; decision "
           "metrics at each come from the same score table (AuditResult.at_threshold).",
           check=_thresholds, cli=False,
           doc_type="float, str, or list of these, or None"),
    Option("rng", None, "Source of randomness of the Monte Carlo tests and the bootstrap: None, an int, "
           "a SeedSequence or a Generator.", check=_rng, cli=False, doc_type="None, int, SeedSequence or Generator"),
)

_BY_NAME = {o.name: o for o in OPTIONS}


class _OptionsMethods:
    """Methods of :class:`AuditOptions`, a frozen dataclass made from :data:`OPTIONS`."""

    @classmethod
    def from_kwargs(cls, caller: str, **kwargs) -> "AuditOptions":
        """Check every option given and fill in the defaults."""
        unknown = [k for k in kwargs if k not in _BY_NAME]
        if unknown:
            msg = f"{caller}(): unknown option(s) {unknown}; the options are {sorted(_BY_NAME)}."
            raise InvalidParameterError(msg)
        from ._validation import _check_option

        values = {}
        for name, value in kwargs.items():
            opt = _BY_NAME[name]
            if opt.choices is not None:
                values[name] = _check_option(value, name, set(opt.choices), caller=caller)
            elif opt.check is not None:
                values[name] = opt.check(value, name, caller)
        return cls(**values)  # type: ignore[return-value]

    def replace(self, caller: str, **changes) -> "AuditOptions":
        """These options with some changed (and checked)."""
        current = {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]
        current.update(changes)
        return type(self).from_kwargs(caller, **current)

    @property
    def alpha(self) -> float:
        """Significance level of the tests, ``1 - confidence_level``, rounded as written."""
        return round(1.0 - self.confidence_level, 12)  # type: ignore[attr-defined]

    def to_dict(self) -> dict:
        """The options as plain values (tuples as lists, a Generator as its repr)."""
        out = {}
        for f in fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            if f.name == "rng" and not (v is None or isinstance(v, numbers.Integral)):
                v = repr(v)
            elif f.name == "reference" and isinstance(v, Mapping):
                v = {k if isinstance(k, str) else " & ".join(k): (list(x) if isinstance(x, tuple) else x)
                     for k, x in v.items()}
            elif isinstance(v, tuple):
                v = [list(x) if isinstance(x, tuple) else x for x in v]
            out[f.name] = v
        return out


if TYPE_CHECKING:  # what a type checker sees of the dataclass made below from OPTIONS
    class AuditOptions(_OptionsMethods):
        reference: Any
        intersections: Any
        metrics: tuple[str, ...] | None
        positive_is_favorable: bool
        four_fifths_threshold: float
        min_group_size: int
        confidence_level: float
        interval_method: str
        test: str
        correction: str
        alternative: str
        tolerance: float
        omnibus_test: str
        n_resamples: int
        bootstrap_method: str
        ratio_method: str
        rng: Any

        def __init__(self, **options: Any) -> None: ...
else:
    #: The checked options of one audit: one field per entry of :data:`OPTIONS`, with its default.
    AuditOptions = make_dataclass(
        "AuditOptions", [(o.name, Any, field(default=o.default)) for o in OPTIONS], bases=(_OptionsMethods,),
        frozen=True, namespace={"__module__": __name__},
    )


def audit_options(func: Callable) -> Callable:
    """Give ``func`` (taking ``**options``) the declared options as keyword parameters.

    The signature shown by ``help()``, IDEs and the API reference lists every option
    with its default, and the docstring's ``{options}`` marker becomes their numpydoc
    entries, so neither is written twice.
    """
    sig = inspect.signature(func)
    params = [p for p in sig.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    params += [inspect.Parameter(o.name, inspect.Parameter.KEYWORD_ONLY, default=o.default) for o in OPTIONS]
    func.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    if func.__doc__ and "{options}" in func.__doc__:
        func.__doc__ = func.__doc__.replace("{options}", options_numpydoc(indent="    "))
    return func


def options_numpydoc(indent: str = "") -> str:
    """numpydoc entries of every option."""
    lines = []
    for o in OPTIONS:
        kind = "{" + ", ".join(repr(c) for c in o.choices) + "}" if o.choices else o.doc_type
        lines.append(f"{indent}{o.name} : {kind}, default={o.default!r}")
        lines += [f"{indent}    {line}" for line in textwrap.wrap(o.help, 84)]
    return "\n".join(lines).lstrip()


def options_markdown() -> str:
    """The option table of docs/api.md, generated from the declarations."""
    lines = ["| option | default | allowed | meaning |", "|---|---|---|---|"]
    for o in OPTIONS:
        allowed = ", ".join(f"`{c}`" for c in o.choices) if o.choices else ""
        lines.append(f"| `{o.name}` | `{o.default!r}` | {allowed} | {o.help} |")
    return "\n".join(lines) + "\n"
