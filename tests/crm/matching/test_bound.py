"""The cheap bound the ranked lists use to score in full only the candidates that can be shown."""

from hypothesis import given, settings

from crm.matching import rules
from tests.crm.matching.test_rules import offers, youths


@settings(max_examples=400, deadline=None)
@given(offers, youths)
def test_the_bound_is_never_below_the_score_and_tells_the_exclusion(o, y):
    bound, excluded = rules.score_bound(o, y)
    result = rules.match(o, y)
    assert result.score <= bound
    assert excluded == result.excluded
