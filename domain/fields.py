"""Constraints on the values people type in, shared by the API's bodies and workflow tools."""

from typing import Annotated

from msgspec import Meta

Email = Annotated[str, Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Name = Annotated[str, Meta(min_length=1, max_length=120)]
Phone = Annotated[str, Meta(max_length=32, pattern=r"^\+?[0-9][0-9 ()./-]{5,28}[0-9]$")]
Text = Annotated[str, Meta(max_length=2000)]
