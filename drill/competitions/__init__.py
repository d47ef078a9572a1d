"""Branch-wide competitions (比学赶超): the pure rules, over plain data.

- `allocation`: who peer-reviews which case-round entry, and moving late reviews elsewhere;
- `calibration`: a scorer's accuracy on the case's example answers, and the weight it earns;
- `aggregation`: an entry's peer score from its weighted reviews, explained step by step; reviewing grades;
- `judging`: judges' round scores (trimmed mean, 本单位回避) and when judges may see each other's scores;
- `speed`: the optional written-round speed bonus;
- `standings`: individual and team leaderboards, updated one score at a time, frozen for the public;
- `advancement`: who goes from the qualifying rounds to the final;
- `editing`: what an organiser may still change in a round, by the round's state.

Nothing here reads the clock, the database or the request: time comes in as a parameter.
"""
