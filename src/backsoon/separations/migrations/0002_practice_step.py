# The practice ladder's step on a separation, and how a practice felt (owner data).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0001_initial"),
        ("separations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="separation",
            name="practice_step",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="separations",
                to="practice.ladderstep",
            ),
        ),
        migrations.AddField(
            model_name="separationprivate",
            name="feel",
            field=models.CharField(
                blank=True,
                choices=[("manageable", "Manageable"), ("hard", "Hard")],
                max_length=12,
            ),
        ),
    ]
