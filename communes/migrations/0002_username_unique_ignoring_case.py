from django.db import migrations

# Logins are looked up ignoring case ("VHTT" is "vhtt"), so two usernames that differ only in
# case must not both exist; the service checks it, this index holds it against a race.
CREATE = "CREATE UNIQUE INDEX auth_user_username_ignoring_case ON auth_user (UPPER(username))"
DROP = "DROP INDEX auth_user_username_ignoring_case"


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("communes", "0001_initial"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
