"""The scenario file schema: pydantic models that validate a scenario's YAML.

Part of the one dataset schema: :mod:`tumen.data._scenario_file` reads a file, checks it
with these models and then checks every id it names against the dataset's tables.

A scenario names a date, a demand set and how to scale it, changes to the network
on that date (overrides), the sanctions regime to screen under and the assignment
method. Uncertain numbers may be written as a distribution (``{dist: triangular,
low, mode, high}``, ``{dist: uniform, low, high}``, ``{dist: normal, mean, sd}``,
``{dist: lognormal, median, sigma}``, ``{dist: discrete, values, p}``); a single run
uses the distribution's mode (triangular), mean (uniform, normal), median (lognormal)
or most probable value (discrete), and ``tumen sweep`` samples it. The ``uncertainty``
section adds what is not one number: the probability that a link or facility is open,
multipliers shared by several keys (correlated draws) and grids for one-at-a-time
sensitivity.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    field_validator,
    model_validator,
)

__all__ = [
    "AddFacility",
    "AddLink",
    "AssignmentSpec",
    "Declaration",
    "DemandAddition",
    "DemandSpec",
    "Discrete",
    "GridSpec",
    "Lognormal",
    "Normal",
    "Overrides",
    "SanctionsSpec",
    "Scenario",
    "SharedSpec",
    "Triangular",
    "Uncertain",
    "UncertaintySpec",
    "Uniform",
    "base_value",
]


#: A finite number of at least zero (NaN and infinity are refused).
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
#: A finite number greater than zero.
PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    """Base for every scenario model: unknown keys are errors and models are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Triangular(_Strict):
    """A triangular distribution; a single run uses its mode."""

    dist: Literal["triangular"]
    low: NonNegativeFloat
    mode: NonNegativeFloat
    high: NonNegativeFloat

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("a triangular distribution with low <= mode <= high")
        if self.low == self.high:
            raise ValueError("a triangular distribution with low < high")
        return self


class Uniform(_Strict):
    """A uniform distribution; a single run uses its mean."""

    dist: Literal["uniform"]
    low: NonNegativeFloat
    high: NonNegativeFloat

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError("a uniform distribution with low < high")
        return self


class Normal(_Strict):
    """A normal distribution (a sweep truncates it at zero); a single run uses its mean."""

    dist: Literal["normal"]
    mean: NonNegativeFloat
    sd: PositiveFloat


class Lognormal(_Strict):
    """A lognormal distribution: ``log(x)`` is normal with ``log(median)`` and ``sigma``.

    A single run uses its median.
    """

    dist: Literal["lognormal"]
    median: PositiveFloat
    sigma: PositiveFloat


