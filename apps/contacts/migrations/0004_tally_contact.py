"""Keep each owner's number of contacts in apps.core.RowTally, by triggers (ADR 0019)."""

from django.db import migrations

from apps.core.tally import TallyRows


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_row_tally"),
        ("contacts", "0003_contact_company_link"),
    ]

    operations = [TallyRows("contact")]
