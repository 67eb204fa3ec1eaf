app_name = "separations"

urlpatterns: list = []
