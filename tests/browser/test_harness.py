"""The browser suite's guards work: other hosts are blocked, browser errors are reported."""

import pytest

pytestmark = pytest.mark.browser


def test_requests_to_other_hosts_are_blocked_and_reported(page, browser_problems):
    page.goto("/login")

    reached = page.evaluate(
        "() => fetch('https://cdn.example.org/plotly.min.js').then(() => true, () => false)"
    )

    assert reached is False
    assert any("cdn.example.org" in problem for problem in browser_problems)
    browser_problems.clear()  # seen: this test passes


def test_console_errors_and_uncaught_exceptions_are_reported(page, browser_problems):
    page.goto("/login")

    page.evaluate("() => console.error('the form broke')")
    with page.expect_event("pageerror"):  # the suite's own listener has run by then
        page.evaluate("() => { setTimeout(() => { throw new Error('kaboom') }, 0) }")

    assert any("the form broke" in problem for problem in browser_problems)
    assert any("kaboom" in problem for problem in browser_problems), browser_problems
    browser_problems.clear()
