"""The shipped production calendar checked against an independent source: the PyPI package
`holidays` (country RU), which keeps the Russian holidays and the decrees' moved days off and
working weekends. Every day of 2020-2027 must be a day off in both or a working day in both."""

import datetime
import json
import pathlib

import holidays

CALENDAR = pathlib.Path(__file__).resolve().parents[2] / "Sources/OtklikServer/Resources/production-calendar-ru.json"
YEARS = range(2020, 2028)


def load():
    data = json.loads(CALENDAR.read_text(encoding="utf-8"))
    return {entry["year"]: entry for entry in data["years"]}


def is_day_off(entry, day: datetime.date) -> bool:
    iso = day.isoformat()
    if iso in entry.get("working_weekends", []):
        return False
    if iso in entry.get("holidays", []) or iso in entry.get("days_off", []):
        return True
    return day.weekday() >= 5


def test_every_decreed_year_is_shipped():
    assert sorted(load()) == list(YEARS)


def test_every_day_off_and_working_weekend_agrees_with_the_holidays_package():
    ours = load()
    theirs = holidays.country_holidays("RU", years=YEARS)
    disagreements = []
    for year in YEARS:
        day = datetime.date(year, 1, 1)
        while day.year == year:
            if is_day_off(ours[year], day) == theirs.is_working_day(day):
                disagreements.append(f"{day}: ours {'off' if is_day_off(ours[year], day) else 'working'}, holidays {theirs.get(day)}")
            day += datetime.timedelta(days=1)
    assert disagreements == []


def test_working_weekends_are_the_packages_weekend_workdays():
    ours = sorted(d for year in YEARS for d in load()[year].get("working_weekends", []))
    theirs = sorted(d.isoformat() for d in holidays.country_holidays("RU", years=YEARS).weekend_workdays)
    assert ours == theirs
