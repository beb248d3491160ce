"""The normenkader: model (:mod:`.model`), loading and saving (:mod:`.loading`) and the
formats (:mod:`.yaml`, :mod:`.xlsx`). The names most used are re-exported here."""

from kwl_office.catalogue.loading import (
    BUILT_IN,
    builtin_catalogue_path,
    example_catalogue_path,
    load_catalogue,
    load_example_catalogue,
    save_catalogue,
)
from kwl_office.catalogue.model import (
    EXAMPLE_CATALOGUE,
    Catalogue,
    Domain,
    Norm,
    Policy,
    QualityValue,
    RatingLevel,
    RatingScale,
    ScaleRole,
    validation_message,
)
from kwl_office.names import normalise_token

__all__ = [
    "BUILT_IN",
    "EXAMPLE_CATALOGUE",
    "Catalogue",
    "Domain",
    "Norm",
    "Policy",
    "QualityValue",
    "RatingLevel",
    "RatingScale",
    "ScaleRole",
    "builtin_catalogue_path",
    "example_catalogue_path",
    "load_catalogue",
    "load_example_catalogue",
    "normalise_token",
    "save_catalogue",
    "validation_message",
]
