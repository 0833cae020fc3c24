"""Five-field cron expressions (minute hour day-of-month month day-of-week), evaluated in UTC."""

from __future__ import annotations

from datetime import datetime

# (lowest, highest) of each field; day-of-week 0 and 7 are both Sunday.
_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def _values(field: str, low: int, high: int) -> set[int]:
    values: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span == "*":
            start, end = low, high
        elif "-" in span:
            first, last = span.split("-")
            start, end = int(first), int(last)
        else:
            start = int(span)
            end = high if step_text else start
        if step < 1 or not low <= start <= end <= high:
            raise ValueError(f"cron field {field!r} is out of range {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


def parse(expression: str) -> tuple[set[int], ...]:
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError("a cron expression has five fields")
    return tuple(_values(f, low, high) for f, (low, high) in zip(fields, _RANGES, strict=True))


def is_valid(expression: str) -> bool:
    try:
        parse(expression)
    except ValueError:
        return False
    return True


def matches(expression: str, at: datetime) -> bool:
    minutes, hours, days, months, weekdays = parse(expression)
    weekday = (at.weekday() + 1) % 7  # Python's Monday=0 to cron's Sunday=0
    day_fields = expression.split()[2:5:2]
    day_restricted = [f != "*" for f in day_fields]
    if all(day_restricted):  # cron's rule: either day field may match
        day_ok = at.day in days or weekday in weekdays or (weekday == 0 and 7 in weekdays)
    else:
        day_ok = at.day in days and (weekday in weekdays or (weekday == 0 and 7 in weekdays))
    return at.minute in minutes and at.hour in hours and at.month in months and day_ok
