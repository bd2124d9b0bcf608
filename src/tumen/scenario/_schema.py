"""The scenario file schema; declared with the rest of the dataset in :mod:`tumen.data`."""

from tumen.data._scenario import (
    AddFacility,
    AddLink,
    AssignmentSpec,
    Declaration,
    DemandAddition,
    DemandSpec,
    Normal,
    Overrides,
    SanctionsSpec,
    Scenario,
    Triangular,
    Uncertain,
    Uniform,
    base_value,
)

__all__ = [
    "AddFacility",
    "AddLink",
    "AssignmentSpec",
    "Declaration",
    "DemandAddition",
    "DemandSpec",
    "Normal",
    "Overrides",
    "SanctionsSpec",
    "Scenario",
    "Triangular",
    "Uncertain",
    "Uniform",
    "base_value",
]
