"""Calendar time use: what a person's calendar says about their shift toward the leader's end.

``ics`` reads calendars into meetings, ``rules`` classifies meetings onto the five shifts,
``aggregate`` turns classified meetings into hours per shift pole per week and month.
"""
