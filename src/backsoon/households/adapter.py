from allauth.account.adapter import DefaultAccountAdapter

from backsoon.households.services import signup_open


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return signup_open(request)
