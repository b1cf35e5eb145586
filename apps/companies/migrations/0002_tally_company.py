"""Keep each owner's number of companies in apps.core.RowTally, by triggers (ADR 0019)."""

from django.db import migrations

from apps.core.tally import TallyRows


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_row_tally"),
        ("companies", "0001_initial"),
    ]

    operations = [TallyRows("company")]