class Discrete(_Strict):
    """A discrete distribution over a few values with probabilities ``p`` (summing to 1).

    A single run uses the most probable value (the first of equals).
    """

    dist: Literal["discrete"]
    values: Annotated[tuple[NonNegativeFloat, ...], Field(min_length=1)]
    p: Annotated[tuple[Annotated[float, Field(ge=0, le=1)], ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _weights(self) -> Discrete:
        if len(self.values) != len(self.p):
            raise ValueError("a discrete distribution with one probability p per value")
        if abs(sum(self.p) - 1.0) > 1e-9:
            raise ValueError("a discrete distribution whose probabilities p sum to 1")
        return self


#: Any distribution a scenario may give for a number.
Distribution = Annotated[
    Triangular | Uniform | Normal | Lognormal | Discrete, Field(discriminator="dist")
]

#: A non-negative number, or a distribution of one.
Uncertain = Annotated[
    NonNegativeFloat | Distribution,
    Field(union_mode="left_to_right"),
]


def base_value(value: float | Triangular | Uniform | Normal | Lognormal | Discrete) -> float:
    """Return the value a single (non-sampled) run uses.

    Parameters
    ----------
    value : float or Triangular or Uniform or Normal
        A number or a distribution.

    Returns
    -------
    float
        The number itself, a triangular distribution's mode, a uniform or
        normal distribution's mean, a lognormal's median or a discrete distribution's
        most probable value (same unit as the value).
    """
    if isinstance(value, Triangular):
        return value.mode
    if isinstance(value, Uniform):
        return (value.low + value.high) / 2.0
    if isinstance(value, Normal):
        return value.mean
    if isinstance(value, Lognormal):
        return value.median
    if isinstance(value, Discrete):
        return value.values[value.p.index(max(value.p))]
    return float(value)


class DemandAddition(_Strict):
    """One extra origin–destination flow a scenario adds to the demand set."""

    commodity: str
    origin: str
    destination: str
    quantity: Uncertain = Field(description="tonnes per year, or persons per year for people")
    category: str
    source: Annotated[str, Field(min_length=1, description="';'-separated source ids")]
    confidence: Literal["high", "medium", "low"] = "low"
    note: str = ""


class DemandSpec(_Strict):
    """Which demand the scenario uses and how it scales it."""

    base_year: Annotated[int, Field(ge=1990, le=2100)]
    set: Literal["bundled"] = "bundled"
    include_targets: bool = False
    pin_observed_gateways: bool = Field(
        default=False,
        description="route each series that names an observed_gateway through that "
        "gateway (historical scenarios); otherwise the model chooses the gateway",
    )
    scale_all: Uncertain = 1.0
    scale_by_category: dict[str, Uncertain] = Field(default_factory=dict)
    scale_by_commodity: dict[str, Uncertain] = Field(default_factory=dict)
    add: tuple[DemandAddition, ...] = ()


class AddLink(_Strict):
    """A link the scenario adds to the network (e.g. a bridge not yet in the data).

    It is a border link when its two places are in different countries.
    """

    link_id: str
    from_id: str
    to_id: str
    mode: Literal["rail", "road", "sea", "ferry"]
    gauge: Literal["1520", "1435", "dual", ""] = ""
    length_km: PositiveFloat
    speed_kmh: PositiveFloat
    capacity: NonNegativeFloat | None = None
    capacity_unit: str = "t/yr"
    bidirectional: bool = True

    @field_validator("gauge", mode="before")
    @classmethod
    def _gauge_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class AddFacility(_Strict):
    """A facility the scenario adds (e.g. a planned terminal)."""

    facility_id: str
    place_id: str
    kind: Literal["port", "border_crossing", "transshipment"]
    cargo_class: Literal["bulk", "liquid", "container", "general", "live", "people", "all"]
    capacity: Uncertain | None = Field(default=None, description="tonnes per year")
    handling_time_h: NonNegativeFloat | None = None
    handling_cost_usd_per_t: NonNegativeFloat | None = None
    link_ids: tuple[str, ...] = ()


class Overrides(_Strict):
    """Changes to the network in force on the scenario date."""

    close_links: tuple[str, ...] = ()
    open_links: tuple[str, ...] = ()
    close_facilities: tuple[str, ...] = ()
    open_facilities: tuple[str, ...] = ()
    add_links: tuple[AddLink, ...] = ()
    add_facilities: tuple[AddFacility, ...] = ()
    link_capacity: dict[str, Uncertain] = Field(
        default_factory=dict, description="link id -> capacity, tonnes per year"
    )
    facility_capacity: dict[str, Uncertain] = Field(
        default_factory=dict, description="facility id -> capacity, tonnes per year"
    )
    cost: dict[str, Uncertain] = Field(
        default_factory=dict, description="cost parameter id -> value (fees, rates)"
    )
    zone_fee_usd_per_t: dict[str, Uncertain] = Field(
        default_factory=dict, description="zone id -> fee, USD per tonne entering it"
    )


class Declaration(_Strict):
    """What a scenario declares about the flows of one category, for screening.

    Screening never assumes an exemption's condition: a condition holds only where it is
    declared here (for example that Russia gave the 1718 Committee advance notice of
    Rajin transit coal). Leave a field out to declare nothing.
    """

    origin_confirmed_non_kp: bool | None = None
    notified_1718: bool | None = None
    committee_approved: bool | None = None
    purpose: str | None = None


class SanctionsSpec(_Strict):
    """The sanctions regime flows are screened under, and what the scenario declares."""

    regime: Literal["in_force", "none"] = "in_force"
    counterfactual: bool = False
    declarations: dict[str, Declaration] = Field(
        default_factory=dict, description="category id -> declarations for screening"
    )

    @model_validator(mode="after")
    def _labelled(self) -> SanctionsSpec:
        if self.regime == "none" and not self.counterfactual:
            raise ValueError(
                "regime 'none' only with 'counterfactual: true' (an explicitly labelled "
                "counterfactual)"
            )
        return self


class AssignmentSpec(_Strict):
    """How the flows are assigned to the network."""

    method: Literal["capacity_constrained", "equilibrium", "logit"] = "capacity_constrained"
    gap: PositiveFloat = 1e-4
    max_iterations: PositiveInt = 200
    unmet_penalty_usd_per_t: PositiveFloat = 1000.0
    choice_parameters: str | None = Field(
        default=None,
        description="method logit: a parameters file tumen calibrate wrote (relative to "
        "the scenario file)",
    )

    @model_validator(mode="after")
    def _logit_parameters(self) -> AssignmentSpec:
        if (self.method == "logit") != (self.choice_parameters is not None):
            raise ValueError(
                "choice_parameters (a file tumen calibrate wrote) with method logit, "
                "and only with it"
            )
        return self


#: Key paths a shared multiplier or a grid may name (``<prefix><id>`` or the key itself).
SWEEP_KEYS = (
    "demand.scale_all",
    "demand.scale_by_category.",
    "demand.scale_by_commodity.",
    "overrides.link_capacity.",
    "overrides.facility_capacity.",
    "overrides.cost.",
    "overrides.zone_fee_usd_per_t.",
)


def _sweep_key(key: str) -> str:
    ok = key == SWEEP_KEYS[0] or any(
        key.startswith(p) and len(key) > len(p) for p in SWEEP_KEYS[1:]
    )
    if not ok:
        raise ValueError(
            "a key path demand.scale_all, demand.scale_by_category.<id>, "
            "demand.scale_by_commodity.<id>, overrides.link_capacity.<id>, "
            "overrides.facility_capacity.<id>, overrides.cost.<id> or "
            "overrides.zone_fee_usd_per_t.<id>"
        )
    return key


class SharedSpec(_Strict):
    """One multiplier drawn once per draw and shared by several keys (correlated draws).

    Each key's value (its own draw, or 1 for an unset demand scale) is multiplied by the
    shared draw, so the keys move together.
    """

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    dist: Distribution
    keys: Annotated[tuple[str, ...], Field(min_length=1)]

    @field_validator("keys")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_sweep_key(k) for k in value)


class GridSpec(_Strict):
    """Values of one key for one-at-a-time sensitivity (everything else at base values)."""

    key: str
    values: Annotated[tuple[NonNegativeFloat, ...], Field(min_length=1)]

    @field_validator("key")
    @classmethod
    def _known(cls, value: str) -> str:
        return _sweep_key(value)


#: A probability (0 to 1).
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class UncertaintySpec(_Strict):
    """What a sweep draws beyond the distributions written in place of numbers."""

    open_links: dict[str, Probability] = Field(
        default_factory=dict, description="link id -> probability it is open in a draw"
    )
    open_facilities: dict[str, Probability] = Field(
        default_factory=dict, description="facility id -> probability it is open in a draw"
    )
    shared: tuple[SharedSpec, ...] = ()
    grid: tuple[GridSpec, ...] = ()
    capacity_ranges: Literal["off", "triangular", "uniform"] = Field(
        default="off",
        description=(
            "draw the capacity of every link and facility open on the date (or in "
            "open_links/open_facilities) from its dataset range capacity_low..capacity_high: "
            "triangular with the dataset capacity as mode, or uniform; a capacity the "
            "scenario sets itself, or an event set on or before the date, is kept"
        ),
    )


class Scenario(_Strict):
    """A corridor scenario, as read from its YAML file.

    Attributes
    ----------
    name : str
        Short id (letters, digits, ``-``, ``_``), used for output folders.
    title, description : str
        What the scenario asks, in words.
    date : datetime.date
        The day whose network is used (links and facilities open on it).
    demand : DemandSpec
        Base year, scaling and additions.
    overrides : Overrides
        Links closed, opened or added; capacities and fees changed.
    sanctions : SanctionsSpec
        ``in_force`` (the measures in force on ``date``) or ``none`` (counterfactual).
    assignment : AssignmentSpec
        Method, gap and the penalty on demand left unserved (USD per tonne).
    source : str
        Where the scenario's file came from (filled when it is read).
    """

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)]
    title: str
    description: str = ""
    date: dt.date
    demand: DemandSpec
    overrides: Overrides = Field(default_factory=Overrides)
    sanctions: SanctionsSpec = Field(default_factory=SanctionsSpec)
    assignment: AssignmentSpec = Field(default_factory=AssignmentSpec)
    uncertainty: UncertaintySpec = Field(default_factory=UncertaintySpec)
    source: str = ""

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError("a date YYYY-MM-DD") from None
        if isinstance(value, dt.datetime):
            raise ValueError("a date YYYY-MM-DD without a time")
        return value

    @property
    def counterfactual(self) -> bool:
        """True when the scenario is an explicitly labelled counterfactual."""
        return self.sanctions.counterfactual or self.sanctions.regime == "none"

    @property
    def label(self) -> str:
        """The title as shown in every output: prefixed ``COUNTERFACTUAL`` where it is one."""
        return f"COUNTERFACTUAL: {self.title}" if self.counterfactual else self.title
