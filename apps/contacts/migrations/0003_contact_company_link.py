"""Link contacts to companies: the free-text company becomes a Company and a cached name.

The text column ``company`` stays where it is (now the field ``company_name``, kept equal to
the linked company's name), so the search column and its indexes need no rebuild; only the
new ``company_id`` column and one index are added. Then every distinct company text of an
owner becomes one Company (names equal in any case are one company) and its contacts link
to it.
"""

from django.db import migrations, models
from django.db.models.functions import Concat, Lower

import django.db.models.deletion

BATCH = 2000


def _search_field(company_field: str) -> models.GeneratedField:
    parts = ["first_name", "last_name", "email", "phone", company_field]
    expression = []
    for i, name in enumerate(parts):
        if i:
            expression.append(models.Value(" "))
        expression.append(name)
    return models.GeneratedField(
        expression=Lower(Concat(*expression, output_field=models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
    )


def link_companies(apps, schema_editor):
    Contact = apps.get_model("contacts", "Contact")
    Company = apps.get_model("companies", "Company")
    named = (
        Contact.objects.exclude(company_name="")
        .values_list("owner_id", "company_name")
        .distinct()
        .order_by("owner_id", "company_name")
    )
    companies: dict[tuple[int, str], tuple[int, str]] = {}  # (owner, key) -> (id, name)
    for owner_id, text in named.iterator(BATCH):
        name = " ".join(text.split())
        key = (owner_id, name.lower())
        if name and key not in companies:
            company = Company.objects.create(owner_id=owner_id, name=name)
            companies[key] = (company.pk, name)
    for (owner_id, _), (company_id, name) in companies.items():
        Contact.objects.filter(owner_id=owner_id, company_name__iexact=name).update(
            company_id=company_id, company_name=name
        )
    # Names that differed only in spaces ("Acme  Ltd") are matched one by one.
    unlinked = Contact.objects.exclude(company_name="").filter(company__isnull=True)
    for contact in unlinked.iterator(BATCH):
        key = (contact.owner_id, " ".join(contact.company_name.split()).lower())
        if key in companies:
            contact.company_id, contact.company_name = companies[key]
            contact.save(update_fields=["company", "company_name"])


def unlink_companies(apps, schema_editor):
    """Going back keeps each contact's company text (company_name) as it is."""


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0001_initial"),
        ("contacts", "0002_search_trigram_index"),
    ]

    operations = [
        # State only: the column "company" keeps its name, data and indexes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="contact", name="contact_owner_company"),
                migrations.RemoveField(model_name="contact", name="search"),
                migrations.RenameField(
                    model_name="contact", old_name="company", new_name="company_name"
                ),
                migrations.AlterField(
                    model_name="contact",
                    name="company_name",
                    field=models.CharField(
                        "company",
                        max_length=150,
                        blank=True,
                        editable=False,
                        db_column="company",
                    ),
                ),
                migrations.AddField(
                    model_name="contact", name="search", field=_search_field("company_name")
                ),
                migrations.AddIndex(
                    model_name="contact",
                    index=models.Index(
                        fields=["owner", "company_name", "id"], name="contact_owner_company"
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="contact",
            name="company",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="contacts",
                to="companies.company",
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["company", "last_name", "first_name", "id"], name="contact_company_name"
            ),
        ),
        migrations.RunPython(link_companies, unlink_companies, elidable=True),
    ]
