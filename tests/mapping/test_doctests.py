"""The examples of the rules of reach in mapping/'s docstrings hold, as written.

docs/rules-of-reach.md tells coordinators the rules; these examples show them on tiny cities,
in the docstrings of the functions that carry them. A changed rule fails here until its example
(and the documentation) says what the code now does.
"""

import doctest
import io

import pytest

import mapping.outreach
import mapping.reach

# The public functions that carry a rule of reach, each with at least one example.
WITH_EXAMPLES = {
    mapping.reach: ("group_reach", "flag_of", "unreached_poverty_organisations"),
    mapping.outreach: ("next_action", "find_introducer", "priority"),
}


@pytest.mark.parametrize("module", WITH_EXAMPLES, ids=lambda m: m.__name__)
def test_the_examples_in_the_docstrings_hold(module):
    examples = [t for t in doctest.DocTestFinder().find(module) if t.examples]
    named = {t.name.rpartition(".")[2] for t in examples}
    assert set(WITH_EXAMPLES[module]) <= named, f"{module.__name__}: examples missing"

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = io.StringIO()
    for test in examples:
        runner.run(test, out=report.write)

    assert runner.failures == 0, report.getvalue()
    assert runner.tries > 0
