"""Table records: ``to_dict`` is what ``dataclasses.asdict`` gives (it skips asdict's deep copy, which is only safe
while every field is an immutable scalar)."""
from dataclasses import asdict, fields

import pytest

from pipeline.core.records import Actor, Citation, Claim, Sentence

SCALARS = {"str", "int", "float", "int | float | None", "bool"}


@pytest.mark.parametrize("cls", [Sentence, Claim, Actor, Citation])
def test_to_dict_equals_asdict_and_fields_stay_scalar(cls):
    assert {f.name: f.type for f in fields(cls) if f.type not in SCALARS} == {}, "a list field needs asdict's copy"
    record = cls(**{f.name: (3 if f.type != "str" else f"v-{f.name}") for f in fields(cls)})
    assert record.to_dict() == asdict(record)
    assert list(record.to_dict()) == [f.name for f in fields(cls)]   # the table's column order
