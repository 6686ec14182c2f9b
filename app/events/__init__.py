"""Events: the event pages, the invitation list builder, check-in and the representation report."""
