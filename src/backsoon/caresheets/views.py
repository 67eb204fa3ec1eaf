from django.shortcuts import render

from backsoon.households.access import Access, access


@access(Access.HOUSEHOLD, caregivers=True)
def care(request, household_id):
    return render(request, "caresheets/care.html", {"household": request.household})
