from django.shortcuts import render

from backsoon.households.access import Access, access


@access(Access.PUBLIC)
def help_now(request):
    return render(request, "wellbeing/help.html", {})
