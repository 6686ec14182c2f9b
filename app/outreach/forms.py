"""Forms of the outreach pages."""

import re

from flask_wtf import FlaskForm
from wtforms import HiddenField

# A local path only: '//host' and '/\host' are other sites to a browser (an open redirect).
LOCAL_PATH = re.compile(r"/(?![/\\])[^\\\s]*")


class ClaimForm(FlaskForm):
    """The claim and release buttons: the CSRF token and the page to return to."""

    next = HiddenField()

    def return_to(self, default: str) -> str:
        """The page the button was on when it is a local path, else `default`."""
        target = self.next.data or ""
        return target if LOCAL_PATH.fullmatch(target) else default
